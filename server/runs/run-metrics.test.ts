import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, openTestDatabase } from '../../db/test-fixtures';
import type { Db } from '../../db/client';
import { savePipeline } from '../../db/pipelines';
import { getRun } from '../../db/runs';
import { searchRuns } from '../../db/run-search';
import type { Graph } from '../../nodes/graph-document';
import { findTemplate } from '../templates';
import { InProcessExecutor } from './in-process';
import { startRun } from './service';

let db: Db;
const executor = new InProcessExecutor();
let ws: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-run-metrics-'));
  process.env.PIPELAB_DATA_DIR = dir;
  db = await openTestDatabase();
  ws = (await makeWorkspace(db)).workspaceId;
});

/** The sales template with a second evaluate node scoring a ridge model, so two evaluate nodes report metrics. */
function twoEvaluations(): Graph {
  const graph = structuredClone(findTemplate('sales-forecast')!.graph);
  graph.nodes.push(
    { id: 'ridge', type: 'model.linearRegression', version: 1, params: { degree: 1, l2: 500 }, position: { x: 700, y: 400 } },
    { id: 'evaluate2', type: 'eval.evaluate', version: 1, params: {}, position: { x: 930, y: 400 } },
  );
  graph.edges.push(
    { id: 'r1', source: 'split', sourceHandle: 'split', target: 'ridge', targetHandle: 'data' },
    { id: 'r2', source: 'ridge', sourceHandle: 'model', target: 'evaluate2', targetHandle: 'model' },
    { id: 'r3', source: 'split', sourceHandle: 'split', target: 'evaluate2', targetHandle: 'data' },
  );
  return graph;
}

describe('metrics and versions recorded with runs', () => {
  it("stamps the pipeline's latest version and indexes the best value of each metric over the evaluate nodes", async () => {
    const pipeline = await savePipeline(db, { name: 'Sales', description: '', graph: findTemplate('sales-forecast')!.graph });
    await savePipeline(db, { id: pipeline.id, name: 'Sales', description: '', graph: twoEvaluations() });
    const { runId, done } = await startRun(db, executor, { graph: twoEvaluations(), pipelineId: pipeline.id, label: 'two', origin: 'cli', workspaceId: ws, startedBy: null });
    expect((await done).status).toBe('succeeded');
    const run = (await getRun(db, runId))!;
    const first = run.nodes.evaluate.metrics!;
    const second = run.nodes.evaluate2.metrics!;
    const row = (await searchRuns(db, ws, { filters: { pipelineId: pipeline.id } })).rows[0];
    expect(row.id).toBe(runId);
    expect(row.pipelineVersion).toBe(2);
    expect(row.metrics).toEqual({
      r2: Math.max(first.r2, second.r2),
      mae: Math.min(first.mae, second.mae),
      rmse: Math.min(first.rmse, second.rmse),
    });
    expect(first.r2).not.toBe(second.r2);
  });

  it('records no metrics and no version for an unsaved graph that fails validation', async () => {
    const graph = structuredClone(findTemplate('sales-forecast')!.graph);
    graph.edges = [];
    // A graph that does not validate is refused before anything is recorded: no run, so no metrics or version.
    await expect(startRun(db, executor, { graph, pipelineId: null, label: 'broken', origin: 'cli', workspaceId: ws, startedBy: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await searchRuns(db, ws, { filters: { text: 'broken' } })).rows).toEqual([]);
  });
});
