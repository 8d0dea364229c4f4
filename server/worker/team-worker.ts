/**
 * `pipelab worker`: a process of a team server that takes runs off the Redis queue and trains them, on
 * this machine or any other that reaches the same PostgreSQL, Redis and artifact directory. Each slot has
 * its own training process, so a long CNN training holds one slot while the others keep going.
 */
import { closeDatabase, getDb, type Db } from '../../db/client';
import { finishRun, takeQueuedRun } from '../../db/runs';
import { startRunWorkers, type RunJob } from '../queue/run-workers';
import { queueName, queueUrl } from '../queue/run-queue';
import { requireSharedDatabase } from '../runs/dispatch';
import { LEASE_OWNER, leaseUntil } from '../runs/leases';
import { openRunEventBus, type RunEventBus } from '../runs/live-events';
import { executeRecordedRun } from '../runs/service';
import { WorkerExecutor } from '../runs/worker-executor';

export interface TeamWorkerOptions {
  concurrency: number;
  /** Tests pass their own queue; the product uses the default one. */
  queueName?: string;
  log?: (line: string) => void;
}

async function runOne(db: Db, executor: WorkerExecutor, events: RunEventBus, job: RunJob, log: (line: string) => void): Promise<void> {
  const input = await takeQueuedRun(db, job.runId, { owner: LEASE_OWNER, expiresAt: leaseUntil() }, job.attempt);
  if (!input) return;
  log(`run ${job.runId} (${input.label}): try ${job.attempt}, slot ${job.slot}`);
  const cancel = () => {
    // A lost lock means the queue may hand the run to another worker; this one carries on regardless,
    // and only a person's cancel (or a stopping worker that was told to abort) stops the training.
    if (job.signal.reason !== 'lock-lost') executor.cancel(job.runId);
  };
  if (job.signal.aborted) cancel();
  job.signal.addEventListener('abort', cancel);
  try {
    const outcome = await executeRecordedRun(db, executor, job.runId, input, events);
    log(`run ${job.runId}: ${outcome.status}`);
  } finally {
    job.signal.removeEventListener('abort', cancel);
  }
}

/** Starts the worker; resolves once it is taking runs, with a function that stops it gracefully. */
export async function startTeamWorker(options: TeamWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const log = options.log ?? ((line: string) => console.log(`[worker ${LEASE_OWNER}] ${line}`));
  const redisUrl = queueUrl();
  if (!redisUrl) throw new Error('pipelab worker takes runs from the team queue: set REDIS_URL=redis://host:6379 (and DATABASE_URL=postgres://…).');
  const db = await getDb();
  requireSharedDatabase(db);
  const executors = Array.from({ length: options.concurrency }, () => new WorkerExecutor());
  for (const executor of executors) executor.warmUp();
  const queue = options.queueName ?? queueName();
  // Live events for the web processes streaming these runs to browsers: one Redis bus per worker process.
  const events = openRunEventBus({ redisUrl, queueName: queue });
  const workers = startRunWorkers({
    redisUrl,
    queueName: queue,
    concurrency: options.concurrency,
    process: (job) => runOne(db, executors[job.slot], events, job, log),
    onGivenUp: async (runId, reason) => {
      log(`run ${runId}: given up (${reason})`);
      await finishRun(db, runId, {
        status: 'interrupted',
        error: `Interrupted: the workers running this pipeline stopped before it finished, on every try (${reason}). Run it again.`,
        headline: null,
      });
      events.publish(runId, { type: 'ended', at: Date.now() });
    },
  });
  log(`taking runs with ${options.concurrency} slot${options.concurrency === 1 ? '' : 's'}`);
  return {
    async stop() {
      // Graceful: the runs in progress finish and are recorded; no new one is taken.
      await workers.close();
      await events.close();
      for (const executor of executors) executor.stop();
      await closeDatabase(db);
    },
  };
}
