/**
 * Team mode worker side: pulls run ids from the queue that RunQueue fills and hands each to the
 * caller's `process`. A run whose worker died is handed out again, up to `attempts` times in all.
 */
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { RUN_ATTEMPTS, cancelChannel, cancelMarkerKey, queueNameOf, type QueueSettings, type RunJobData } from './run-queue';

export interface RunJob {
  runId: string;
  /** 1 for the first try, 2 after one worker died mid-run, ... */
  attempt: number;
  /** 0..concurrency-1 */
  slot: number;
  /** Aborted when requestCancel(runId) is published, or on stop if the caller chooses; see RunAbortReason. */
  signal: AbortSignal;
}

/** The `signal.reason` a run is aborted with. */
export type RunAbortReason =
  | 'cancel-requested'
  /** This worker lost the run's lock (e.g. its event loop was blocked too long): another may take it over. */
  | 'lock-lost'
  | 'worker-stopping';

export interface RunWorkersOptions extends QueueSettings {
  /** Number of slots; each slot runs one job at a time (a long CNN training takes one slot). */
  concurrency: number;
  /** Default from PIPELAB_STALLED_INTERVAL_MS or 10_000. */
  stalledIntervalMs?: number;
  /** Default from PIPELAB_LOCK_DURATION_MS or 20_000. A dead worker's runs are retried after about this long. */
  lockDurationMs?: number;
  /** Tries in all, default RUN_ATTEMPTS. Every worker process of a queue should use the same value. */
  attempts?: number;
  process(job: RunJob): Promise<void>;
  /** A run given up on: it stalled (its worker died) more than attempts - 1 times, or process threw. */
  onGivenUp?(runId: string, reason: string): Promise<void>;
}

export interface RunWorkers {
  /** Stops taking runs and waits for the running ones to finish (after aborting them, if asked). */
  close(options?: { abortRunning?: boolean }): Promise<void>;
  /**
   * Stops at once: running runs are aborted and left active in Redis, so once their locks expire
   * another worker retries them as the next attempt, as if this process had died.
   */
  closeNow(): Promise<void>;
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function startRunWorkers(options: RunWorkersOptions): RunWorkers {
  const queueName = queueNameOf(options);
  const attempts = Math.max(1, options.attempts ?? RUN_ATTEMPTS);
  const stalledInterval = options.stalledIntervalMs ?? numberFromEnv('PIPELAB_STALLED_INTERVAL_MS', 10_000);
  const lockDuration = options.lockDurationMs ?? numberFromEnv('PIPELAB_LOCK_DURATION_MS', 20_000);
  const logPrefix = `Run workers ${queueName}`;

  /** The runs this process holds, whatever their slot: job id = run id. */
  const running = new Map<string, AbortController>();
  const pendingGiveUps = new Set<Promise<void>>();

  // A connection in subscriber mode can run nothing else, hence one for commands as well.
  const commands = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  for (const connection of [commands, subscriber]) {
    connection.on('error', (error) => console.warn(`${logPrefix}: ${error.message}`));
  }
  const channel = cancelChannel(queueName);
  subscriber.on('message', (from, runId) => {
    if (from === channel) abortRun(runId, 'cancel-requested');
  });
  const subscribed = subscriber.subscribe(channel).catch((error: Error) => console.warn(`${logPrefix}: ${error.message}`));

  function abortRun(runId: string, reason: RunAbortReason): void {
    running.get(runId)?.abort(reason);
  }

  function giveUp(runId: string, reason: string): void {
    if (!options.onGivenUp) return;
    const done = options.onGivenUp(runId, reason).catch((error: Error) =>
      console.error(`${logPrefix}: onGivenUp(${runId}) failed: ${error.message}`),
    );
    pendingGiveUps.add(done);
    void done.finally(() => pendingGiveUps.delete(done));
  }

  async function runJob(job: Job<RunJobData>, slot: number): Promise<void> {
    const { runId } = job.data;
    const controller = new AbortController();
    running.set(runId, controller);
    try {
      // Registered before the check, so a cancel published from now on reaches the controller and
      // one published earlier (while the run was changing hands) left its marker.
      await subscribed;
      if ((await commands.exists(cancelMarkerKey(queueName, runId))) === 1) controller.abort('cancel-requested');
      // BullMQ counts stalls in the job hash ('stc'); each stall is one worker that died holding it.
      await options.process({ runId, attempt: 1 + job.stalledCounter, slot, signal: controller.signal });
    } finally {
      if (running.get(runId) === controller) running.delete(runId);
    }
  }

  const workers = Array.from({ length: Math.max(1, options.concurrency) }, (_, slot) => {
    // One single-job Worker per slot, so `slot` tells callers which of their resources to use.
    const worker = new Worker<RunJobData>(queueName, (job) => runJob(job, slot), {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      concurrency: 1,
      maxStalledCount: attempts - 1,
      stalledInterval,
      lockDuration,
    });
    // v6 fails a job that stalled too often only when a worker next picks it up (a deferred
    // failure, without calling the processor), so this fires in a live worker, not the dead one.
    worker.on('failed', (job, error) => {
      if (job) giveUp(job.data.runId, error.message);
    });
    worker.on('lockRenewalFailed', (jobIds) => jobIds.forEach((runId) => abortRun(runId, 'lock-lost')));
    // Without a listener an 'error' (e.g. Redis restarting) would throw and kill the process.
    worker.on('error', (error) => console.warn(`${logPrefix} slot ${slot}: ${error.message}`));
    return worker;
  });

  let closing: Promise<void> | undefined;
  function stop(abortRunning: boolean, force: boolean): Promise<void> {
    if (abortRunning) for (const runId of running.keys()) abortRun(runId, 'worker-stopping');
    closing ??= (async () => {
      await Promise.all(workers.map((worker) => worker.close(force)));
      await Promise.allSettled([...pendingGiveUps]);
      await Promise.allSettled([subscriber.quit(), commands.quit()]);
    })();
    return closing;
  }

  return {
    close: ({ abortRunning = false } = {}) => stop(abortRunning, false),
    closeNow: () => stop(true, true),
  };
}
