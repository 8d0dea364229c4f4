/**
 * Live run events: a small signal, "something happened to run X", sent as each engine event is recorded,
 * so a browser following the run refetches it at once instead of polling fast. The database stays the
 * record: an event carries no results, and a lost event only means the next poll shows the change.
 *
 * One process (embedded mode): an EventEmitter. Team mode: Redis pub/sub, so an event a `pipelab worker`
 * on another machine publishes reaches the web process streaming that run to a browser.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { EngineEvent } from '../engine/events';
import { DEFAULT_QUEUE_NAME } from '../queue/run-queue';
import { queueName, queueUrl } from '../queue/run-queue';
import { waitAtMost } from '../deadlines';

export type LiveRunEventType = EngineEvent['type'] | 'backend' | 'ended';

export interface LiveRunEvent {
  /** An engine event was recorded, the run's backend is known (it left the queue), or the run ended. */
  type: LiveRunEventType;
  nodeId?: string;
  /** When it was published (ms since the epoch). */
  at: number;
}

export interface RunEventBus {
  /** Sends an event to every listener of the run, in this process or (Redis) any other; never throws. */
  publish(runId: string, event: LiveRunEvent): void;
  /** Listens to one run's events; returns the function that stops listening. */
  subscribe(runId: string, listener: (event: LiveRunEvent) => void): () => void;
  /**
   * Settles once events published for the run from now on reach this process's listeners (after
   * `subscribe`): at once in-process, once Redis confirms the subscription otherwise.
   */
  ready(runId: string): Promise<void>;
  close(): Promise<void>;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<LiveRunEventType>(['started', 'progress', 'finished', 'failed', 'skipped', 'backend', 'ended']);
const MAX_NODE_ID_LENGTH = 1000;

/** An event read from outside the process (Redis), or null when it is not one. */
export function parseLiveRunEvent(value: unknown): LiveRunEvent | null {
  if (!value || typeof value !== 'object') return null;
  const { type, nodeId, at } = value as Record<string, unknown>;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return null;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (nodeId !== undefined && (typeof nodeId !== 'string' || nodeId.length > MAX_NODE_ID_LENGTH)) return null;
  return nodeId === undefined ? { type: type as LiveRunEventType, at } : { type: type as LiveRunEventType, nodeId, at };
}

/** A listener that throws must not break the publisher (the run's record chain) or other listeners. */
function deliver(listener: (event: LiveRunEvent) => void, event: LiveRunEvent): void {
  try {
    listener(event);
  } catch (error) {
    console.warn(`Live run events: a listener failed: ${(error as Error).message}`);
  }
}

/** Embedded mode: runs are executed by the web process itself, so its listeners are all there is. */
export class InProcessRunEventBus implements RunEventBus {
  private readonly emitter = new EventEmitter();
  private closed = false;

  constructor() {
    // One listener per open stream: hundreds on one run are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  publish(runId: string, event: LiveRunEvent): void {
    if (this.closed) return;
    // Prefixed, so no run id can be an EventEmitter's special 'error' event.
    this.emitter.emit(`run:${runId}`, event);
  }

  subscribe(runId: string, listener: (event: LiveRunEvent) => void): () => void {
    const name = `run:${runId}`;
    const wrapped = (event: LiveRunEvent) => deliver(listener, event);
    this.emitter.on(name, wrapped);
    return () => {
      this.emitter.off(name, wrapped);
    };
  }

  /** Listeners hear events from the moment they subscribe. */
  async ready(_runId?: string): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
  }
}

export interface RedisRunEventBusSettings {
  redisUrl: string;
  /** The queue's name: installations sharing one Redis keep their events apart with it. */
  queueName?: string;
}

/** The pub/sub channel of one run's events, within one queue. */
export function runEventChannel(queue: string, runId: string): string {
  return `pipelab:${queue}:run-events:${runId}`;
}

/** Warnings about an unreachable Redis at most this often: an outage must not flood the log. */
const WARN_EVERY_MS = 30_000;
const QUIT_WAIT_MS = 2_000;

/**
 * Team mode: one channel per run. Each process has (once it needs them) one connection that publishes
 * and one in subscriber mode, subscribed to the runs it has listeners for. ioredis reconnects and
 * subscribes again by itself after a Redis hiccup; events sent meanwhile are lost, which is harmless.
 */
