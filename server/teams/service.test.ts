import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { openTestDatabase } from '../../db/test-fixtures';
import { getDataset } from '../../db/datasets';
import { tables } from '../../db/schema';
import { savePipeline } from '../../db/pipelines';
import { insertRunRecords, type RunRecord } from '../../db/runs';
import type { Graph } from '../../nodes/graph-document';
import { keepImageArchive, storeDataset } from '../datasets';
import { buildZip } from '../../models/images/test-zip';
import { exportPipelineDownload } from './export-stream';
import { classificationPreview } from './fixtures';
import { htmlReportResponse } from './http';
import { exportPipeline, serializeExport } from './transfer';
import {
  checkPipelineFile,
  compareRunsById,
  comparisonReportHtml,
  createShareLink,
  duplicatePipeline,
  exportPipelineFile,
  nodeLookup,
  pipelineExport,
  importPipelineFile,
  restoreVersion,
  revokeShare,
  runReportHtml,
  sharedPipeline,
  sharedReportHtml,
  shareLinksOf,
  TeamsError,
  versionDiff,
} from './service';

const { pipelines } = tables;

let db: Db;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-teams-'));
  process.env.PIPELAB_DATA_DIR = dataDir;
  db = await openTestDatabase();
});

function csvGraph(hash: string, l2 = 1): Graph {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'data', type: 'data.csv', version: 1, params: { dataset: hash, target: 'bought' }, position: { x: 40, y: 80 } },
      { id: 'split', type: 'prep.split', version: 1, params: { testFraction: 0.25 }, position: { x: 270, y: 80 } },
      { id: 'model', type: 'model.logisticRegression', version: 1, params: { l2 }, position: { x: 500, y: 80 } },
      { id: 'evaluate', type: 'eval.evaluate', version: 1, params: {}, position: { x: 730, y: 260 } },
    ],
    edges: [
      { id: 'e1', source: 'data', sourceHandle: 'table', target: 'split', targetHandle: 'table' },
      { id: 'e2', source: 'split', sourceHandle: 'split', target: 'model', targetHandle: 'data' },
      { id: 'e3', source: 'model', sourceHandle: 'model', target: 'evaluate', targetHandle: 'model' },
      { id: 'e4', source: 'split', sourceHandle: 'split', target: 'evaluate', targetHandle: 'data' },
    ],
  };
}

function record(id: string, pipelineId: string | null, version: number | null, graph: Graph, auc: number, startedAt: number): RunRecord {
  const preview = classificationPreview(auc);
  const metrics = { rocAuc: auc, accuracy: 0.85 };
  return {
    run: { id, pipelineId, pipelineVersion: version, label: `Run ${id}`, origin: 'ui', status: 'succeeded', graph, backend: 'wasm', startedAt, finishedAt: startedAt + 4000, durationMs: 4000 },
    nodes: graph.nodes.map((node) => ({
      runId: id,
      nodeId: node.id,
      status: 'done' as const,
      durationMs: 10,
      preview: node.id === 'evaluate' ? preview : null,
      metrics: node.id === 'evaluate' ? metrics : null,
    })),
    metrics,
  };
}

const CSV = 'spend,region,bought\n10,north,yes\n20,south,no\n30,north,yes\n40,south,no\n';

/** The export file with its data files inside, as the download route streams it. */
async function bundledExport(pipelineId: string, now = Date.now()) {
  const download = await exportPipelineDownload(db, pipelineId, { bundleFiles: true }, now);
  return { fileName: download.fileName, text: await new Response(download.body).text() };
}

