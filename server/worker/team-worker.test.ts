/**
 * Team mode end to end, with real processes: two `pipelab worker` processes on PostgreSQL and Redis train
 * a CNN and ten regressions in parallel; the worker training the CNN is killed with kill -9, and the run
 * is finished by the other worker as its second try.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDatabase, first, openDatabase, type Db } from '../../db/client';
import { getRun } from '../../db/runs';
import { tables } from '../../db/schema';
import { createTestDatabase, makeWorkspace } from '../../db/test-fixtures';
import { isRunActive } from '../api-types';
import { RunQueue } from '../queue/run-queue';
import { enqueueRun } from '../runs/dispatch';
import { findTemplate } from '../templates';

const { runs } = tables;

const teamServices = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;
if (!teamServices) console.info('Team-mode worker tests skipped: set DATABASE_URL=postgres://… and REDIS_URL=redis://… to run them.');

const BIN = path.resolve('bin/pipelab.mjs');

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!teamServices)('team mode: two workers', () => {
  const workers: ChildProcess[] = [];
  let db: Db;
  let queue: RunQueue;
  let env: NodeJS.ProcessEnv;
  let workspaceId: string;
  let userId: string;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    db = await openDatabase(databaseUrl);
    ({ workspaceId, userId } = await makeWorkspace(db));
    const queueName = `pipelab-test-${randomUUID()}`;
    queue = new RunQueue({ redisUrl: process.env.REDIS_URL!, queueName });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-team-'));
    env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PIPELAB_QUEUE: queueName,
      PIPELAB_DATA_DIR: path.join(root, 'data'),
      PIPELAB_ARTIFACTS_DIR: path.join(root, 'artifacts'),
      // A dead worker's run is noticed within seconds here (the defaults suit real machines).
      PIPELAB_LOCK_DURATION_MS: '3000',
      PIPELAB_STALLED_INTERVAL_MS: '1000',
    };
    for (let i = 0; i < 2; i++) workers.push(spawn(process.execPath, [BIN, 'worker', '--concurrency', '1'], { env, stdio: 'ignore' }));
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await queue?.close();
    if (db) await closeDatabase(db);
  });

  it('`pipelab run` puts the run on the queue, a worker trains it, and the command prints the same JSON', async () => {
    const result = spawnSync(process.execPath, [BIN, 'run', 'sales-forecast', '--json'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as { run: { id: string; status: string; backend: string | null }; nodes: Record<string, { status: string }> };
    // A linear regression computes nothing on TensorFlow.js, so the worker records no backend for it.
    expect(output.run).toMatchObject({ status: 'succeeded', backend: null });
    expect(output.nodes.model.status).toBe('done');
    // Recorded as the workspace owner's run, with the lease released by the worker that trained it.
    const [row] = await db.select({ origin: runs.origin, startedBy: runs.startedBy, leaseOwner: runs.leaseOwner }).from(runs).where(eq(runs.id, output.run.id));
    expect(row).toEqual({ origin: 'cli', startedBy: userId, leaseOwner: null });
  }, 180_000);

  it('trains a CNN and ten regressions in parallel; kill -9 of the CNN worker hands the run to the other', async () => {
    const input = (template: string) => ({
      graph: structuredClone(findTemplate(template)!.graph),
      pipelineId: null,
      label: template,
      origin: 'ui' as const,
      workspaceId,
      startedBy: userId,
    });
    const cnnRun = await enqueueRun(db, queue, input('classify-product-photos'));
    const regressions: string[] = [];
    for (let i = 0; i < 10; i++) regressions.push(await enqueueRun(db, queue, input('sales-forecast')));

    // Both workers busy at once: the CNN on one, regressions on the other.
    const holder = await waitFor(
      async () => {
        const cnn = await getRun(db, cnnRun);
        const someRegressionStarted = (await Promise.all(regressions.map((id) => getRun(db, id)))).some((run) => run?.status !== 'queued');
        return cnn?.status === 'running' && cnn.nodes.cnn?.status === 'running' && someRegressionStarted ? cnn : undefined;
      },
      90_000,
      'the CNN and a regression to be running together',
    );
    expect(holder.attempts).toBe(1);
    // The lease names the worker process answering for the run ("host:pid").
    const lease = await db.select({ owner: runs.leaseOwner }).from(runs).where(eq(runs.id, cnnRun)).then(first);
    const victim = workers.find((worker) => `:${worker.pid}` === lease?.owner?.slice(lease.owner.lastIndexOf(':')));
    expect(victim, `the CNN run's lease names a worker process (${lease?.owner})`).toBeDefined();
    victim!.kill('SIGKILL');

    const finished = await waitFor(
      async () => {
        const all = await Promise.all([cnnRun, ...regressions].map((id) => getRun(db, id)));
        return all.every((run) => run && !isRunActive(run.status)) ? all : undefined;
      },
      240_000,
      'every run to finish',
    );
    const [cnn, ...rest] = finished;
    expect(cnn).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(rest.map((run) => run!.status)).toEqual(Array(10).fill('succeeded'));
    expect(rest.every((run) => run!.attempts === 1)).toBe(true);
  }, 360_000);
});
