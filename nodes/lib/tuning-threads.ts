import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { formatBytes, LIMITS, MiB } from '../../models/limits';
import type { PixelBlock } from '../../models/images/types';
import type { FoldSets } from './cross-validate';
import { appRoot } from './paths';
import type { TrainingSet } from './training';
import type { FoldScores, FromTrialThread, ToTrialThread, TrialData, TryEvents } from './tuning-protocol';

/**
 * How many threads score a search's tries at once: PIPELAB_TUNING_THREADS when set, otherwise one fewer
 * than the cores (one is left to the web server and the other run slots), between 1 and LIMITS.tuning.threads.
 * 1 keeps the tries in the run's own thread.
 */
export function tuningThreads(setting = process.env.PIPELAB_TUNING_THREADS): number {
  const asked = setting?.trim() ? Number(setting) : os.availableParallelism() - 1;
  if (!Number.isInteger(asked) || asked < 1) {
    if (setting?.trim()) console.error(`PIPELAB_TUNING_THREADS="${setting}" is not a whole number of 1 or more; searches use one thread.`);
    return 1;
  }
  return Math.min(asked, LIMITS.tuning.threads);
}

/**
 * How many of `asked` threads a network's search starts: as many as fit in LIMITS.tuning.networkThreadsMb
 * together. Each thread holds TensorFlow.js and its WebAssembly memory (LIMITS.tuning.networkThreadBaseMb)
 * and, while it trains a try, copies of one fold's photos (about twice the pixels' bytes: the fold trained
 * on, the fold scored as 8-byte numbers); the photos themselves are shared, held once for all threads.
 */
export function networkThreads(pixels: PixelBlock, asked: number): number {
  const { networkThreadsMb, networkThreadBaseMb } = LIMITS.tuning;
  const perThread = networkThreadBaseMb * MiB + 2 * pixels.data.byteLength;
  return Math.max(1, Math.min(asked, Math.floor((networkThreadsMb * MiB) / perThread)));
}

export interface ThreadedSearch {
  /** The model's node type: a table model is found again in each thread among the table models. */
  nodeType: string;
  /** The run's TensorFlow.js backend, started in each thread, for a model that computes on it; otherwise null. */
  backend: string | null;
  title: string;
  /** The folds or photos, built once; their numbers are copied once into memory every thread shares. */
  data: TrialData;
  /** Each candidate's full settings, parsed by the node's schema. */
  params: Record<string, unknown>[];
  threads: number;
  /** Scores one try in this thread: used for the tries left when no thread can start here. */
  scoreHere(index: number, onProgress: (fraction: number, message: string) => void): Promise<FoldScores>;
  heapMb?: number;
  /** The thread's entry file; default nodes/lib/tuning-thread-entry.mjs of the installed app. */
  entry?: string;
}

/**
 * Scores a search's tries in a few worker threads, each handed the next try as soon as it is free, and tells
 * `events` of each try when it finishes. A try that throws, or whose thread dies (out of memory, a crash), is
 * finished with the reason and a fresh thread takes its place; cancelling ends every thread at once. When no
 * thread can start at all (a backend that does not load in threads), the tries are scored here, in turn.
 * Resolves to how many threads became ready to score.
 */
export function scoreInThreads(search: ThreadedSearch, events: TryEvents, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => new TrialPool(search, events, signal, resolve, reject).start());
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current: { index: number; started: number } | null;
  error?: Error;
}

class TrialPool {
  private readonly waiting: number[];
  private readonly slots = new Set<Slot>();
  private readonly init: ToTrialThread;
  private readonly heapMb: number;
  private finished = 0;
  private settled = false;
  private scoringHere = false;
  private readyThreads = 0;

  constructor(
    private readonly search: ThreadedSearch,
    private readonly events: TryEvents,
    private readonly signal: AbortSignal,
    private readonly resolve: (threads: number) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.waiting = search.params.map((_, index) => index);
    this.heapMb = search.heapMb ?? LIMITS.tuning.threadHeapMb;
    this.init = { type: 'init', nodeType: search.nodeType, title: search.title, backend: search.backend, data: sharedData(search.data) };
  }

  start(): void {
    if (this.signal.aborted) return this.settle(new Error('Cancelled'));
    this.signal.addEventListener('abort', this.cancel, { once: true });
    for (let i = 0; i < Math.min(this.search.threads, this.waiting.length); i++) this.spawn();
  }

  private readonly cancel = () => this.settle(new Error('Cancelled'));