describe('teams service', () => {
  let hash: string;
  let pipelineId: string;

  beforeAll(async () => {
    hash = (await storeDataset(db, 'customers.csv', new TextEncoder().encode(CSV))).hash;
    pipelineId = (await savePipeline(db, { name: 'Churn', description: 'Who buys', graph: csvGraph(hash, 1) }, 1000)).id;
    await savePipeline(db, { id: pipelineId, name: 'Churn', description: 'Who buys', graph: csvGraph(hash, 0.1), message: 'Less regularization' }, 2000);
    await insertRunRecords(db, [
      record('r1', pipelineId, 1, csvGraph(hash, 1), 0.8, 10_000),
      record('r2', pipelineId, 2, csvGraph(hash, 0.1), 0.9, 20_000),
    ]);
  });

  it('compares runs by id with parameters, best runs, ROC curves and confusion matrices', async () => {
    const comparison = await compareRunsById(db, ['r2', 'r1', 'r2']);
    expect(comparison.runs.map((r) => [r.id, r.pipelineName, r.pipelineVersion])).toEqual([
      ['r2', 'Churn', 2],
      ['r1', 'Churn', 1],
    ]);
    expect(comparison.parameters.filter((p) => p.differs)).toEqual([
      { nodeId: 'model', nodeTitle: 'Logistic regression', param: 'l2', paramTitle: 'Shrink weights: ridge strength (L2)', values: [0.1, 1], differs: true },
    ]);
    expect(comparison.best).toEqual({ rocAuc: 0, accuracy: 0 });
    expect(comparison.rocCurves.map((c) => c.runIndex)).toEqual([0, 1]);
    expect(comparison.confusions).toHaveLength(2);
    await expect(compareRunsById(db, ['r1'])).rejects.toThrow(/Pick 2 to 20/);
    await expect(compareRunsById(db, ['r1', 'nope'])).rejects.toThrow(/This run was not found: nope/);
  });

  it('diffs and restores versions', async () => {
    const diff = await versionDiff(db, pipelineId, 1, 2);
    expect(diff.to.message).toBe('Less regularization');
    expect(diff.nodes).toEqual([
      { nodeId: 'data', title: 'CSV file', change: 'same' },
      { nodeId: 'split', title: 'Train/test split', change: 'same' },
      { nodeId: 'model', title: 'Logistic regression', change: 'changed', params: [{ param: 'l2', from: 1, to: 0.1 }] },
      { nodeId: 'evaluate', title: 'Evaluate', change: 'same' },
    ]);
    expect(diff.edges).toEqual([]);
    expect(diff.diff.nodes.changed).toEqual([{ id: 'model', type: 'model.logisticRegression', title: 'Logistic regression', params: [{ name: 'l2', from: 1, to: 0.1 }] }]);
    await expect(versionDiff(db, pipelineId, 1, 7)).rejects.toThrow(TeamsError);
    const other = await savePipeline(db, { name: 'Restore me', description: '', graph: csvGraph(hash, 5) });
    await savePipeline(db, { id: other.id, name: 'Restore me', description: '', graph: csvGraph(hash, 6) });
    const restored = await restoreVersion(db, other.id, 1);
    expect(restored).toMatchObject({ version: 3, graph: csvGraph(hash, 5) });
    expect((await versionDiff(db, other.id, 1, 3)).diff.same).toBe(true);
    expect((await versionDiff(db, other.id, 1, 3)).to.message).toBe('Restored version 1');
  });

  it('exports and imports a pipeline with its data file inside', async () => {
    const file = await bundledExport(pipelineId, Date.UTC(2026, 10, 25));
    expect(file.fileName).toBe('churn-v2.pipelab.json');
    const exported = JSON.parse(file.text);
    expect(exported.datasets).toEqual([{ hash, name: 'customers.csv', sizeBytes: CSV.length, rowCount: 4 }]);
    expect(Object.keys(exported.bundle)).toEqual([hash]);

    // Another installation: the uploaded file is not there.
    fs.rmSync(path.join(dataDir, 'uploads', `${hash}.csv`));
    expect(checkPipelineFile((await exportPipelineFile(db, pipelineId)).text).errors).toEqual([
      'The step "CSV file" reads the CSV file "customers.csv", which is neither inside the file nor stored here. Export the pipeline again with its data files.',
    ]);
    const imported = await importPipelineFile(db, file.text);
    expect(imported.warnings).toEqual([]);
    expect(imported.pipeline).toMatchObject({ name: 'Churn', description: 'Who buys', version: 1, graph: csvGraph(hash, 0.1) });
    expect(fs.readFileSync(path.join(dataDir, 'uploads', `${hash}.csv`), 'utf8')).toBe(CSV);
    expect((await exportPipelineFile(db, pipelineId, { version: 1 })).fileName).toBe('churn-v1.pipelab.json');
  });

  it('streams the same bytes as the export file built in memory', async () => {
    const now = Date.UTC(2026, 10, 25);
    const { file } = await pipelineExport(db, pipelineId, {}, now);
    const inMemory = serializeExport(exportPipeline({ ...file, graph: file.graph, exportedAt: now, lookup: nodeLookup(), dataset: () => file.datasets[0], readFile: () => new TextEncoder().encode(CSV) }));
    expect((await bundledExport(pipelineId, now)).text).toBe(inMemory);
    const plain = await new Response((await exportPipelineDownload(db, pipelineId, {}, now)).body).text();
    expect(plain).toBe((await exportPipelineFile(db, pipelineId, {}, now)).text);
  });

  it('exports and imports a photo pipeline with its zip inside', async () => {
    const zip = buildZip([
      { name: 'bag/1.png', data: fs.readFileSync('samples/fashion-products/bag/0001.png') },
      { name: 'bag/2.png', data: fs.readFileSync('samples/fashion-products/bag/0002.png') },
      { name: 'dress/1.png', data: fs.readFileSync('samples/fashion-products/dress/0001.png') },
      { name: 'dress/2.png', data: fs.readFileSync('samples/fashion-products/dress/0002.png') },
    ]);
    const zipHash = keepImageArchive(zip);
    const graph: Graph = {
      schemaVersion: 1,
      nodes: [{ id: 'photos', type: 'data.images', version: 1, params: { source: 'upload', archive: zipHash }, position: { x: 0, y: 0 } }],
      edges: [],
    };
    const saved = await savePipeline(db, { name: 'Photos', description: '', graph });
    const file = await bundledExport(saved.id);
    expect(Object.keys(JSON.parse(file.text).bundle)).toEqual([zipHash]);
    const stored = path.join(dataDir, 'uploads', `${zipHash}.zip`);
    fs.rmSync(stored);
    expect(checkPipelineFile((await exportPipelineFile(db, saved.id)).text).errors).toEqual([
      `The step "Photos" reads the zip of photos (${zipHash.slice(0, 12)}…), which is neither inside the file nor stored here. Export the pipeline again with its data files.`,
    ]);
    await importPipelineFile(db, file.text);
    expect(fs.readFileSync(stored).equals(zip)).toBe(true);
  });

  it('checks a bundled zip of photos like an uploaded one, and keeps nothing of a refused import', async () => {
    const zip = buildZip([{ name: 'bag/1.png', data: fs.readFileSync('samples/fashion-products/bag/0001.png') }]);
    const zipHash = createHash('sha256').update(zip).digest('hex');
    const graph: Graph = {
      schemaVersion: 1,
      nodes: [{ id: 'photos', type: 'data.images', version: 1, params: { source: 'upload', archive: zipHash }, position: { x: 0, y: 0 } }],
      edges: [],
    };
    const file = { format: 'pipelab-pipeline', formatVersion: 1, name: 'One label', graph, datasets: [], bundle: { [zipHash]: zip.toString('base64') } };
    const before = (await db.select().from(pipelines)).length;
    await expect(importPipelineFile(db, JSON.stringify(file))).rejects.toThrow(/^The bundled zip ".*" was refused: Image classification needs at least two labelled folders/);
    expect((await db.select().from(pipelines)).length).toBe(before);
    expect(fs.existsSync(path.join(dataDir, 'uploads', `${zipHash}.zip`))).toBe(false);
  });

  it('refuses a broken file with every problem listed', async () => {
    const graph = csvGraph(hash);
    graph.edges.push({ id: 'x', source: 'ghost', sourceHandle: 'table', target: 'phantom', targetHandle: 'table' });
    await expect(importPipelineFile(db, JSON.stringify({ name: 'Broken', graph }))).rejects.toThrow(
      '- A wire starts at a step that is not in the pipeline.\n- A wire ends at a step that is not in the pipeline.',
    );
    await expect(importPipelineFile(db, 'not json')).rejects.toThrow(/^This is not a Pipelab pipeline file: it is not JSON text/);
  });

  it('shares a pipeline read-only, reuses the active link, and turns it off', async () => {
    const link = await createShareLink(db, pipelineId, null, 5000);
    expect(link.url).toBe(`/share/${link.token}`);
    expect(link.reportUrl).toBe(`/api/report/shared/${link.token}`);
    expect((await createShareLink(db, pipelineId)).token).toBe(link.token);
    const shared = await sharedPipeline(db, link.token);
    expect(shared.pipeline).not.toHaveProperty('id');
    expect(shared.pipeline).toMatchObject({ name: 'Churn', version: 2, graph: csvGraph(hash, 0.1) });
    expect(shared.runs.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(await sharedReportHtml(db, link.token)).toContain('<h1>Churn</h1>');

    const copy = await duplicatePipeline(db, { shareToken: link.token });
    expect(copy).toMatchObject({ name: 'Churn (copy)', version: 1, graph: csvGraph(hash, 0.1) });
    expect(copy.id).not.toBe(pipelineId);

    expect(await revokeShare(db, { pipelineId })).toBe(1);
    await expect(sharedPipeline(db, link.token)).rejects.toThrow(/not valid or has been turned off/);
    await expect(duplicatePipeline(db, { shareToken: link.token })).rejects.toThrow(TeamsError);
    expect((await shareLinksOf(db, pipelineId))[0].revokedAt).not.toBeNull();
    expect((await createShareLink(db, pipelineId)).token).not.toBe(link.token);
  });

  it('renders run and comparison reports from the database', async () => {
    const run = await runReportHtml(db, 'r2');
    expect(run).toContain('<h1>Run r2</h1>');
    expect(run).toContain('customers.csv');
    const comparison = await comparisonReportHtml(db, ['r1', 'r2']);
    expect(comparison).toContain('Comparison of 2 runs');
    await expect(runReportHtml(db, 'missing')).rejects.toThrow(TeamsError);
  });

  it('answers report requests as attachments with safe headers, 404 for unknown runs', async () => {
    const ok = await htmlReportResponse(new Request('http://localhost/api/report/run/r2'), { name: 'pipelab-run-r2.html' }, () => runReportHtml(db, 'r2'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-disposition')).toBe('attachment; filename="pipelab-run-r2.html"');
    expect(ok.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await ok.text()).toContain('Run r2');
    const page = await htmlReportResponse(new Request('http://localhost/x'), { name: 'shared.html', inline: true }, async () => '<p>x</p>');
    expect(page.headers.get('content-disposition')).toBe('inline; filename="shared.html"');
    const saved = await htmlReportResponse(new Request('http://localhost/x?download=1'), { name: 'shared.html', inline: true }, async () => '<p>x</p>');
    expect(saved.headers.get('content-disposition')).toBe('attachment; filename="shared.html"');
    const missing = await htmlReportResponse(new Request('http://localhost/x'), { name: 'run.html' }, () => runReportHtml(db, 'missing'));
    expect(missing.status).toBe(404);
    const bad = await htmlReportResponse(new Request('http://localhost/x'), { name: 'c.html' }, () => comparisonReportHtml(db, []));
    expect(bad.status).toBe(400);
  });

  it('imports all or nothing: a bundled file that cannot be read leaves nothing saved', async () => {
    const good = new TextEncoder().encode('a,b\n1,2\n3,4\n');
    const bad = new Uint8Array([0, 159, 146, 150, 0, 0]);
    const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const graph = csvGraph(hashOf(good));
    graph.nodes.push({ id: 'more', type: 'data.csv', version: 1, params: { dataset: hashOf(bad), target: 'b' }, position: { x: 0, y: 300 } });
    const file = {
      format: 'pipelab-pipeline',
      formatVersion: 1,
      name: 'Two files',
      description: '',
      exportedAt: new Date().toISOString(),
      graph,
      datasets: [
        { hash: hashOf(good), name: 'good.csv', sizeBytes: good.length, rowCount: 2 },
        { hash: hashOf(bad), name: 'bad.csv', sizeBytes: bad.length, rowCount: 0 },
      ],
      bundle: { [hashOf(good)]: Buffer.from(good).toString('base64'), [hashOf(bad)]: Buffer.from(bad).toString('base64') },
    };
    const before = (await db.select().from(pipelines)).length;
    await expect(importPipelineFile(db, JSON.stringify(file))).rejects.toThrow(/The bundled file "bad.csv" could not be read/);
    expect((await db.select().from(pipelines)).length).toBe(before);
    expect(await getDataset(db, hashOf(good))).toBeUndefined();
  });
});
