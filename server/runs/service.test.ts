import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { openTestDatabase } from '../../db/test-fixtures';
import { randomUUID } from 'node:crypto';
import { createRun, getRun, listRuns } from '../../db/runs';
import { storeDataset } from '../datasets';
import { findTemplate } from '../templates';
import type { Graph } from '../../nodes/graph-document';
import { InProcessExecutor } from './in-process';
import { LEASE_OWNER, leaseUntil } from './leases';
import { executeRecordedRun, startRun } from './service';

let db: Db;
const executor = new InProcessExecutor();

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-runs-'));
  process.env.PIPELAB_DATA_DIR = dir;
  db = await openTestDatabase();
});

function advertisingGraph(): Graph {
  return structuredClone(findTemplate('sales-forecast')!.graph);
}

/** The advertising pipeline with an unwired input and a setting out of range. */
function brokenGraph(): Graph {
  const graph = advertisingGraph();
  graph.edges = graph.edges.filter((e) => e.target !== 'evaluate' || e.targetHandle !== 'data');
  graph.nodes.find((n) => n.id === 'split')!.params = { testFraction: 2 };
  return graph;
}

describe('recorded runs', () => {
  it('records a successful run with per-node results and a headline', async () => {
    const { runId, done } = await startRun(db, executor, { graph: advertisingGraph(), pipelineId: null, label: 'ads', origin: 'cli', workspaceId: null, startedBy: null });
    expect((await done).status).toBe('succeeded');
    const run = (await getRun(db, runId))!;
    // Linear regression computes in JavaScript: the run never loaded TensorFlow.js, so it records no backend.
    expect(run).toMatchObject({ status: 'succeeded', label: 'ads', backend: null, error: null });
    expect(run.headline).toMatchObject({ name: 'mae', subject: 'Sales' });
    expect(Object.values(run.nodes).map((n) => n.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(run.nodes.evaluate.preview).toMatchObject({ kind: 'evaluation', task: 'regression' });
    expect((await listRuns(db, { limit: 5 })).map((r) => r.id)).toContain(runId);
  });

  it('marks reused nodes as cached when only a downstream parameter changes', async () => {
    const graph = advertisingGraph();
    graph.nodes.find((n) => n.id === 'model')!.params = { degree: 2, l2: 0 };
    const { runId, done } = await startRun(db, executor, { graph, pipelineId: null, label: 'ads', origin: 'cli', workspaceId: null, startedBy: null });
    await done;
    const nodes = (await getRun(db, runId))!.nodes;
    expect([nodes.data.cached, nodes.columns.cached, nodes.split.cached]).toEqual([true, true, true]);
    expect([nodes.model.cached, nodes.evaluate.cached]).toEqual([false, false]);
  });

  it('refuses a graph with problems before recording anything: a refusal is not a run', async () => {
    const graph = brokenGraph();
    const before = (await listRuns(db, { limit: 500 })).length;
    const start = startRun(db, executor, { graph, pipelineId: null, label: 'broken', origin: 'ui', workspaceId: null, startedBy: null });
    await expect(start).rejects.toMatchObject({ name: 'ServiceError', code: 'BAD_REQUEST' });
    await expect(start).rejects.toThrow(/^The pipeline has 2 problems to fix before it can run\.\n- Train\/test split: setting "Share of rows for testing".*\n- Evaluate: Input "Train\/test" is not connected/);
    expect((await listRuns(db, { limit: 500 })).length).toBe(before);
  });

  it('still fails, with the error on each node, a queued run that no longer validates when it is taken', async () => {
    const input = { graph: brokenGraph(), pipelineId: null, label: 'queued before an upgrade', origin: 'ui' as const, workspaceId: null, startedBy: null };
    const runId = randomUUID();
    await createRun(db, { id: runId, ...input, nodeIds: input.graph.nodes.map((n) => n.id), lease: { owner: LEASE_OWNER, expiresAt: leaseUntil() } });
    expect((await executeRecordedRun(db, executor, runId, input)).status).toBe('failed');
    const run = (await getRun(db, runId))!;
    expect(run.error).toMatch(/2 problems/);
    expect(run.nodes.evaluate).toMatchObject({ status: 'failed', error: 'Input "Train/test" is not connected: wire a train/test split into it' });
    expect(run.nodes.split.error).toMatch(/setting "Share of rows for testing"/);
    expect(run.nodes.data.status).toBe('skipped');
  });

  it('fails a logistic regression on raw text columns, naming the column', async () => {
    const graph = structuredClone(findTemplate('campaign-response')!.graph);
    // Wire the cleaned table straight into the split: text columns reach the model unencoded.
    graph.nodes = graph.nodes.filter((n) => n.id !== 'encode' && n.id !== 'scale');
    graph.edges = graph.edges.filter((e) => !['encode', 'scale'].includes(e.source) && !['encode', 'scale'].includes(e.target));
    graph.edges.push({ id: 'direct', source: 'clean', sourceHandle: 'table', target: 'split', targetHandle: 'table' });
    const { runId, done } = await startRun(db, executor, { graph, pipelineId: null, label: 'raw', origin: 'cli', workspaceId: null, startedBy: null });
    await done;
    const run = (await getRun(db, runId))!;
    expect(run.nodes.model).toMatchObject({ status: 'failed' });
    expect(run.nodes.model.error).toMatch(/Column "job" holds text; encode it/);
    expect(run.nodes.evaluate.status).toBe('skipped');
    expect(run.error).toMatch(/^Logistic regression: Column "job" holds text/);
  });

  it('runs an uploaded CSV and explains a constant target', async () => {
    const csv = 'spend,region,bought\n10,north,yes\n20,south,yes\n30,north,yes\n';
    const dataset = await storeDataset(db, 'customers.csv', new TextEncoder().encode(csv));
    expect(dataset).toMatchObject({ rowCount: 3, delimiter: ',', hasHeader: true });
    const graph: Graph = {
      schemaVersion: 1,
      nodes: [{ id: 'upload', type: 'data.csv', version: 1, params: { dataset: dataset.hash, target: 'bought' }, position: { x: 0, y: 0 } }],
      edges: [],
    };
    const { runId, done } = await startRun(db, executor, { graph, pipelineId: null, label: 'upload', origin: 'ui', workspaceId: null, startedBy: null });
    await done;
    expect((await getRun(db, runId))!.nodes.upload.error).toBe('The target column "bought" always holds "yes"; there is nothing to predict.');
  });

  it('records a cancelled run', async () => {
    const graph = structuredClone(findTemplate('campaign-response')!.graph);
    graph.nodes.find((n) => n.id === 'split')!.params = { seed: 7 };
    const { runId, done } = await startRun(db, executor, { graph, pipelineId: null, label: 'stop', origin: 'ui', workspaceId: null, startedBy: null });
    setTimeout(() => executor.cancel(runId), 50);
    expect((await done).status).toBe('cancelled');
    const run = (await getRun(db, runId))!;
    expect(run.status).toBe('cancelled');
    expect(Object.values(run.nodes).some((n) => n.status === 'cancelled')).toBe(true);
  });
});
