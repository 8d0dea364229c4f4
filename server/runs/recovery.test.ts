/** Runs survive the death of the process running them: they end interrupted, never "running" forever. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client';
import { eq } from 'drizzle-orm';
import { createRun, getRun, interruptAbandonedRuns } from '../../db/runs';
import { runs } from '../../db/schema';
import { customerRows, graph, uploadCsv, useTempDataDir } from '../../nodes/test-harness';
import { findTemplate } from '../templates';
import { startRun } from './service';
import { WorkerExecutor } from './worker-executor';

const BIN = path.resolve('bin/pipelab.mjs');
const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('leases', () => {
  let db: Db;
  beforeAll(async () => {
    db = await useTempDataDir();
  });
  const recorded = (id: string, lease?: { owner: string; expiresAt: number }, origin: 'ui' | 'cli' = 'cli') =>
    createRun(db, { id, pipelineId: null, label: id, origin, graph: graph({}, []), nodeIds: [], workspaceId: null, startedBy: null, lease });

  it('interrupts the runs whose lease lapsed, and only those', async () => {
    const now = Date.now();
    await recorded('lapsed', { owner: 'gone:1', expiresAt: now - 1 });
    await recorded('alive', { owner: 'here:2', expiresAt: now + 60_000 });
    expect(await interruptAbandonedRuns(db, now)).toEqual(['lapsed']);
    expect(await getRun(db, 'lapsed')).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^Interrupted: the process running this pipeline stopped/) });
    expect((await getRun(db, 'alive'))!.status).toBe('queued');
  });

  it('a restarted server interrupts the runs its old self was training, whatever their lease', async () => {
    await recorded('web-run', { owner: 'old-server:3', expiresAt: Date.now() + 60_000 }, 'ui');
    await db.update(runs).set({ status: 'running' }).where(eq(runs.id, 'web-run'));
    await interruptAbandonedRuns(db, Date.now(), { origin: 'ui' });
    expect((await getRun(db, 'web-run'))!.status).toBe('interrupted');
    expect((await getRun(db, 'alive'))!.status).toBe('queued');
  });
});

describe('the run worker dies mid-run', () => {
  const executor = new WorkerExecutor();
  afterAll(() => executor.stop());

  it('interrupts the run it was training and hands the queued one to a fresh worker', async () => {
    const db = await useTempDataDir();
    const slow = findTemplate('compare-response-models')!.graph;
    const dataset = await uploadCsv(db, 'customers.csv', customerRows(60));
    const quick = graph(
      { data: ['data.csv', { dataset, target: 'bought' }], encode: ['prep.oneHot'], split: ['prep.split', { testFraction: 0.25, seed: 1 }], model: ['model.logisticRegression'] },
      ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data'],
    );
    const base = { pipelineId: null, origin: 'ui' as const, workspaceId: null, startedBy: null };
    const first = await startRun(db, executor, { ...base, graph: slow, label: 'slow' });
    const second = await startRun(db, executor, { ...base, graph: quick, label: 'quick' });
    expect((await getRun(db, second.runId))!.status).toBe('queued');
    await waitFor(async () => (await getRun(db, first.runId))!.status === 'running');
    (executor as unknown as { child: { kill(signal: string): void } }).child.kill('SIGKILL');
    expect((await first.done).status).toBe('interrupted');
    expect(await getRun(db, first.runId)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/stopped unexpectedly \(SIGKILL\)/) });
    expect((await second.done).status).toBe('succeeded');
  }, 120_000);
});

describe('a command-line run killed with kill -9', () => {
  it('is marked interrupted once its lease lapses, and `pipelab runs` says so', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-kill-'));
    const env = { ...process.env, PIPELAB_DATA_DIR: dataDir, PIPELAB_RUN_LEASE_MS: '1000' };
    const child = spawn(process.execPath, [BIN, 'run', 'compare-response-models', '--json'], { env, stdio: 'ignore' });
    const db = await openDatabase(path.join(dataDir, 'pipelab.sqlite'));
    const running = () => db.select({ id: runs.id, status: runs.status }).from(runs);
    await waitFor(async () => (await running()).some((run) => run.status === 'running'));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await running())[0].status).toBe('running');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const listed = spawnSync(process.execPath, [BIN, 'runs', '--json'], { env, encoding: 'utf8' });
    expect(listed.status).toBe(0);
    const recent = JSON.parse(listed.stdout) as { status: string; error: string; pipeline: string }[];
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ status: 'interrupted', pipeline: 'Compare models for campaign response' });
    const table = spawnSync(process.execPath, [BIN, 'runs'], { env, encoding: 'utf8' });
    expect(table.stdout).toMatch(/^run +pipeline +status +who +started \(UTC\) +took\n/);
    expect(table.stdout).toMatch(/interrupted/);
  }, 120_000);
});
