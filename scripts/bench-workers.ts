/**
 * Team mode with real worker processes, on PostgreSQL and Redis:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx scripts/bench-workers.ts [--runs 40] [--workers 1,2,4] [--recoveries 3]
 *
 * 1. Throughput. For each worker count (processes started with `node bin/pipelab.mjs worker --concurrency 1`),
 *    on a fresh database (pipelab_bench_workers_…, on DATABASE_URL's server) and a fresh queue name: starts
 *    the workers, warms each one up with a run of its own (not counted), enqueues --runs "Predict campaign
 *    response" runs at once,
 *    waits for every one to finish, then stops the workers with SIGTERM (graceful). Wall time runs from the
 *    first enqueue to the last job finished; time from enqueue to start comes from each BullMQ job's
 *    `timestamp` (added) and `processedOn` (a worker took it).
 *    Each run's cleaning step carries a unique, unused fill value (the step drops rows, it never fills), so
 *    every step from cleaning on is computed again instead of being served from the worker's node output
 *    cache; only the read of the sample CSV is reused once a worker has read it in its warm-up run.
 * 2. Recovery. With the default lock settings (PIPELAB_LOCK_DURATION_MS 20 s, PIPELAB_STALLED_INTERVAL_MS 10 s,
 *    both removed from the workers' environment): two fresh workers, one "Classify product photos" run; a few
 *    seconds into its CNN training, the worker named by the run's lease owner ("host:pid") gets kill -9, and
 *    the script times how long until the other worker has the run running again (attempts = 2) and until it
 *    succeeds. Repeated --recoveries times, each with two fresh workers.
 * 3. Prints the results as Markdown tables.
 *
 * The databases, queues and temporary folders it makes are removed at the end.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { eq, inArray } from 'drizzle-orm';
import { createDatabase, dropDatabase } from '../db/postgres-admin';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    workers: { type: 'string', default: '1,2,4' },
    recoveries: { type: 'string', default: '3' },
  },
});
const RUNS = Number(options.runs);
const WORKER_COUNTS = options.workers.split(',').map((value) => Number(value.trim()));
const RECOVERIES = Number(options.recoveries);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs expects a whole number above 0.');
if (!WORKER_COUNTS.every((n) => Number.isInteger(n) && n >= 1 && n <= 16)) throw new Error('--workers expects numbers from 1 to 16, e.g. 1,2,4.');
if (!Number.isInteger(RECOVERIES) || RECOVERIES < 0) throw new Error('--recoveries expects a whole number (0 to skip).');

const BASE_DATABASE_URL = process.env.DATABASE_URL?.trim() ?? '';
const REDIS_URL = process.env.REDIS_URL?.trim() ?? '';
if (!/^postgres(ql)?:\/\//.test(BASE_DATABASE_URL) || !/^rediss?:\/\//.test(REDIS_URL)) {
  console.error('Set DATABASE_URL=postgres://… and REDIS_URL=redis://… (team mode needs both).');
  process.exit(2);
}

// The database modules choose their dialect from DATABASE_URL when they load: it is PostgreSQL by now.
const { closeDatabase, first, openDatabase } = await import('../db/client');
type Db = Awaited<ReturnType<typeof openDatabase>>;
const { getRun } = await import('../db/runs');
const { runs } = (await import('../db/schema')).tables;
const { makeWorkspace } = await import('../db/test-fixtures');
const { RunQueue } = await import('../server/queue/run-queue');
const { enqueueRun } = await import('../server/runs/dispatch');
const { findTemplate } = await import('../server/templates');

const BIN = path.resolve('bin/pipelab.mjs');
const BANK = 'campaign-response';
const CNN = 'classify-product-photos';
/** How far into the CNN's training the worker is killed. */
const KILL_AFTER_TRAINING_MS = 3000;

