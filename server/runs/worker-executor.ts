import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Graph } from '../../nodes/graph-document';
import { appRoot } from '../../nodes/lib/paths';
import type { ExecutionOutcome } from '../engine/events';
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { ExecutionHandlers, Executor } from './executor';

/**
 * glibc's allocator settings for the run worker (read when a process starts; the environment wins when it sets
 * them). Buffers of 128 kB or more (columns, matrices) are mapped and unmapped on their own instead of in
 * heaps that keep freed memory, and two arenas rather than eight per core: measured on the 1,000,000-row
 * pipeline, a lower peak of resident memory for the same time (docs/benchmarks.md, "Loading TensorFlow.js only
 * when needed"). Other C libraries ignore them.
 */
const WORKER_MALLOC = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2' };

/** Niceness of the run worker process (0 is normal, 19 the lowest priority). */
const RUN_WORKER_NICENESS = 10;

interface Pending {
  graph: Graph;
  handlers: ExecutionHandlers;
  resolve(outcome: ExecutionOutcome): void;
  /** The worker has begun it; until then the run is only queued there. */
  started: boolean;
}

const interrupted = (error: string): ExecutionOutcome => ({ status: 'interrupted', error, problems: [], headline: null });

/**
 * Runs graphs in a long-lived child process (it keeps the node output cache warm between runs).
 * If the child dies, the run it was training is interrupted, and the runs still queued behind it go to
 * a fresh child: they had not started, so nothing of them is lost.
 */
export class WorkerExecutor implements Executor {
  private child: ChildProcess | null = null;
  /** The TensorFlow.js backend the worker runs on, once a run has needed it. */
  backend: string | null = null;
  private readonly pending = new Map<string, Pending>();

  private ensureChild(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    const root = appRoot();
    const child = fork(/* turbopackIgnore: true */ path.join(root, 'server', 'worker', 'main.ts'), [], {
      cwd: root,
      execArgv: ['--import', path.join(/* turbopackIgnore: true */ root, 'node_modules', 'tsx', 'dist', 'loader.mjs')],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...WORKER_MALLOC, ...process.env },
    });
    child.on('message', (message: FromWorker) => this.onMessage(message));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const waiting: [string, Pending][] = [];
      for (const [runId, pending] of this.pending) {
        if (!pending.started) {
          waiting.push([runId, pending]);
          continue;
        }
        pending.resolve(interrupted(`The run engine stopped unexpectedly (${signal ?? `exit code ${code}`}) while training this pipeline. Run it again.`));
        this.pending.delete(runId);
      }
      if (this.stopped || waiting.length === 0) return;
      const next = this.ensureChild();
      for (const [runId, pending] of waiting) next.send({ type: 'run', runId, graph: pending.graph } satisfies ToWorker);
    });
    // Training yields the CPU to the web server, so people's requests stay quick while models train.
    if (child.pid) {
      try {
        os.setPriority(child.pid, RUN_WORKER_NICENESS);
      } catch {
        // Not allowed on this system: the worker runs at normal priority.
      }
    }
    this.child = child;
    return child;
  }

  /** Starts the worker ahead of the first run, so that run does not wait for its modules to load. */
  warmUp(): void {
    const message: ToWorker = { type: 'warmUp' };
    this.ensureChild().send(message);
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'ready') return;
    if (message.type === 'backend') this.backend = message.name;
    const pending = this.pending.get(message.runId);
    if (!pending) return;
    if (message.type === 'started') {
      pending.started = true;
      pending.handlers.onStarted();
    }
    if (message.type === 'backend') pending.handlers.onBackend(message.name);
    if (message.type === 'event') pending.handlers.onEvent(message.event);
    if (message.type === 'done') {
      this.pending.delete(message.runId);
      pending.resolve(message.outcome);
    }
  }

  execute(runId: string, graph: Graph, handlers: ExecutionHandlers): Promise<ExecutionOutcome> {
    return new Promise((resolve) => {
      this.pending.set(runId, { graph, handlers, resolve, started: false });
      const message: ToWorker = { type: 'run', runId, graph };
      this.ensureChild().send(message);
    });
  }

  cancel(runId: string): void {
    const message: ToWorker = { type: 'cancel', runId };
    this.child?.send(message);
  }

  private stopped = false;

  stop(): void {
    this.stopped = true;
    this.child?.kill();
    this.child = null;
  }
}
