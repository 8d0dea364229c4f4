/**
 * Team mode: web processes and the CLI put run ids on a BullMQ queue in Redis, and separate worker
 * processes (see run-workers.ts) pull and run them. This side only enqueues and cancels.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

export interface QueueSettings {
  redisUrl: string;
  /** Default 'pipelab-runs'; tests pass a unique one. BullMQ forbids ':' in it. */
  queueName?: string;
}

/** How many times a run is handed to a worker in all (first try + retries after a worker died mid-run). */
export const RUN_ATTEMPTS = Number(process.env.PIPELAB_RUN_ATTEMPTS ?? 3);

export const DEFAULT_QUEUE_NAME = 'pipelab-runs';

export { queueName, queueUrl } from './settings';

export interface RunJobData {
  runId: string;
}

/** Finished jobs kept for inspection; older ones are evicted as new ones finish. */
const KEEP_FINISHED_JOBS = 1000;
/**
 * A cancel marker outlives the pub/sub message, for a worker that picks the run up after the
 * message went out (see run-workers.ts). It only has to cover the hand-over, not a whole run.
 */
const CANCEL_MARKER_TTL_SECONDS = 60 * 60;

export function queueNameOf(settings: QueueSettings): string {
  return settings.queueName ?? DEFAULT_QUEUE_NAME;
}

/** The pub/sub channel every worker process of this queue listens to; the message is a run id. */
export function cancelChannel(queueName: string): string {
  return `pipelab:${queueName}:cancel`;
}

export function cancelMarkerKey(queueName: string, runId: string): string {
  return `pipelab:${queueName}:cancelled:${runId}`;
}

const NOT_STARTED_STATES = new Set(['waiting', 'prioritized', 'delayed', 'paused']);

export class RunQueue {
  private readonly queueName: string;
  private readonly queue: Queue<RunJobData>;
  private publisher: Redis | undefined;

  constructor(private readonly settings: QueueSettings) {
    this.queueName = queueNameOf(settings);
    this.queue = new Queue<RunJobData>(this.queueName, { connection: { url: settings.redisUrl } });
    // An EventEmitter 'error' without a listener would crash the web process on a Redis hiccup.
    this.queue.on('error', (error) => console.warn(`Run queue ${this.queueName}: ${error.message}`));
  }

  async enqueue(runId: string): Promise<void> {
    // BullMQ silently ignores an add whose jobId still exists, so a finished job of a run that is
    // being run again must go first. A waiting or active one stays: enqueueing twice is a no-op.
    const state = await this.queue.getJobState(runId);
    if (state === 'completed' || state === 'failed') await this.queue.remove(runId);
    await this.redis().del(cancelMarkerKey(this.queueName, runId));
    await this.queue.add(
      'run',
      { runId },
      { jobId: runId, removeOnComplete: { count: KEEP_FINISHED_JOBS }, removeOnFail: { count: KEEP_FINISHED_JOBS } },
    );
  }

  /** Cancels a run no worker has started: true if its job was waiting and is now gone. */
  async removeIfWaiting(runId: string): Promise<boolean> {
    const state = await this.queue.getJobState(runId);
    if (!NOT_STARTED_STATES.has(state)) return false;
    // BullMQ refuses to remove a job whose lock a worker holds, so a run picked up in between stays.
    return (await this.queue.remove(runId)) === 1;
  }

  /** Asks whichever worker holds the run to abort it; a no-op for a run no worker holds. */
  async requestCancel(runId: string): Promise<void> {
    await this.redis()
      .multi()
      .set(cancelMarkerKey(this.queueName, runId), '1', 'EX', CANCEL_MARKER_TTL_SECONDS)
      .publish(cancelChannel(this.queueName), runId)
      .exec();
  }

  waitingCount(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.publisher?.quit();
    this.publisher = undefined;
  }

  /** BullMQ v6 no longer exposes its client, so publishing needs a connection of our own. */
  private redis(): Redis {
    if (!this.publisher) {
      this.publisher = new Redis(this.settings.redisUrl);
      this.publisher.on('error', (error) => console.warn(`Run queue ${this.queueName} publisher: ${error.message}`));
    }
    return this.publisher;
  }
}