/** Set by Ctrl-C / SIGTERM: the workers are killed and every wait throws, so the clean-up below still runs. */
let stopRequested = false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number, digits = 1) => (ms / 1000).toFixed(digits);

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stopRequested) throw new Error('Stopped (signal): cleaning up');
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${seconds(timeoutMs, 0)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Nearest-rank percentile (with 40 values, p99 is the largest). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---------------------------------------------------------------- worker processes

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves when the worker logs that it takes runs. */
  ready: Promise<void>;
  exited: Promise<void>;
  /** Run ids this worker took (from its log), in order. */
  taken: string[];
  lines: string[];
}

const everyWorker = new Set<WorkerProcess>();
/** Run-engine processes a killed worker left behind, to check and clean up. */
const orphans = new Set<number>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', '1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (!child.pid) throw new Error('Could not start a worker process');
  const worker: WorkerProcess = { child, pid: child.pid, taken: [], lines: [], ready: undefined!, exited: undefined! };
  let markReady: () => void = () => {};
  worker.ready = new Promise((resolve) => (markReady = resolve));
  worker.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  const onLine = (line: string) => {
    worker.lines.push(line);
    if (worker.lines.length > 200) worker.lines.shift();
    if (line.includes('taking runs with')) markReady();
    const took = /\] run ([0-9a-f-]{36}) \(.*\): try \d+/.exec(line);
    if (took) worker.taken.push(took[1]);
  };
  readline.createInterface({ input: child.stdout! }).on('line', onLine);
  readline.createInterface({ input: child.stderr! }).on('line', onLine);
  everyWorker.add(worker);
  void worker.exited.then(() => everyWorker.delete(worker));
  return worker;
}

/** SIGTERM: the worker finishes what it holds and exits. Killed if it has not exited after a minute. */
async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
      worker.child.kill('SIGTERM');
      const stopped = await Promise.race([worker.exited.then(() => true), sleep(60_000).then(() => false)]);
      if (!stopped) {
        console.warn(`worker ${worker.pid} did not stop within 60 s of SIGTERM; killing it`);
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
    }),
  );
}

function killEverything(): void {
  for (const worker of everyWorker) worker.child.kill('SIGKILL');
  for (const pid of orphans) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}
process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopRequested = true;
    killEverything();
    // A second signal, or clean-up that hangs, ends the process outright.
    process.once(signal, () => process.exit(130));
    setTimeout(() => process.exit(130), 30_000).unref();
  });
}

// ---------------------------------------------------------------- one environment: database, queue, folders

interface Bench {
  databaseUrl: string;
  db: Db;
  workspaceId: string;
  userId: string;
  queueName: string;
  runQueue: InstanceType<typeof RunQueue>;
  jobs: Queue;
  root: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh database on DATABASE_URL's server, named apart from the test databases that test runs clean up. */
async function createBenchDatabase(): Promise<string> {
  const name = `pipelab_bench_workers_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return createDatabase(BASE_DATABASE_URL, name);
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Busy CPU time of the whole machine, in clock ticks (every core, every process). */
function machineBusyTicks(): number {
  try {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return user + nice + system + irq + softirq + (steal || 0);
  } catch {
    return NaN;
  }
}

/** CPU time used so far by the worker processes and their run engines, in clock ticks. */
function workerTicks(workers: WorkerProcess[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of workers.flatMap((worker) => [worker.pid, ...childPids(worker.pid)])) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // Gone meanwhile.
    }
  }
  return ticks;
}

/** Average cores busy between two snapshots: Pipelab's workers, and everything else on the machine. */
function cpuShare(before: { at: number; machine: number; workers: Map<number, number> }, after: typeof before) {
  const seconds = (after.at - before.at) / 1000;
  let workers = 0;
  for (const [pid, ticks] of after.workers) workers += ticks - (before.workers.get(pid) ?? 0);
  const machine = after.machine - before.machine;
  return { workers: workers / CLOCK_TICKS / seconds, others: (machine - workers) / CLOCK_TICKS / seconds };
}

async function openBench(): Promise<Bench> {
  const databaseUrl = await createBenchDatabase();
  const db = await openDatabase(databaseUrl);
  const { workspaceId, userId } = await makeWorkspace(db, 'Worker benchmark');
  const queueName = `pipelab-bench-${randomUUID()}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-workers-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    PIPELAB_QUEUE: queueName,
    PIPELAB_DATA_DIR: path.join(root, 'data'),
    PIPELAB_ARTIFACTS_DIR: path.join(root, 'artifacts'),
  };
  // The product's defaults: lock 20 s, stalled check every 10 s, lease 30 s, 3 tries.
  for (const name of ['PIPELAB_LOCK_DURATION_MS', 'PIPELAB_STALLED_INTERVAL_MS', 'PIPELAB_RUN_LEASE_MS', 'PIPELAB_RUN_ATTEMPTS']) delete env[name];
  return {
    databaseUrl,
    db,
    workspaceId,
    userId,
    queueName,
    runQueue: new RunQueue({ redisUrl: REDIS_URL, queueName }),
    jobs: new Queue(queueName, { connection: { url: REDIS_URL } }),
    root,
    env,
  };
}

