import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, it, expect, afterEach } from 'vitest';
import { RUN_ATTEMPTS, RunQueue } from './run-queue';
import { startRunWorkers, type RunJob, type RunWorkers, type RunWorkersOptions } from './run-workers';

const redisUrl = process.env.REDIS_URL ?? '';
if (!redisUrl) console.info('Team-mode queue tests skipped: set REDIS_URL=redis://… to run them');

const CHILD_SCRIPT = fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url));
/** Short enough that a killed worker's run comes back within a couple of seconds. */
const FAST_RECOVERY = { lockDurationMs: 1000, stalledIntervalMs: 500 };

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe.skipIf(!redisUrl)('team-mode run queue (real Redis)', () => {
  let queueName = '';
  let runQueue: RunQueue;
  const openWorkers: RunWorkers[] = [];
  const children: ChildProcess[] = [];

  function setUp(): void {
    queueName = `pipelab-test-${randomUUID()}`;
    runQueue = new RunQueue({ redisUrl, queueName });
  }

  function workers(options: Omit<RunWorkersOptions, 'redisUrl' | 'queueName'>): RunWorkers {
    const started = startRunWorkers({ redisUrl, queueName, ...options });
    openWorkers.push(started);
    return started;
  }

  /** Starts a worker process and resolves with the first run it reports having started. */
  function startChildWorker(): Promise<{ child: ChildProcess; started: string; attempt: number }> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT], {
      env: { ...process.env, REDIS_URL: redisUrl, QUEUE_NAME: queueName, PIPELAB_RUN_ATTEMPTS: String(RUN_ATTEMPTS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
      child.once('exit', (code) => reject(new Error(`worker child exited (${code}) before starting a run`)));
    });
  }

  async function killed(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) await killed(child);
    await Promise.all(openWorkers.splice(0).map((started) => started.closeNow()));
    await runQueue.close();
    const queue = new Queue(queueName, { connection: { url: redisUrl } });
    await queue.obliterate({ force: true });
    await queue.close();
    const redis = new Redis(redisUrl);
    const markers = await redis.keys(`pipelab:${queueName}:*`);
    if (markers.length) await redis.del(...markers);
    await redis.quit();
  });

  it('processes enqueued runs, with each slot running one at a time', async () => {
    setUp();
    const runIds = ['run-a', 'run-b', 'run-c', 'run-d'];
    const seen: RunJob[] = [];
    const allDone = deferred();
    let runningNow = 0;
    let mostAtOnce = 0;
    workers({
      concurrency: 2,
      async process(job) {
        seen.push(job);
        mostAtOnce = Math.max(mostAtOnce, ++runningNow);
        await sleep(400);
        runningNow--;
        if (seen.length === runIds.length) allDone.resolve();
      },
    });
    for (const runId of runIds) await runQueue.enqueue(runId);

    await within(allDone.promise, 10_000, 'all runs');
    expect(seen.map((job) => job.runId).sort()).toEqual(runIds);
    expect(seen.every((job) => job.attempt === 1 && (job.slot === 0 || job.slot === 1))).toBe(true);
    expect(mostAtOnce).toBe(2);
  });

  it('aborts a running run on requestCancel, and removes a waiting one', async () => {
    setUp();
    const started = deferred();
    const aborted = deferred<unknown>();
    workers({
      concurrency: 1,
      async process({ runId, signal }) {
        if (runId !== 'long-run') return;
        started.resolve();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(aborted.resolve(signal.reason))));
      },
    });
    await runQueue.enqueue('long-run');
    await within(started.promise, 5000, 'the long run to start');
    await runQueue.enqueue('queued-run'); // the only slot is busy, so it waits

    expect(await runQueue.waitingCount()).toBe(1);
    expect(await runQueue.removeIfWaiting('queued-run')).toBe(true);
    expect(await runQueue.waitingCount()).toBe(0);
    expect(await runQueue.removeIfWaiting('no-such-run')).toBe(false);
    expect(await runQueue.removeIfWaiting('long-run')).toBe(false); // already running

    await runQueue.requestCancel('long-run');
    expect(await within(aborted.promise, 5000, 'the abort')).toBe('cancel-requested');
  });

  it('starts a run already aborted if its cancel was published before a worker took it', async () => {
    setUp();
    await runQueue.enqueue('cancelled-in-queue');
    await runQueue.requestCancel('cancelled-in-queue'); // no worker listens yet
    const seen = deferred<{ aborted: boolean; reason: unknown }>();
    workers({ concurrency: 1, process: async ({ signal }) => seen.resolve({ aborted: signal.aborted, reason: signal.reason }) });
    expect(await within(seen.promise, 5000, 'the run')).toEqual({ aborted: true, reason: 'cancel-requested' });
  });

  it('hands a run whose worker was killed -9 to another worker as attempt 2', async () => {
    setUp();
    await runQueue.enqueue('crashing-run');
    const { child, started, attempt } = await within(startChildWorker(), 10_000, 'the child worker');
    expect({ started, attempt }).toEqual({ started: 'crashing-run', attempt: 1 });
    await killed(child);

    const completed = deferred<RunJob>();
    workers({ concurrency: 1, ...FAST_RECOVERY, process: async (job) => completed.resolve(job) });
    const retried = await within(completed.promise, 10_000, 'the retry');
    expect({ runId: retried.runId, attempt: retried.attempt }).toEqual({ runId: 'crashing-run', attempt: 2 });
  });

  it(`gives a run up after its worker was killed ${RUN_ATTEMPTS} times`, async () => {
    setUp();
    await runQueue.enqueue('doomed-run');
    // Each new child's stalled checker puts the run its killed predecessor held back in the queue.
    for (let expected = 1; expected <= RUN_ATTEMPTS; expected++) {
      const { child, started, attempt } = await within(startChildWorker(), 10_000, `attempt ${expected}`);
      expect({ started, attempt }).toEqual({ started: 'doomed-run', attempt: expected });
      await killed(child);
    }

    const givenUp = deferred<{ runId: string; reason: string }>();
    let processed = false;
    workers({
      concurrency: 1,
      ...FAST_RECOVERY,
      process: async () => void (processed = true),
      onGivenUp: async (runId, reason) => givenUp.resolve({ runId, reason }),
    });
    const { runId, reason } = await within(givenUp.promise, 10_000, 'onGivenUp');
    expect(runId).toBe('doomed-run');
    expect(reason).toMatch(/stalled/);
    expect(processed).toBe(false);
  });

  it('calls onGivenUp when process throws', async () => {
    setUp();
    const givenUp = deferred<[string, string]>();
    workers({
      concurrency: 1,
      process: async () => Promise.reject(new Error('the graph is broken')),
      onGivenUp: async (runId, reason) => givenUp.resolve([runId, reason]),
    });
    await runQueue.enqueue('broken-run');
    expect(await within(givenUp.promise, 5000, 'onGivenUp')).toEqual(['broken-run', 'the graph is broken']);
  });

  it('waits for the running run to finish on graceful close', async () => {
    setUp();
    const started = deferred();
    let finished = false;
    const running = workers({
      concurrency: 1,
      async process() {
        started.resolve();
        await sleep(1000);
        finished = true;
      },
    });
    await runQueue.enqueue('finishing-run');
    await within(started.promise, 5000, 'the run to start');

    await running.close();
    expect(finished).toBe(true);
    const queue = new Queue(queueName, { connection: { url: redisUrl } });
    expect(await queue.getJobState('finishing-run')).toBe('completed');
    await queue.close();
  });
});