  private spawn(): void {
    const entry = this.search.entry ?? path.join(/* turbopackIgnore: true */ appRoot(), 'nodes', 'lib', 'tuning-thread-entry.mjs');
    const worker = new Worker(entry, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    const slot: Slot = { worker, ready: false, current: null };
    this.slots.add(slot);
    worker.on('message', (message: FromTrialThread) => this.guarded(() => this.onMessage(slot, message)));
    worker.on('error', (error) => (slot.error = error));
    worker.on('exit', (code) => this.guarded(() => this.onExit(slot, code)));
    worker.postMessage(this.init);
  }

  /** What the search does with a finished try (its live result) may throw: that ends the search, as it would in turn. */
  private guarded(handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private onMessage(slot: Slot, message: FromTrialThread): void {
    if (this.settled) return;
    if (message.type === 'ready') {
      slot.ready = true;
      this.readyThreads++;
      return this.next(slot);
    }
    if (message.type === 'initFailed') {
      slot.error = new Error(message.message);
      void slot.worker.terminate();
      return;
    }
    if (message.type === 'progress') return this.events.progress(message.index, message.fraction, message.message);
    const seconds = (performance.now() - slot.current!.started) / 1000;
    slot.current = null;
    this.finish(message.index, message.type === 'done' ? { scores: message.scores, seconds } : { error: message.message, seconds });
    this.next(slot);
  }

  /** A thread that ended while scoring a try fails that try with the reason; another thread takes its place. */
  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    if (this.settled) return;
    if (slot.current) {
      const { index, started } = slot.current;
      this.finish(index, { error: crashReason(slot.error, code, this.heapMb), seconds: (performance.now() - started) / 1000 });
    }
    if (this.settled || this.waiting.length === 0) return;
    if (slot.ready) return this.spawn();
    // A thread that could not even start is not started again: when none is left, the tries left are scored here.
    if (this.slots.size === 0) {
      console.error(`Settings search: scoring the tries in the run's own thread, as no thread could start (${slot.error?.message ?? `exit code ${code}`}).`);
      void this.scoreRestHere();
    }
  }

  private next(slot: Slot): void {
    const index = this.waiting.shift();
    if (index === undefined) {
      void slot.worker.terminate();
      return;
    }
    slot.current = { index, started: performance.now() };
    slot.worker.postMessage({ type: 'try', index, params: this.search.params[index] } satisfies ToTrialThread);
  }

  private finish(index: number, outcome: Parameters<TryEvents['finished']>[1]): void {
    this.finished++;
    this.events.finished(index, outcome);
    if (this.finished === this.search.params.length) this.settle();
  }

  private async scoreRestHere(): Promise<void> {
    if (this.scoringHere) return;
    this.scoringHere = true;
    for (let index = this.waiting.shift(); index !== undefined && !this.settled; index = this.waiting.shift()) {
      const started = performance.now();
      try {
        const scores = await this.search.scoreHere(index, (fraction, message) => this.events.progress(index!, fraction, message));
        if (!this.settled) this.finish(index, { scores, seconds: (performance.now() - started) / 1000 });
      } catch (error) {
        if (!this.settled) this.finish(index, { error: (error as Error).message, seconds: (performance.now() - started) / 1000 });
      }
    }
  }

  private settle(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.removeEventListener('abort', this.cancel);
    for (const slot of this.slots) void slot.worker.terminate();
    if (error) this.reject(error);
    else this.resolve(this.readyThreads);
  }
}

function crashReason(error: Error | undefined, code: number, heapMb: number): string {
  if ((error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `It needed more than ${formatBytes(heapMb * MiB)} of memory, the most one search thread may use; fewer rows or smaller settings need less.`;
  }
  return `The thread scoring it stopped unexpectedly (${error?.message ?? `exit code ${code}`}).`;
}

/** The search's data with its numbers in shared memory: every thread reads them, none copies them. */
function sharedData(data: TrialData): TrialData {
  if (data.kind === 'table') return { kind: 'table', sets: data.sets.map(sharedFold) };
  const { photos } = data;
  return {
    kind: 'photos',
    photos: {
      ...photos,
      pixels: { ...photos.pixels, data: shared(photos.pixels.data) },
      labels: shared(photos.labels),
      folds: photos.folds.map((fold) => ({ train: shared(fold.train), test: shared(fold.test) })),
    },
  };
}

function sharedFold(fold: FoldSets): FoldSets {
  return { train: sharedSet(fold.train), heldOut: sharedSet(fold.heldOut) };
}

function sharedSet(set: TrainingSet): TrainingSet {
  return { ...set, X: { ...set.X, data: shared(set.X.data) }, y: shared(set.y) };
}

function shared<T extends Float64Array | Float32Array | Int32Array>(values: T): T {
  const copy = new (values.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}