async function closeBench(bench: Bench): Promise<void> {
  await bench.runQueue.close();
  await bench.jobs.obliterate({ force: true }).catch((error: Error) => console.warn(`queue cleanup: ${error.message}`));
  await bench.jobs.close();
  await closeDatabase(bench.db);
  const name = new URL(bench.databaseUrl).pathname.slice(1);
  await dropDatabase(BASE_DATABASE_URL, name);
  fs.rmSync(bench.root, { recursive: true, force: true });
}

function runInput(bench: Bench, template: string, tag: string) {
  const graph = structuredClone(findTemplate(template)!.graph);
  if (template === BANK) {
    // Unused by 'dropRows', but part of the step's cache key: this run computes every step from cleaning on.
    const clean = graph.nodes.find((node) => node.id === 'clean')!;
    clean.params = { ...clean.params, fillValue: `bench-${tag}` };
  }
  return { graph, pipelineId: null, label: `bench ${tag}`, origin: 'ui' as const, workspaceId: bench.workspaceId, startedBy: bench.userId };
}

async function statuses(db: Db, ids: string[]) {
  return db.select({ id: runs.id, status: runs.status, attempts: runs.attempts, leaseOwner: runs.leaseOwner }).from(runs).where(inArray(runs.id, ids));
}

async function waitUntilFinished(db: Db, ids: string[], timeoutMs: number, what: string): Promise<void> {
  await waitFor(async () => (await statuses(db, ids)).every((row) => row.status !== 'queued' && row.status !== 'running'), timeoutMs, what, 200);
}

/** Starts the workers and has each one train a run of its own (its engine, backend and sample read warm up). */
async function startWarmWorkers(bench: Bench, count: number): Promise<{ workers: WorkerProcess[]; startMs: number }> {
  const started = Date.now();
  const workers = Array.from({ length: count }, () => startWorker(bench.env));
  const exitedEarly = Promise.race(workers.map((w) => w.exited.then(() => Promise.reject(new Error(`Worker ${w.pid} exited while starting:\n${w.lines.join('\n')}`)))));
  const timedOut = sleep(120_000).then(() => Promise.reject(new Error('The workers did not start within 120 s')));
  await Promise.race([Promise.all(workers.map((w) => w.ready)), exitedEarly, timedOut]);
  exitedEarly.catch(() => {});
  timedOut.catch(() => {});
  const startMs = Date.now() - started;
  for (let round = 1; ; round++) {
    const ids = await Promise.all(workers.map((_, i) => enqueueRun(bench.db, bench.runQueue, runInput(bench, BANK, `warm-up-${randomUUID()}-${i}`))));
    await waitUntilFinished(bench.db, ids, 180_000, 'the warm-up runs');
    if (workers.every((worker) => worker.taken.length > 0)) break;
    if (round === 5) throw new Error('A worker took no warm-up run in 5 rounds');
  }
  // Everything the warm-up left behind (leases, job bookkeeping) settles before the clock starts.
  await sleep(1000);
  return { workers, startMs };
}

// ---------------------------------------------------------------- 1. throughput