export class RedisRunEventBus implements RunEventBus {
  private readonly queue: string;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  /** Listeners per channel; a channel is subscribed to while it has any. */
  private readonly listeners = new Map<string, Set<(event: LiveRunEvent) => void>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private closed = false;
  private lastWarning = 0;

  constructor(private readonly settings: RedisRunEventBusSettings) {
    this.queue = settings.queueName ?? DEFAULT_QUEUE_NAME;
  }

  publish(runId: string, event: LiveRunEvent): void {
    if (this.closed) return;
    const message = JSON.stringify({ runId, ...event });
    this.publishing()
      .publish(runEventChannel(this.queue, runId), message)
      .catch((error: Error) => this.warn(`could not publish: ${error.message}`));
  }

  subscribe(runId: string, listener: (event: LiveRunEvent) => void): () => void {
    if (this.closed) return () => {};
    const channel = runEventChannel(this.queue, runId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscriptions.set(
        channel,
        this.subscribing()
          .subscribe(channel)
          .then(
            () => undefined,
            (error: Error) => this.warn(`could not subscribe: ${error.message}`),
          ),
      );
    }
    // The same function twice is two listeners, like an EventEmitter's.
    const entry = (event: LiveRunEvent) => deliver(listener, event);
    set.add(entry);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(entry);
      if (current.size) return;
      this.listeners.delete(channel);
      this.subscriptions.delete(channel);
      if (!this.closed) this.subscriber?.unsubscribe(channel).catch((error: Error) => this.warn(`could not unsubscribe: ${error.message}`));
    };
  }

  ready(runId: string): Promise<void> {
    return this.subscriptions.get(runEventChannel(this.queue, runId)) ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.subscriptions.clear();
    const connections = [this.publisher, this.subscriber].filter((connection): connection is Redis => !!connection);
    this.publisher = undefined;
    this.subscriber = undefined;
    await Promise.all(connections.map(quitSoon));
  }

  /** Created on the first event: a web process that never publishes holds no connection for it. */
  private publishing(): Redis {
    if (!this.publisher) {
      // Events are worth little once late: a publish waits for one reconnection at most, then is dropped.
      this.publisher = new Redis(this.settings.redisUrl, { maxRetriesPerRequest: 1 });
      this.publisher.on('error', (error: Error) => this.warn(`publisher: ${error.message}`));
    }
    return this.publisher;
  }

  /** Created when the first listener subscribes: a worker, which only publishes, never opens it. */
  private subscribing(): Redis {
    if (!this.subscriber) {
      // Subscriptions wait for Redis to come back (and are renewed by ioredis when it does).
      const subscriber = new Redis(this.settings.redisUrl, { maxRetriesPerRequest: null });
      subscriber.on('error', (error: Error) => this.warn(`subscriber: ${error.message}`));
      subscriber.on('message', (channel: string, text: string) => this.received(channel, text));
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  private received(channel: string, text: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const event = parseLiveRunEvent(parsed);
    const runId = (parsed as { runId?: unknown }).runId;
    if (!event || runEventChannel(this.queue, String(runId)) !== channel) return;
    for (const listener of [...set]) listener(event);
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    console.warn(`Live run events (${this.queue}): ${message}`);
  }
}

/** Closes a connection gracefully (pending publishes go out), or at once if Redis does not answer. */
async function quitSoon(connection: Redis): Promise<void> {
  // Not connected nor connecting (Redis unreachable): nothing waiting could go out anyway.
  if (!['ready', 'connect', 'connecting'].includes(connection.status)) {
    connection.disconnect();
    return;
  }
  await waitAtMost(connection.quit(), QUIT_WAIT_MS);
  connection.disconnect();
}

/** The bus of this process: Redis when REDIS_URL is set (team mode), in-process otherwise. */
export function openRunEventBus(settings: Partial<RedisRunEventBusSettings> = {}): RunEventBus {
  const redisUrl = settings.redisUrl ?? queueUrl();
  if (!redisUrl) return new InProcessRunEventBus();
  return new RedisRunEventBus({ redisUrl, queueName: settings.queueName ?? queueName() });
}
