import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionOutcome } from '../engine/events';
import type { Graph } from '../engine/graph';
import { appRoot } from '../paths';
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { ExecutionHandlers, Executor } from './executor';

/** Niceness of the run worker process (0 is normal, 19 the lowest priority). */
const RUN_WORKER_NICENESS = 10;

interface Pending {
  handlers: ExecutionHandlers;
  resolve(outcome: ExecutionOutcome): void;
}

const failed = (error: string): ExecutionOutcome => ({ status: 'failed', error, problems: [], headline: null });

/**
 * Runs graphs in a long-lived child process (it keeps the node output cache warm between runs).
 * If the child dies, its runs fail with a message and the next run starts a fresh child.
 */
export class WorkerExecutor implements Executor {
  private child: ChildProcess | null = null;
  /** The TensorFlow.js backend the worker runs on, once it has started. */
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
    });
    child.on('message', (message: FromWorker) => this.onMessage(message));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      for (const [runId, pending] of this.pending) {
        pending.resolve(failed(`The run engine stopped unexpectedly (${signal ?? `exit code ${code}`}).`));
        this.pending.delete(runId);
      }
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

  /** Starts the worker and its backend ahead of the first run, so that run does not wait for them. */
  warmUp(): void {
    const message: ToWorker = { type: 'warmUp' };
    this.ensureChild().send(message);
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'ready') {
      this.backend = message.backend;
      return;
    }
    if (message.type === 'backend') this.backend = message.name;
    const pending = this.pending.get(message.runId);
    if (!pending) return;
    if (message.type === 'backend') pending.handlers.onBackend(message.name);
    if (message.type === 'event') pending.handlers.onEvent(message.event);
    if (message.type === 'done') {
      this.pending.delete(message.runId);
      pending.resolve(message.outcome);
    }
  }

  execute(runId: string, graph: Graph, handlers: ExecutionHandlers): Promise<ExecutionOutcome> {
    return new Promise((resolve) => {
      this.pending.set(runId, { handlers, resolve });
      const message: ToWorker = { type: 'run', runId, graph };
      this.ensureChild().send(message);
    });
  }

  cancel(runId: string): void {
    const message: ToWorker = { type: 'cancel', runId };
    this.child?.send(message);
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
  }
}
