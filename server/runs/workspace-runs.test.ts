import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { openTestDatabase } from '../../db/test-fixtures';
import type { ExecutionOutcome } from '../engine/events';
import { TestPeople } from '../auth/test-people';
import { shortDate } from '../pipeline-names';
import { appRouter } from '../routers/app';
import { findTemplate } from '../templates';
import type { RunDispatcher } from './dispatch';
import { InProcessExecutor } from './in-process';
import { startRun } from './service';

let db: Db;
let caller: ReturnType<typeof appRouter.createCaller>;
/** Runs started through the procedures, awaited before the database closes. */
const running: Promise<ExecutionOutcome>[] = [];

beforeAll(async () => {
  process.env.PIPELAB_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-workspace-runs-'));
  db = await openTestDatabase();
  const executor = new InProcessExecutor();
  // The command line's way of running: recorded in this database, trained in this process.
  const inProcess: RunDispatcher = {
    async start(input) {
      const { runId, done } = await startRun(db, executor, input);
      running.push(done);
      return runId;
    },
    async cancel() {},
    async backend() {
      return null;
    },
    async close() {},
  };
  const people = new TestPeople(db, inProcess);
  caller = appRouter.createCaller(people.context(await people.signUp('Rita Runner', 'rita@example.test')));
});

afterAll(async () => {
  await Promise.all(running);
});

const forecast = () => structuredClone(findTemplate('sales-forecast')!.graph);

describe('starting a run from the app', () => {
  it('saves a pipeline never saved under its name at its first run, so its runs belong to it', async () => {
    const { runId, saved } = await caller.runs.start({ graph: forecast(), label: 'Sales forecast – 3 Dec 2026', description: 'TV, radio, papers' });
    expect(saved).toMatchObject({ name: 'Sales forecast – 3 Dec 2026', description: 'TV, radio, papers', version: 1 });
    expect((await caller.pipelines.get({ id: saved!.id })).graph).toEqual(forecast());
    await Promise.all(running);
    const run = await caller.runs.get({ runId });
    expect(run).toMatchObject({ status: 'succeeded', pipelineId: saved!.id, label: 'Sales forecast – 3 Dec 2026' });
    expect((await caller.runs.list({})).filter((listed) => listed.pipelineId === null)).toEqual([]);
  });

  it('names a pipeline nobody named "My pipeline" and the date', async () => {
    const { saved } = await caller.runs.start({ graph: forecast() });
    expect(saved!.name).toBe(`My pipeline – ${shortDate(new Date())}`);
  });

  it('saves nothing more for a pipeline already saved', async () => {
    const pipeline = await caller.pipelines.save({ name: 'Channels', graph: forecast() });
    const { runId, saved } = await caller.runs.start({ graph: forecast(), pipelineId: pipeline.id, label: 'Channels' });
    expect(saved).toBeNull();
    expect((await caller.runs.get({ runId })).pipelineId).toBe(pipeline.id);
    expect((await caller.pipelines.versions({ id: pipeline.id })).length).toBe(1);
  });

  it('refuses a graph that does not validate, recording no run and saving no pipeline', async () => {
    const graph = forecast();
    graph.edges = graph.edges.filter((edge) => edge.target !== 'evaluate' || edge.targetHandle !== 'data');
    const runsBefore = (await caller.runs.list({ limit: 500 })).length;
    const pipelinesBefore = (await caller.pipelines.list()).length;
    await expect(caller.runs.start({ graph, label: 'Half wired' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^The pipeline has 1 problem to fix before it can run\.\n- Evaluate: Input "Train\/test" is not connected/),
    });
    expect((await caller.runs.list({ limit: 500 })).length).toBe(runsBefore);
    expect((await caller.pipelines.list()).length).toBe(pipelinesBefore);
  });
});
