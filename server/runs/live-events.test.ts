/**
 * Live run events: the in-process bus, and the Redis bus between two separate instances (two processes'
 * worth of connections), each delivering a run's events to that run's listeners only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, type Db } from '../../db/client';
import { createRun } from '../../db/runs';
import { openTestDatabase } from '../../db/test-fixtures';
import { InProcessRunEventBus, openRunEventBus, parseLiveRunEvent, RedisRunEventBus, type LiveRunEvent, type RunEventBus } from './live-events';
import { openRunEventStreams, runEventStream } from './live-stream';

const redisUrl = process.env.REDIS_URL?.trim();
if (!redisUrl) console.info('Redis live run event tests skipped: set REDIS_URL=redis://127.0.0.1:6379 to run them.');

/** Collects the events a listener hears, and waits for a number of them. */
function collector() {
  const events: LiveRunEvent[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    events,
    listener: (event: LiveRunEvent) => {
      events.push(event);
      for (const waiter of waiters.filter((w) => events.length >= w.count)) waiter.resolve();
    },
    async waitFor(count: number, timeoutMs = 5000): Promise<void> {
      if (events.length >= count) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Heard ${events.length} events, waited for ${count}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

describe('in-process run event bus', () => {
  it('delivers a run\'s events, in order, to its listeners only, until they unsubscribe', async () => {
    const bus = new InProcessRunEventBus();
    const a = collector();
    const a2 = collector();
    const b = collector();
    const stopA = bus.subscribe('run-a', a.listener);
    bus.subscribe('run-a', a2.listener);
    bus.subscribe('run-b', b.listener);
    await bus.ready('run-a');
    bus.publish('run-a', { type: 'started', nodeId: 'data', at: 1 });
    bus.publish('run-a', { type: 'finished', nodeId: 'data', at: 2 });
    bus.publish('run-c', { type: 'ended', at: 3 });
    expect(a.events).toEqual([
      { type: 'started', nodeId: 'data', at: 1 },
      { type: 'finished', nodeId: 'data', at: 2 },
    ]);
    expect(a2.events).toHaveLength(2);
    expect(b.events).toEqual([]);
    stopA();
    stopA();
    bus.publish('run-a', { type: 'ended', at: 4 });
    expect(a.events).toHaveLength(2);
    expect(a2.events).toHaveLength(3);
    await bus.close();
    bus.publish('run-a', { type: 'ended', at: 5 });
    expect(a2.events).toHaveLength(3);
  });

  it('a listener that throws reaches neither the publisher nor the other listeners, and "error" is just a run id', () => {
    const bus = new InProcessRunEventBus();
    const heard = collector();
    const warn = console.warn;
    console.warn = () => {};
    try {
      bus.subscribe('error', () => {
        throw new Error('broken listener');
      });
      bus.subscribe('error', heard.listener);
      expect(() => bus.publish('error', { type: 'ended', at: 1 })).not.toThrow();
      expect(() => bus.publish('nobody-listens', { type: 'ended', at: 1 })).not.toThrow();
    } finally {
      console.warn = warn;
    }
    expect(heard.events).toEqual([{ type: 'ended', at: 1 }]);
  });

  it('is the bus without REDIS_URL', async () => {
    const bus = openRunEventBus({ redisUrl: '' });
    expect(bus).toBeInstanceOf(InProcessRunEventBus);
    await bus.close();
  });

  it('reads only well-formed events from outside', () => {
    expect(parseLiveRunEvent({ type: 'progress', nodeId: 'n', at: 5, extra: 1 })).toEqual({ type: 'progress', nodeId: 'n', at: 5 });
    expect(parseLiveRunEvent({ type: 'ended', at: 5 })).toEqual({ type: 'ended', at: 5 });
    for (const bad of [null, 'ended', {}, { type: 'exploded', at: 1 }, { type: 'ended' }, { type: 'ended', at: Number.NaN }, { type: 'started', nodeId: 3, at: 1 }]) {
      expect(parseLiveRunEvent(bad)).toBeNull();
    }
  });
});

describe('Redis run event bus without Redis', () => {
  it('an unreachable Redis is warned about, never thrown: publishing, subscribing and closing all carry on', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const bus = new RedisRunEventBus({ redisUrl: 'redis://127.0.0.1:1', queueName: 'pipelab-test-nowhere' });
      const stop = bus.subscribe('run', () => {});
      bus.publish('run', { type: 'ended', at: 1 });
      await settle(300);
      stop();
      await bus.close();
      bus.publish('run', { type: 'ended', at: 2 });
    } finally {
      console.warn = warn;
    }
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((line) => line.startsWith('Live run events (pipelab-test-nowhere):'))).toBe(true);
  });
});

