/** Runs survive the death of the process running them: they end interrupted, never "running" forever. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, sqliteConnection, type Db } from '../../db/client';
import { getPipeline, savePipeline } from '../../db/pipelines';
import { listVersions } from '../../db/versions';
import { eq } from 'drizzle-orm';
import { createRun, getRun, interruptAbandonedRuns } from '../../db/runs';
import { tables } from '../../db/schema';
import { customerRows, graph, uploadCsv, useTempDataDir } from '../../nodes/test-harness';
import { findTemplate } from '../templates';
import { startRun } from './service';
import { WorkerExecutor } from './worker-executor';

const { runs } = tables;

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

describe('the web server killed with kill -9 while runs are queued and running', () => {
  const startServer = (env: NodeJS.ProcessEnv, args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/runs/fixtures/embedded-server.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { ids: string[] }).ids);
      });
      child.once('exit', (code) => reject(new Error(`the server stopped (${code}) before it was ready`)));
    });
    return { child, ready };
  };

  // Two random moments: the kill may land while runs are queued, training, or between two runs.
  for (const attempt of [1, 2]) {
    it(`loses nothing: the next server interrupts what was training and runs the rest (random moment ${attempt})`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-server-kill-'));
      const env = { ...process.env, PIPELAB_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };
      const db = await openDatabase(path.join(dataDir, 'pipelab.sqlite'));
      const saved = await savePipeline(db, { name: 'Kept', description: 'before the crash', graph: graph({}, []) });
      await savePipeline(db, { id: saved.id, name: 'Kept', description: 'second version', graph: graph({}, []), message: 'v2' });

      const first = startServer(env, ['campaign-response', '4']);
      const ids = await first.ready;
      await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 6000));
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const atKill = new Map((await db.select({ id: runs.id, status: runs.status }).from(runs)).map((run) => [run.id, run.status]));

      const second = startServer(env, []);
      await second.ready;
      try {
        await waitFor(async () => {
          const rows = await db.select({ status: runs.status }).from(runs);
          return rows.every((row) => row.status !== 'queued' && row.status !== 'running');
        }, 120_000);
        const after = await db.select({ id: runs.id, status: runs.status, leaseOwner: runs.leaseOwner }).from(runs);
        expect(after.map((run) => run.id).sort()).toEqual([...ids].sort());
        for (const run of after) {
          // Nothing is left without an owner; what had not started ran to the end on the next server.
          expect(run.leaseOwner).toBeNull();
          if (atKill.get(run.id) === 'queued') expect(run.status).toBe('succeeded');
          else expect(['succeeded', 'interrupted']).toContain(run.status);
        }
        expect(sqliteConnection(db)!.pragma('integrity_check', { simple: true })).toBe('ok');
        expect((await getPipeline(db, saved.id))?.description).toBe('second version');
        expect((await listVersions(db, saved.id)).map((v) => v.version)).toEqual([2, 1]);
      } finally {
        second.child.kill('SIGKILL');
        await closeDatabase(db);
      }
    }, 180_000);
  }
});