interface Throughput {
  workers: number;
  succeeded: number;
  firstTry: number;
  wallMs: number;
  startP50Ms: number;
  startP99Ms: number;
  /** A worker's time on one run: BullMQ's processedOn to finishedOn. */
  heldMedianMs: number;
  perWorker: number[];
  cachedSteps: string;
  workerStartMs: number;
  /** The machine's 1-minute load average when the measured runs had finished. */
  loadAfter: number;
  /** Average cores busy during the measurement: the workers with their run engines, and everything else. */
  cpu: { workers: number; others: number };
}

/** Calls `measure` with `count` warm workers; shows their last lines if it fails, and always stops them. */
async function withWarmWorkers<T>(bench: Bench, count: number, measure: (warm: { workers: WorkerProcess[]; startMs: number }) => Promise<T>): Promise<T> {
  const warm = await startWarmWorkers(bench, count);
  try {
    return await measure(warm);
  } catch (error) {
    for (const worker of warm.workers) console.error(`--- last lines of worker ${worker.pid}:\n${worker.lines.slice(-20).join('\n')}`);
    throw error;
  } finally {
    await stopWorkers(warm.workers);
  }
}

async function throughput(count: number): Promise<Throughput> {
  const bench = await openBench();
  try {
    return await withWarmWorkers(bench, count, async (warm) => {
      const { workers } = warm;
      const takenBefore = workers.map((worker) => worker.taken.length);
      const t0 = Date.now();
      const cpuBefore = { at: t0, machine: machineBusyTicks(), workers: workerTicks(workers) };
      const ids = await Promise.all(Array.from({ length: RUNS }, (_, i) => enqueueRun(bench.db, bench.runQueue, runInput(bench, BANK, `${count}w-${i}-${randomUUID()}`))));
      await waitUntilFinished(bench.db, ids, 30 * 60_000, `${RUNS} runs on ${count} worker(s)`);
      const cpu = cpuShare(cpuBefore, { at: Date.now(), machine: machineBusyTicks(), workers: workerTicks(workers) });
      const jobs = await Promise.all(ids.map((id) => bench.jobs.getJob(id)));
      const waits: number[] = [];
      const held: number[] = [];
      let lastFinished = 0;
      for (const [i, job] of jobs.entries()) {
        if (!job?.processedOn || !job.finishedOn) throw new Error(`BullMQ has no start or finish time for run ${ids[i]}`);
        waits.push(job.processedOn - job.timestamp);
        held.push(job.finishedOn - job.processedOn);
        lastFinished = Math.max(lastFinished, job.finishedOn);
      }
      const details = await Promise.all(ids.map((id) => getRun(bench.db, id)));
      const cached = details.map((run) => Object.values(run?.nodes ?? {}).filter((node) => node.cached).length);
      const steps = Object.keys(details[0]?.nodes ?? {}).length;
      const result: Throughput = {
        workers: count,
        succeeded: details.filter((run) => run?.status === 'succeeded').length,
        firstTry: details.filter((run) => run?.attempts === 1).length,
        wallMs: lastFinished - t0,
        startP50Ms: percentile(waits, 50),
        startP99Ms: percentile(waits, 99),
        heldMedianMs: percentile(held, 50),
        perWorker: workers.map((worker, i) => worker.taken.length - takenBefore[i]),
        cachedSteps: `${Math.min(...cached)}–${Math.max(...cached)} of ${steps}`,
        workerStartMs: warm.startMs,
        loadAfter: os.loadavg()[0],
        cpu,
      };
      console.log(
        `${count} worker(s): ${result.succeeded}/${RUNS} succeeded in ${seconds(result.wallMs, 2)} s; enqueue→start p50 ${seconds(result.startP50Ms, 2)} s, ` +
          `p99 ${seconds(result.startP99Ms, 2)} s; time on a worker per run, median ${seconds(result.heldMedianMs, 2)} s; runs per worker ${result.perWorker.join('/')}; ` +
          `steps from cache per run ${result.cachedSteps}; workers ready ${seconds(result.workerStartMs)} s after spawn; load average ${result.loadAfter.toFixed(1)}; cores busy: workers ${cpu.workers.toFixed(2)}, everything else ${cpu.others.toFixed(2)}`,
      );
      return result;
    });
  } finally {
    await closeBench(bench);
  }
}

