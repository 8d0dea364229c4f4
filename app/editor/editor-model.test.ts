import { describe, expect, it } from 'vitest';
import { fromGraph, nextNodeId, shortType, toGraph, topologicalOrder } from './graph-doc';
import { knownColumns } from './known-columns';
import { checkNumber, describeField, parseList, rangeHint } from './param-fields';
import type { CatalogNode, RunDetail } from '../../server/api-types';

const graph = {
  schemaVersion: 1 as const,
  nodes: [
    { id: 'data', type: 'data.csv', version: 1, params: { dataset: 'abc', target: 'y' }, position: { x: 10, y: 20 } },
    { id: 'split-1', type: 'prep.split', version: 1, params: { testFraction: 0.2 }, position: { x: 250, y: 20 } },
  ],
  edges: [{ id: 'e1', source: 'data', sourceHandle: 'table', target: 'split-1', targetHandle: 'table' }],
};

describe('graph document', () => {
  it('round-trips through the canvas form unchanged', () => {
    const { nodes, edges } = fromGraph(graph);
    expect(toGraph(nodes, edges)).toEqual(graph);
  });

  it('numbers new node ids per type', () => {
    expect(shortType('model.logisticRegression')).toBe('logisticRegression');
    expect(nextNodeId('prep.split', ['data', 'split-1'])).toBe('split-2');
    expect(nextNodeId('prep.normalize', ['split-1'])).toBe('normalize-1');
  });

  it('orders steps after the steps feeding them', () => {
    const edges = [
      { source: 'b', target: 'c' },
      { source: 'a', target: 'b' },
    ];
    expect(topologicalOrder(['c', 'b', 'a'], edges)).toEqual(['a', 'b', 'c']);
  });
});

describe('param fields', () => {
  it('picks an input from the schema', () => {
    expect(describeField({ type: 'string', widget: 'dataset' }).kind).toBe('dataset');
    expect(describeField({ type: 'string', widget: 'model' }).kind).toBe('model');
    expect(describeField({ type: 'string', enum: ['a', 'b'] }).kind).toBe('enum');
    expect(describeField({ type: 'array', items: { type: 'string' }, widget: 'columns' }).kind).toBe('columns');
    expect(describeField({ type: 'array', items: { type: 'string' } }).kind).toBe('list');
    expect(describeField({ type: 'boolean' }).kind).toBe('boolean');
    const nullable = describeField({ anyOf: [{ type: 'number' }, { type: 'null' }], title: 'Limit' });
    expect(nullable).toMatchObject({ kind: 'number', nullable: true, schema: { title: 'Limit' } });
  });

  it('ignores the safe-integer bounds of whole-number schemas', () => {
    const field = describeField({ type: 'integer', minimum: 0, maximum: 9007199254740991 });
    expect(rangeHint(field.schema)).toBe('At least 0.');
    expect(checkNumber(1.5, field.schema, true)).toBe('Enter a whole number.');
    expect(checkNumber(-1, field.schema, true)).toBe('Must be at least 0.');
  });

  it('splits comma-separated lists', () => {
    expect(parseList(' age, job ,, balance ')).toEqual(['age', 'job', 'balance']);
  });
});

describe('known columns', () => {
  const specs = new Map<string, CatalogNode>([
    [
      'data.csv',
      {
        type: 'data.csv',
        version: 1,
        title: 'CSV file',
        category: 'Data',
        help: '',
        inputs: [],
        outputs: [{ name: 'table', type: 'table', label: 'Table' }],
        params: { properties: { dataset: { type: 'string', widget: 'dataset' }, target: { type: 'string', widget: 'column' } } },
        defaults: {},
      },
    ],
  ]);
  const { nodes, edges } = fromGraph(graph);
  const dataset = {
    hash: 'abc',
    name: 'file.csv',
    sizeBytes: 10,
    rowCount: 3,
    delimiter: ',',
    hasHeader: true,
    columns: [
      { name: 'age', type: 'number' as const, missing: 0 },
      { name: 'y', type: 'category' as const, missing: 1 },
    ],
    warnings: [],
    createdAt: 0,
  };

  it('uses the uploaded file for the data step and for the steps below it', () => {
    const ctx = { nodes, edges, run: null, datasets: [dataset], specs };
    expect(knownColumns('data', ctx).map((column) => column.name)).toEqual(['age', 'y']);
    expect(knownColumns('split-1', ctx).map((column) => column.name)).toEqual(['age', 'y']);
  });

  it('prefers the columns the last run saw upstream', () => {
    const run = {
      nodes: {
        data: {
          preview: { kind: 'table', rowCount: 3, columns: [{ name: 'only', type: 'number', missing: 0 }], rows: [], target: null },
        },
      },
    } as unknown as RunDetail;
    const ctx = { nodes, edges, run, datasets: [dataset], specs };
    expect(knownColumns('split-1', ctx).map((column) => column.name)).toEqual(['only']);
  });
});
