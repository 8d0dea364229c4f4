import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { getRun } from '../../db/runs';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-cli-'));
const bin = path.resolve('bin/pipelab.mjs');

function pipelab(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PIPELAB_DATA_DIR: dataDir },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipelab command line', () => {
  it('runs a template and prints one JSON object recorded in the database', () => {
    const { code, stdout } = pipelab('run', 'sales-forecast', '--json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.run.status).toBe('succeeded');
    expect(output.nodes.evaluate.status).toBe('done');
    expect(output.nodes.evaluate.metrics.r2).toBeCloseTo(0.9213494245263174, 9);
    const run = getRun(openDatabase(path.join(dataDir, 'pipelab.sqlite')), output.run.id);
    expect(run).toMatchObject({ origin: 'cli', status: 'succeeded', label: 'Forecast sales from ad spend' });
  });

  it('binds a local CSV to a data source node with --input, refusing a file it cannot read', () => {
    const file = path.join(dataDir, 'this-week.csv');
    fs.writeFileSync(file, 'TV,Radio,Newspaper,Sales\n1,2,3,4\n5,6,7,8\n9,10,11,12\n13,14,15,abc\n');
    const bad = pipelab('run', 'sales-forecast', '--json', '--input', `data=${file}`);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('Column "Sales" holds numbers, but line 5 has "abc"');

    fs.writeFileSync(file, ['TV,Radio,Newspaper,Sales', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 7},${i % 5},${2 * i + (i % 7) + 1}`)].join('\n'));
    const good = pipelab('run', 'sales-forecast', '--json', '--input', `data=${file}`);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).nodes.evaluate.metrics.r2).toBeCloseTo(1, 6);
  });

  it('reports a failed pipeline file with exit code 1 and per-node errors', () => {
    const file = path.join(dataDir, 'broken.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        nodes: [{ id: 'split', type: 'prep.split', version: 1, params: {}, position: { x: 0, y: 0 } }],
        edges: [],
      }),
    );
    const { code, stdout } = pipelab('run', file, '--json');
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(output.run.status).toBe('failed');
    expect(output.nodes.split).toEqual({ status: 'failed', error: 'Input "Table or photos" is not connected: wire a table or a set of photos into it' });
  });

  it('explains a pipeline file that is not valid JSON', () => {
    const file = path.join(dataDir, 'garbage.json');
    fs.writeFileSync(file, '{"schemaVersion": 1, "nodes": [');
    const { code, stderr } = pipelab('run', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not JSON/);
  });

  it('lists templates and the node catalog', () => {
    const templates = JSON.parse(pipelab('templates', '--json').stdout);
    expect(templates.map((t: { id: string }) => t.id).slice(0, 2)).toEqual(['campaign-response', 'sales-forecast']);
    expect(templates.length).toBeGreaterThanOrEqual(6);
    const catalog = JSON.parse(pipelab('nodes', '--json').stdout);
    expect(catalog.nodes.map((n: { type: string }) => n.type)).toContain('model.logisticRegression');
  });
});