describe.skipIf(!redisUrl)('Redis run event bus', () => {
  const buses: RunEventBus[] = [];
  const open = (queueName: string) => {
    const bus = new RedisRunEventBus({ redisUrl: redisUrl!, queueName });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it('carries events from one bus (a worker) to another (a web process), for the subscribed run only', async () => {
    const queueName = `pipelab-test-${randomUUID()}`;
    const worker = open(queueName);
    const web = open(queueName);
    const runA = randomUUID();
    const runB = randomUUID();
    const a = collector();
    const b = collector();
    web.subscribe(runA, a.listener);
    await web.ready(runA);
    worker.publish(runB, { type: 'started', nodeId: 'other', at: 1 });
    worker.publish(runA, { type: 'backend', at: 2 });
    worker.publish(runA, { type: 'started', nodeId: 'data', at: 3 });
    worker.publish(runA, { type: 'ended', at: 4 });
    await a.waitFor(3);
    expect(a.events).toEqual([
      { type: 'backend', at: 2 },
      { type: 'started', nodeId: 'data', at: 3 },
      { type: 'ended', at: 4 },
    ]);

    // Another run's listener, subscribed later, hears its own run from then on.
    web.subscribe(runB, b.listener);
    await web.ready(runB);
    worker.publish(runB, { type: 'ended', at: 5 });
    await b.waitFor(1);
    await settle();
    expect(b.events).toEqual([{ type: 'ended', at: 5 }]);
    expect(a.events).toHaveLength(3);
  });

  it('keeps queues apart, and stops delivering once the last listener of a run leaves', async () => {
    const queueName = `pipelab-test-${randomUUID()}`;
    const publisher = open(queueName);
    const listener = open(queueName);
    const stranger = open(`pipelab-test-${randomUUID()}`);
    const runId = randomUUID();
    const heard = collector();
    const strangerHeard = collector();
    const stop = listener.subscribe(runId, heard.listener);
    stranger.subscribe(runId, strangerHeard.listener);
    await Promise.all([listener.ready(runId), stranger.ready(runId)]);
    publisher.publish(runId, { type: 'progress', nodeId: 'train', at: 1 });
    await heard.waitFor(1);
    stop();
    // The unsubscribe goes out before the probe's subscribe, on the same connection.
    const probe = collector();
    listener.subscribe(`${runId}-probe`, probe.listener);
    await listener.ready(`${runId}-probe`);
    publisher.publish(runId, { type: 'ended', at: 2 });
    publisher.publish(`${runId}-probe`, { type: 'ended', at: 3 });
    await probe.waitFor(1);
    await settle();
    expect(heard.events).toEqual([{ type: 'progress', nodeId: 'train', at: 1 }]);
    expect(strangerHeard.events).toEqual([]);
  });

  let db: Db | undefined;
  afterAll(async () => {
    if (db) await closeDatabase(db);
  });

  it('a web process streams to the browser what a worker publishes for the run', async () => {
    db = await openTestDatabase();
    const queueName = `pipelab-test-${randomUUID()}`;
    const web = open(queueName);
    const worker = open(queueName);
    const runId = randomUUID();
    await createRun(db, { id: runId, pipelineId: null, label: 'followed', origin: 'ui', graph: { schemaVersion: 1, nodes: [], edges: [] } as never, nodeIds: [], workspaceId: null, startedBy: null });
    const response = await runEventStream({ db, events: web, runId, signal: new AbortController().signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The stream's subscription is confirmed by Redis before it sends the status: nothing after is missed.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"status"')) text += decoder.decode((await reader.read()).value);
    worker.publish(runId, { type: 'backend', at: 1 });
    worker.publish(runId, { type: 'ended', at: 2 });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    const messages = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)));
    expect(messages).toEqual([
      { type: 'status', status: 'queued', at: expect.any(Number) },
      { type: 'backend', at: 1 },
      { type: 'ended', at: 2 },
    ]);
    expect(openRunEventStreams()).toBe(0);
  });

  it('is the bus with REDIS_URL, and closes even when it never connected', async () => {
    const bus = openRunEventBus({ redisUrl, queueName: `pipelab-test-${randomUUID()}` });
    expect(bus).toBeInstanceOf(RedisRunEventBus);
    await bus.close();
  });
});
