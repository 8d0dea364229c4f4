import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { getRun } from '../../db/runs';
import { savePipeline } from '../../db/pipelines';
import { makeWorkspace } from '../../db/test-fixtures';
import { buildZip } from '../../models/images/test-zip';
import { readCsv } from '../../nodes/lib/csv';
import { findTemplate } from '../templates';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-cli-'));
const bin = path.resolve('bin/pipelab.mjs');

function pipelab(...args: string[]) {
  return pipelabIn(process.cwd(), ...args);
}

function pipelabIn(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PIPELAB_DATA_DIR: dataDir, PIPELAB_BACKEND: '' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipelab command line', () => {
  it('runs a template and prints one JSON object recorded in the database', async () => {
    const { code, stdout } = pipelab('run', 'sales-forecast', '--json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.run.status).toBe('succeeded');
    expect(output.nodes.evaluate.status).toBe('done');
    expect(output.nodes.evaluate.metrics.r2).toBeCloseTo(0.9213494245263174, 9);
    const run = await getRun(await openDatabase(path.join(dataDir, 'pipelab.sqlite')), output.run.id);
    expect(run).toMatchObject({ origin: 'cli', status: 'succeeded', label: 'Forecast sales from ad spend' });
  });

  it('binds a local CSV to a data source node with --input, refusing a file it cannot read', async () => {
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

  it('takes a Parquet export with --input: the same table gives the same model as its CSV', async () => {
    const { frame } = readCsv(fs.readFileSync('samples/advertising.csv'), 'advertising.csv');
    const columnData = frame.columns.map((column) => ({ name: column.name, data: [...(column.values as Float64Array)], type: 'DOUBLE' as const }));
    const file = path.join(dataDir, 'advertising.parquet');
    fs.writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData })));
    const { code, stdout, stderr } = pipelab('run', 'sales-forecast', '--json', '--input', `data=${file}`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).nodes.evaluate.metrics.r2).toBeCloseTo(0.9213494245263174, 9);
  });

  it('keeps a CSV node\'s own settings when --input binds a file, so --set can sample the rows', async () => {
    const graph = structuredClone(findTemplate('sales-forecast')!.graph);
    graph.nodes = graph.nodes.map((node) => (node.id === 'data' ? { ...node, type: 'data.csv', params: { dataset: '', target: 'Sales' } } : node));
    const pipelineFile = path.join(dataDir, 'csv-forecast.json');
    fs.writeFileSync(pipelineFile, JSON.stringify(graph));
    const csv = path.join(dataDir, 'forty-markets.csv');
    fs.writeFileSync(csv, ['TV,Radio,Newspaper,Sales', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 7},${i % 5},${2 * i + (i % 7) + 1}`)].join('\n'));
    const testRows = (...extra: string[]) => {
      const result = pipelab('run', pipelineFile, '--json', '--input', `data=${csv}`, ...extra);
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout).nodes.evaluate.leaderboard.testRows;
    };
    expect(testRows()).toBe(8);
    expect(testRows('--set', 'data.maxRows=20')).toBe(4);
  });

  it('refuses a pipeline file that does not validate with exit code 1 and per-node errors, recording no run', async () => {
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
    expect(output.run).toBeNull();
    expect(output.error).toMatch(/^Not run: the pipeline has 1 problem to fix first/);
    expect(output.nodes.split).toEqual({ status: 'failed', error: 'Input "Table or photos" is not connected: wire a table or a set of photos into it' });
    // Nothing ran, so the run history does not list it.
    expect(JSON.parse(pipelab('runs', '--json').stdout).map((r: { pipeline: string }) => r.pipeline)).not.toContain('broken.json');
  });

  it('explains a pipeline file that is not valid JSON', async () => {
    const file = path.join(dataDir, 'garbage.json');
    fs.writeFileSync(file, '{"schemaVersion": 1, "nodes": [');
    const { code, stderr } = pipelab('run', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not JSON/);
  });

  it('lists templates and the node catalog', async () => {
    const templates = JSON.parse(pipelab('templates', '--json').stdout);
    expect(templates.map((t: { id: string }) => t.id).slice(0, 2)).toEqual(['campaign-response', 'sales-forecast']);
    expect(templates.length).toBeGreaterThanOrEqual(6);
    const catalog = JSON.parse(pipelab('nodes', '--json').stdout);
    expect(catalog.nodes.map((n: { type: string }) => n.type)).toContain('model.logisticRegression');
  });

  it('overrides a setting for one run with --set, checked like the canvas checks it', async () => {
    const sweep = [0, 50].map((l2) => JSON.parse(pipelab('run', 'sales-forecast', '--json', '--set', `model.l2=${l2}`).stdout).nodes.evaluate.metrics.r2);
    expect(sweep[0]).toBeCloseTo(0.9213494245263174, 9);
    expect(sweep[1]).not.toBeCloseTo(sweep[0], 6);
    const bad = pipelab('run', 'sales-forecast', '--set', 'model.l2=lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set: node "model" \(Linear regression\), setting "l2": /);
    expect(pipelab('run', 'sales-forecast', '--set', 'model.colour=red').stderr).toMatch(/has no setting "colour" \(settings: /);
  });

  it('lists every model of an Evaluate node with all its metrics and the best marked, and each model\'s summary', () => {
    const { code, stdout } = pipelab('run', 'compare-response-models', '--json');
    expect(code).toBe(0);
    const { leaderboard } = JSON.parse(stdout).nodes.evaluate;
    expect(leaderboard.models).toHaveLength(3);
    expect(leaderboard.headline).toBe('captureAt20');
    for (const model of leaderboard.models) expect(Object.keys(model.metrics)).toEqual(expect.arrayContaining(['captureAt20', 'rocAuc', 'accuracy']));
    const best = leaderboard.models.filter((model: { bestAt: string[] }) => model.bestAt.includes('captureAt20'));
    expect(best).toHaveLength(1);
    const models = Object.values(JSON.parse(stdout).nodes as Record<string, { model?: { summary: string[] } }>).filter((node) => node.model);
    expect(models).toHaveLength(3);
    expect(models[0].model!.summary.length).toBeGreaterThan(0);
  });

  it('feeds a Photos node a zip with --input, and refuses a CSV there with what the node takes', async () => {
    const sample = (label: string, index: number) => fs.readFileSync(path.join('samples/fashion-products', label, fs.readdirSync(path.join('samples/fashion-products', label))[index]));
    const entries = ['bag', 'coat', 'sandal'].flatMap((label) => Array.from({ length: 10 }, (_, index) => ({ name: `${label}/${index}.png`, data: sample(label, index) })));
    const zip = path.join(dataDir, 'photos.zip');
    fs.writeFileSync(zip, buildZip(entries));
    const { code, stdout, stderr } = pipelab('run', 'classify-product-photos', '--json', '--input', `photos=${zip}`, '--set', 'cnn.epochs=1');
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.nodes.evaluate.leaderboard.testRows).toBe(6);
    const folder = path.join(dataDir, 'photo-folder');
    for (const entry of entries) {
      fs.mkdirSync(path.dirname(path.join(folder, entry.name)), { recursive: true });
      fs.writeFileSync(path.join(folder, entry.name), entry.data);
    }
    const fromFolder = pipelab('run', 'classify-product-photos', '--json', '--input', `photos=${folder}`, '--set', 'cnn.epochs=1');
    expect(fromFolder.code).toBe(0);
    expect(JSON.parse(fromFolder.stdout).nodes.photos.status).toBe('done');
    const csv = path.join(dataDir, 'not-photos.csv');
    fs.writeFileSync(csv, 'a,b\n1,2\n');
    const refused = pipelab('run', 'classify-product-photos', '--input', `photos=${csv}`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--input not-photos\.csv: node "photos" \(Photos\) takes a zip of labelled photos/);
  });

  it('feeds a Saved model node a model file with --input, and scores a customer list with it', async () => {
    const trained = JSON.parse(pipelab('run', 'sales-forecast', '--json').stdout);
    const run = (await getRun(await openDatabase(path.join(dataDir, 'pipelab.sqlite')), trained.run.id))!;
    const download = (run.nodes.model.preview as { download: { hash: string } }).download;
    const modelFile = path.join(dataDir, 'sales-model.json');
    fs.copyFileSync(path.join(dataDir, 'artifacts', download.hash), modelFile);
    const list = path.join(dataDir, 'next-month.csv');
    fs.writeFileSync(list, 'TV,Radio,Newspaper\n100,20,5\n200,40,10\n');
    const scoring = path.join(dataDir, 'scoring.json');
    fs.writeFileSync(
      scoring,
      JSON.stringify({
        schemaVersion: 1,
        nodes: [
          { id: 'saved', type: 'data.model', version: 1, params: {}, position: { x: 0, y: 0 } },
          { id: 'list', type: 'data.csv', version: 1, params: {}, position: { x: 0, y: 0 } },
          { id: 'score', type: 'predict.score', version: 1, params: {}, position: { x: 0, y: 0 } },
        ],
        edges: [
          { id: 'e1', source: 'saved', sourceHandle: 'model', target: 'score', targetHandle: 'model' },
          { id: 'e2', source: 'list', sourceHandle: 'table', target: 'score', targetHandle: 'table' },
        ],
      }),
    );
    const scored = pipelab('run', scoring, '--json', '--input', `saved=${modelFile}`, '--input', `list=${list}`);
    expect(scored.stderr).not.toMatch(/Error/);
    expect(scored.code).toBe(0);
    expect(JSON.parse(scored.stdout).nodes.score.status).toBe('done');
    const wrong = pipelab('run', scoring, '--input', `saved=${list}`, '--input', `list=${list}`);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--input next-month\.csv: node "saved" \(Saved model\) takes a model file \(from "Download model"\)\. This file is not a Pipelab model/);
  });

  it('trains on every row with a split that keeps no test rows, scored by cross-validation', async () => {
    const { code, stdout } = pipelab('run', 'sales-forecast', '--json', '--set', 'split.testFraction=0', '--set', 'evaluate.folds=5');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.nodes.model.model.trainRows).toBe(200);
    const { leaderboard } = output.nodes.evaluate;
    expect(leaderboard.testRows).toBe(0);
    expect(leaderboard.folds).toBe(5);
    expect(leaderboard.models[0].metrics.r2).toBeCloseTo(leaderboard.models[0].crossValidation.r2.mean, 12);
    const refused = pipelab('run', 'sales-forecast', '--json', '--set', 'split.testFraction=0');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).nodes.evaluate.error).toMatch(/no test rows: set "Repeat on parts of the training rows \(cross-validation folds\)" to 2 or more/);
    expect(pipelab('run', 'sales-forecast', '--set', 'split.testFraction=0.01').stderr).toMatch(/Keep at least 5% of the rows for testing, or 0 to train on every row\.\n/);
  });

  // Its backend is found from its own installation when run from another folder: tensorflow-loading.test.ts.
  it('runs from another folder, and refuses an unknown backend before running, even for a run that would not need one', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-elsewhere-'));
    const { code, stdout } = pipelabIn(elsewhere, 'run', 'sales-forecast', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).run).toMatchObject({ status: 'succeeded', backend: null });
    const forced = pipelab('run', 'sales-forecast', '--json', '--backend', 'quantum');
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/--backend: "quantum" is not a TensorFlow\.js backend Pipelab knows/);
  });

  it('lists templates with their graphs, and exports a saved pipeline as the web app does', async () => {
    const listed = JSON.parse(pipelab('templates', '--json').stdout);
    expect(listed[0].graph).toEqual(findTemplate(listed[0].id)!.graph);
    const db = await openDatabase(path.join(dataDir, 'pipelab.sqlite'));
    const { workspaceId } = await makeWorkspace(db, 'Marketing');
    await savePipeline(db, { name: 'Board forecast', description: '', graph: findTemplate('sales-forecast')!.graph, workspaceId });
    const exported = pipelab('export', 'board forecast', '--workspace', 'Marketing');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'pipelab-pipeline', name: 'Board forecast', graph: findTemplate('sales-forecast')!.graph });
    expect(pipelab('export', 'nope', '--workspace', 'Marketing').stderr).toMatch(/No saved pipeline is called "nope" in "Marketing"/);
  });
});
