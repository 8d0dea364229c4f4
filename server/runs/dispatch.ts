import { dialectOf, type Db } from '../../db/client';
import { createRun, finishRun, latestBackend } from '../../db/runs';
import { queueName, queueUrl, RunQueue } from '../queue/run-queue';
import { withTimeout } from '../deadlines';
import { ServiceError } from '../errors';
import type { RunEventBus } from './live-events';
import { recoverRuns, refuseInvalidGraph, startRun, type StartRunInput } from './service';
import { sweepAbandonedRunsEvery } from './leases';
import { WorkerExecutor } from './worker-executor';

/**
 * Where the web server sends the runs people start: to its own run worker (one machine), or onto the
 * team's queue, where `pipelab worker` processes on any machine take them.
 */
export interface RunDispatcher {
  /** Records the run as queued and hands it on; returns its id at once. */
  start(input: StartRunInput): Promise<string>;
  /** Stops a run: a queued one never starts, a running one stops at its next step. */
  cancel(runId: string): Promise<void>;
  /** The TensorFlow.js backend runs use, once known. */
  backend(): Promise<string | null>;
  close(): Promise<void>;
}

/** One machine: a child process of the web server trains, one run after another. */
export class EmbeddedRuns implements RunDispatcher {
  private readonly executor = new WorkerExecutor();
  private sweeper: NodeJS.Timeout | null = null;

  /** `events`: where the runs' live events go (the server's bus, which its event streams listen to). */
  constructor(
    private readonly db: Db,
    private readonly events?: RunEventBus,
  ) {}

  /** Starts the worker, takes over the runs a previous server left queued, and sweeps abandoned ones. */
  async open(): Promise<this> {
    this.executor.warmUp();
    await recoverRuns(this.db, this.executor, this.events);
    this.sweeper = sweepAbandonedRunsEvery(this.db);
    return this;
  }

  async start(input: StartRunInput): Promise<string> {
    return (await startRun(this.db, this.executor, input, this.events)).runId;
  }

  async cancel(runId: string): Promise<void> {
    this.executor.cancel(runId);
  }

  async backend(): Promise<string | null> {
    return this.executor.backend ?? latestBackend(this.db);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.executor.stop();
  }
}

/**
 * How long a run may wait on the team's queue for a worker. The queue answers for it meanwhile; past
 * this, with no worker having taken it, the run is marked interrupted like any run nobody answers for.
 */
export const QUEUE_WAIT_MS = Number(process.env.PIPELAB_QUEUE_WAIT_MS ?? 7 * 24 * 3600_000);
/** The lease owner of a run waiting on the team's queue. */
export const QUEUE_OWNER = 'queue';

/** A team server: runs go onto the Redis queue and `pipelab worker` processes train them. */
export class QueuedRuns implements RunDispatcher {
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly queue: RunQueue,
    /** Where a run cancelled before a worker took it is announced as ended. */
    private readonly events?: RunEventBus,
  ) {
    this.sweeper = sweepAbandonedRunsEvery(db);
  }

  async start(input: StartRunInput): Promise<string> {
    return enqueueRun(this.db, this.queue, input);
  }

  async cancel(runId: string): Promise<void> {
    await cancelQueuedRun(this.db, this.queue, runId, this.events);
  }

  async backend(): Promise<string | null> {
    return latestBackend(this.db);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.queue.close();
  }
}

/** Records a run as queued, answered for by the queue, and puts it on the queue (web server and command line); a graph that does not validate is refused unrecorded. */
export async function enqueueRun(db: Db, queue: RunQueue, input: StartRunInput): Promise<string> {
  refuseInvalidGraph(input.graph);
  const runId = crypto.randomUUID();
  await createRun(db, {
    id: runId,
    ...input,
    nodeIds: input.graph.nodes.map((n) => n.id),
    lease: { owner: QUEUE_OWNER, expiresAt: Date.now() + QUEUE_WAIT_MS },
  });
  try {
    await withTimeout(queue.enqueue(runId), ENQUEUE_TIMEOUT_MS);
  } catch (error) {
    // The run is recorded as failed with the reason, and the person hears it at once instead of waiting.
    const message = `The run queue (Redis) could not be reached, so nothing was trained: ${(error as Error).message}. Try again in a moment; if it keeps failing, ask whoever runs the server to check Redis.`;
    await finishRun(db, runId, { status: 'failed', error: message, headline: null });
    throw new ServiceError('SERVICE_UNAVAILABLE', message);
  }
  return runId;
}

/**
 * Cancels a run of the team queue: one no worker has taken is removed and recorded as cancelled (and
 * announced as ended on `events`); one a worker holds is stopped by that worker.
 */
export async function cancelQueuedRun(db: Db, queue: RunQueue, runId: string, events?: RunEventBus): Promise<void> {
  if (await queue.removeIfWaiting(runId)) {
    await finishRun(db, runId, { status: 'cancelled', error: 'Cancelled by the user before a worker started it', headline: null });
    events?.publish(runId, { type: 'ended', at: Date.now() });
    return;
  }
  await queue.requestCancel(runId);
}

/** How long putting a run on the queue may take before the run is refused (Redis down or unreachable). */
const ENQUEUE_TIMEOUT_MS = Number(process.env.PIPELAB_ENQUEUE_TIMEOUT_MS ?? 5_000);

/**
 * Workers on other machines must read and write the same records, which a SQLite file on one machine
 * cannot offer: team mode needs PostgreSQL.
 */
export function requireSharedDatabase(db: Db): void {
  if (dialectOf(db) !== 'postgresql') {
    throw new Error(
      'REDIS_URL is set (team mode), so runs are trained by worker processes that may be on other machines; they need a shared database. Set DATABASE_URL=postgres://user@host:5432/database as well.',
    );
  }
}

/** The web server's way of running pipelines, chosen by REDIS_URL; `events` hears of their progress. */
export async function openRunDispatcher(db: Db, events?: RunEventBus): Promise<RunDispatcher> {
  const url = queueUrl();
  if (!url) return new EmbeddedRuns(db, events).open();
  requireSharedDatabase(db);
  return new QueuedRuns(db, new RunQueue({ redisUrl: url, queueName: queueName() }), events);
}