// ---------------------------------------------------------------- 2. recovery after kill -9

interface Recovery {
  attempt: number;
  firstTryRunningMs: number;
  takenOverMs: number;
  runningAgainMs: number;
  succeededMs: number;
  interruptedSeen: boolean;
  status: string;
  attempts: number;
  orphanExitMs: number | null;
  /** Average cores busy from the kill to the end: the surviving worker, and everything else. */
  cpu: { workers: number; others: number };
}

async function recovery(bench: Bench, attempt: number): Promise<Recovery> {
  try {
    return await withWarmWorkers(bench, 2, async ({ workers }) => {
      const enqueued = Date.now();
      const runId = await enqueueRun(bench.db, bench.runQueue, runInput(bench, CNN, `recovery-${attempt}`));
      await waitFor(
        async () => {
          const run = await getRun(bench.db, runId);
          return run?.status === 'running' && run.nodes.cnn?.status === 'running' ? run : undefined;
        },
        180_000,
        'the CNN to be training',
      );
      const trainingSeen = Date.now();
      await sleep(KILL_AFTER_TRAINING_MS);
      const lease = await bench.db.select({ owner: runs.leaseOwner, status: runs.status }).from(runs).where(eq(runs.id, runId)).then(first);
      if (lease?.status !== 'running') throw new Error(`The CNN run finished before the kill (${lease?.status})`);
      const ownerPid = Number(lease?.owner?.slice(lease.owner.lastIndexOf(':') + 1));
      const victim = workers.find((worker) => worker.pid === ownerPid);
      const survivor = workers.find((worker) => worker !== victim);
      if (!victim || !survivor) throw new Error(`The run's lease owner ${lease?.owner} is none of the workers`);
      // The worker's run engine is a child process; it is meant to exit once its parent's pipe closes.
      const engines = childPids(victim.pid);
      engines.forEach((pid) => orphans.add(pid));

      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      const cpuBefore = { at: killedAt, machine: machineBusyTicks(), workers: workerTicks([survivor]) };
      let interruptedSeen = false;
      let takenOverAt = 0;
      let runningAgainAt = 0;
      let orphanExitAt: number | null = null;
      const done = await waitFor(
        async () => {
          const now = Date.now();
          if (orphanExitAt === null && engines.length && engines.every((pid) => !isAlive(pid))) orphanExitAt = now;
          const [row] = await statuses(bench.db, [runId]);
          if (!row) throw new Error('The run disappeared');
          if (row.status === 'interrupted') interruptedSeen = true;
          if (!takenOverAt && row.attempts >= 2 && row.leaseOwner?.endsWith(`:${survivor.pid}`)) takenOverAt = now;
          if (!runningAgainAt && row.attempts >= 2 && row.status === 'running') runningAgainAt = now;
          return row.status !== 'queued' && row.status !== 'running' && (row.status !== 'interrupted' || row.attempts >= 2) ? row : undefined;
        },
        300_000,
        'the run to finish on the other worker',
        100,
      );
      const finishedAt = Date.now();
      const cpu = cpuShare(cpuBefore, { at: finishedAt, machine: machineBusyTicks(), workers: workerTicks([survivor]) });
      const result: Recovery = {
        attempt,
        firstTryRunningMs: trainingSeen - enqueued,
        takenOverMs: takenOverAt ? takenOverAt - killedAt : NaN,
        runningAgainMs: runningAgainAt ? runningAgainAt - killedAt : NaN,
        succeededMs: finishedAt - killedAt,
        interruptedSeen,
        status: done.status,
        attempts: done.attempts,
        orphanExitMs: orphanExitAt === null ? null : orphanExitAt - killedAt,
        cpu,
      };
      console.log(
        `recovery ${attempt}: killed worker ${victim.pid}; run taken by worker ${survivor.pid} after ${seconds(result.takenOverMs)} s, running again after ` +
          `${seconds(result.runningAgainMs)} s, ${done.status} after ${seconds(result.succeededMs)} s (attempts ${done.attempts}` +
          `${interruptedSeen ? ', marked interrupted in between' : ''}); the killed worker's run engine exited ` +
          `${result.orphanExitMs === null ? 'not within the wait' : `${seconds(result.orphanExitMs)} s after the kill`}`,
      );
      return result;
    });
  } finally {
    for (const pid of orphans) {
      if (isAlive(pid)) {
        console.warn(`run engine ${pid} of the killed worker is still alive; killing it`);
        process.kill(pid, 'SIGKILL');
      }
    }
    orphans.clear();
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------- main

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`bench-workers: ${RUNS} runs of "${findTemplate(BANK)!.name}" on ${WORKER_COUNTS.join(', ')} worker(s); ${RECOVERIES} recoveries; ${machine}`);

const results: Throughput[] = [];
for (const count of WORKER_COUNTS) results.push(await throughput(count));

const recoveries: Recovery[] = [];
if (RECOVERIES > 0) {
  const bench = await openBench();
  try {
    for (let attempt = 1; attempt <= RECOVERIES; attempt++) recoveries.push(await recovery(bench, attempt));
  } finally {
    await closeBench(bench);
  }
}

const base = results.find((r) => r.workers === 1) ?? results[0];
const lines: string[] = [];
lines.push('');
lines.push(`${new Date().toISOString().slice(0, 10)}; ${machine}; ${RUNS} runs of "${findTemplate(BANK)!.name}" enqueued at once, each worker \`--concurrency 1\`.`);
lines.push('');
lines.push(
  '| worker processes | runs succeeded | wall time (s) | runs per minute | speed-up vs 1 worker | enqueue → start p50 (s) | enqueue → start p99 (s) | time on a worker per run, median (s) | runs taken per worker | cores busy: workers / everything else |',
);
lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
for (const r of results) {
  lines.push(
    `| ${r.workers} | ${r.succeeded} of ${RUNS}${r.firstTry === RUNS ? '' : ` (${RUNS - r.firstTry} retried)`} | ${seconds(r.wallMs, 1)} | ${((RUNS / r.wallMs) * 60_000).toFixed(1)} | ` +
      `${(base.wallMs / r.wallMs).toFixed(2)}× | ${seconds(r.startP50Ms, 2)} | ${seconds(r.startP99Ms, 2)} | ${seconds(r.heldMedianMs, 2)} | ${r.perWorker.join(' / ')} | ${r.cpu.workers.toFixed(2)} / ${r.cpu.others.toFixed(2)} |`,
  );
}
lines.push('');
lines.push(`Steps served from the worker's cache per measured run: ${[...new Set(results.map((r) => r.cachedSteps))].join(', ')} (the sample read). 1-minute load average as each measurement ended: ${results.map((r) => `${r.workers} worker(s) ${r.loadAfter.toFixed(1)}`).join(', ')}.`);
if (recoveries.length) {
  lines.push('');
  lines.push(
    `Recovery: 2 workers, one "${findTemplate(CNN)!.name}" run, its worker killed with kill -9 ${seconds(KILL_AFTER_TRAINING_MS, 0)} s into the CNN's training; default lock settings (lock 20 s, stalled check every 10 s).`,
  );
  lines.push('');
  lines.push('| try | kill → taken by the other worker (s) | kill → running again, attempts = 2 (s) | kill → finished (s) | outcome | cores busy: surviving worker / everything else |');
  lines.push('| ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of recoveries) {
    lines.push(
      `| ${r.attempt} | ${seconds(r.takenOverMs)} | ${seconds(r.runningAgainMs)} | ${seconds(r.succeededMs)} | ${r.status}, attempts ${r.attempts}${r.interruptedSeen ? ', marked interrupted in between' : ''} | ${r.cpu.workers.toFixed(2)} / ${r.cpu.others.toFixed(2)} |`,
    );
  }
}
console.log(lines.join('\n'));
process.exit(results.every((r) => r.succeeded === RUNS) && recoveries.every((r) => r.status === 'succeeded' && r.attempts === 2) ? 0 : 1);
