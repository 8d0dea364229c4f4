import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../server/api-types';
import type { TablePreview } from '../../../nodes/preview';
import { curlExample, exampleRow, shellQuote } from './example-row';

function table(columns: string[], row: (string | number | null)[], target: string | null = null): TablePreview {
  return {
    kind: 'table',
    rowCount: 10,
    columns: columns.map((name) => ({ name, type: 'number', missing: 0 })),
    rows: [row],
    target,
  };
}

function result(nodeId: string, preview: TablePreview | null) {
  return { nodeId, status: 'done' as const, cached: false, durationMs: 1, progress: null, message: null, error: null, preview, metrics: null };
}

const run = {
  id: 'run-1',
  graph: {
    schemaVersion: 1,
    nodes: [],
    edges: [
      { id: 'e1', source: 'data', sourceHandle: 'table', target: 'scale', targetHandle: 'table' },
      { id: 'e2', source: 'scale', sourceHandle: 'table', target: 'split', targetHandle: 'table' },
      { id: 'e3', source: 'split', sourceHandle: 'split', target: 'model', targetHandle: 'data' },
    ],
  },
  nodes: {
    data: result('data', table(['age', 'job', 'bought'], [41, 'admin', 'yes'], 'bought')),
    scale: result('scale', table(['age', 'job', 'bought'], [0.12, 'admin', 'yes'], 'bought')),
  },
} as unknown as RunDetail;

describe('exampleRow', () => {
  it('takes the first raw row of the source feeding the model, without the target', () => {
    expect(exampleRow(run, 'model', ['age', 'job=admin'], 'bought')).toEqual({ age: 41, job: 'admin' });
  });

  it('lists the model inputs when no source rows are known', () => {
    expect(exampleRow(null, 'model', ['age', 'balance'], 'bought')).toEqual({ age: 0, balance: 0 });
  });
});

describe('curlExample', () => {
  it('builds a copyable command with the key and a JSON body', () => {
    const command = curlExample('http://localhost:3000/api/predict/abc', 'tok123', { name: "O'Brien", age: 3 });
    expect(command).toContain('curl -X POST http://localhost:3000/api/predict/abc');
    expect(command).toContain('-H "Authorization: Bearer tok123"');
    expect(command).toContain('-H "content-type: application/json"');
    expect(command).toContain(`-d '{"rows":[{"name":"O'\\''Brien","age":3}]}'`);
  });

  it('quotes for the shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
