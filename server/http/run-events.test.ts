/**
 * GET /api/runs/<runId>/events through the app's real proxy, guard and route (the fuzz test-app): who may
 * follow a run, what the stream says and when it ends, the cap on open streams, and hostile addresses.
 */
import { randomUUID } from 'node:crypto';
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, finishRun } from '../../db/runs';
import { firstWorkspaceOf } from '../../db/workspaces';
import { LIMITS } from '../../models/limits';
import { customerRows, graph, uploadCsv } from '../../nodes/test-harness';
import { InProcessExecutor } from '../runs/in-process';
import { InProcessRunEventBus } from '../runs/live-events';
import { openRunEventStreams, runEventStream, type RunStreamMessage } from '../runs/live-stream';
import { startRun } from '../runs/service';
import { hostileText } from './fuzz/arbitraries';
import { startTestApp, type TestApp } from './fuzz/test-app';

let app: TestApp;
let workspaceId: string;
let userId: string;

beforeAll(async () => {
  app = await startTestApp();
  const session = await app.people.auth.api.getSession({ headers: app.owner });
  userId = session!.user.id;
  workspaceId = (await firstWorkspaceOf(app.db, userId))!;
}, 60_000);

afterAll(async () => app?.close());

const eventsUrl = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/events`;

/** A run recorded as queued in a workspace (the owner's unless told), never executed. */
async function recordedRun(inWorkspace: string | null = workspaceId): Promise<string> {
  const id = randomUUID();
  await createRun(app.db, { id, pipelineId: null, label: 'followed', origin: 'ui', graph: { schemaVersion: 1, nodes: [], edges: [] } as never, nodeIds: [], workspaceId: inWorkspace, startedBy: null });
  return id;
}

/** Reads an event stream message by message. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const raw: string[] = [];
  return {
    raw,
    /** The next `data:` message, or null once the stream has ended. */
    async next(timeoutMs = 10_000): Promise<RunStreamMessage | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const cut = buffer.indexOf('\n\n');
        if (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          raw.push(block);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as RunStreamMessage;
          continue;
        }
        if (ended) return null;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`No message within ${timeoutMs} ms; read so far: ${JSON.stringify(raw)}`);
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`No message within ${timeoutMs} ms; read so far: ${JSON.stringify(raw)}`)), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) ended = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    /** Every message up to the end of the stream. */
    async rest(timeoutMs = 30_000): Promise<RunStreamMessage[]> {
      const messages: RunStreamMessage[] = [];
      for (let message = await this.next(timeoutMs); message; message = await this.next(timeoutMs)) messages.push(message);
      return messages;
    },
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('GET /api/runs/<runId>/events', () => {
  it('is for signed-in people only: 401 signed out, even for a run that exists', async () => {
    const runId = await recordedRun();
    const response = await app.fetch(new Request(`http://localhost${eventsUrl(runId)}`));
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/Sign in/);
  });

  it('answers 404 for an unknown run, a run of another workspace, and an overlong id', async () => {
    for (const runId of [randomUUID(), await recordedRun(null), 'r'.repeat(LIMITS.text.idLength + 1)]) {
      const response = await app.asOwner(eventsUrl(runId));
      expect(response.status, runId.slice(0, 40)).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    expect(openRunEventStreams()).toBe(0);
  });

  it('a finished run: the stream sends its status and ends', async () => {
    const runId = await recordedRun();
    await finishRun(app.db, runId, { status: 'succeeded', error: null, headline: null });
    const response = await app.asOwner(eventsUrl(runId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const stream = sseReader(response);
    expect(await stream.rest()).toEqual([{ type: 'status', status: 'succeeded', at: expect.any(Number) }]);
    expect(openRunEventStreams()).toBe(0);
  });

  it('an active run: its status, then each event as it is published, until it ends', async () => {
    const runId = await recordedRun();
    const response = await app.asOwner(eventsUrl(runId));
    const stream = sseReader(response);
    expect(await stream.next()).toMatchObject({ type: 'status', status: 'queued' });
    expect(openRunEventStreams()).toBe(1);
    app.events.publish(randomUUID(), { type: 'ended', at: 1 });
    app.events.publish(runId, { type: 'started', nodeId: 'data', at: 2 });
    expect(await stream.next()).toEqual({ type: 'started', nodeId: 'data', at: 2 });
    app.events.publish(runId, { type: 'ended', at: 3 });
    expect(await stream.rest()).toEqual([{ type: 'ended', at: 3 }]);
    expect(openRunEventStreams()).toBe(0);
  });

  it('a real run: what the engine records is announced, then the end', async () => {
    const dataset = await uploadCsv(app.db, 'customers.csv', customerRows(80));
    const trained = graph(
      { data: ['data.csv', { dataset, target: 'bought' }], encode: ['prep.oneHot'], split: ['prep.split', { testFraction: 0.25, seed: 3 }], logistic: ['model.logisticRegression'] },
      ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> logistic.data'],
    );
    // The run starts from the queue only once the stream listens (a gate on the executor's first step).
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const inner = new InProcessExecutor();
    const executor: typeof inner = Object.assign(Object.create(inner) as typeof inner, {
      execute: async (...args: Parameters<typeof inner.execute>) => {
        await gate;
        return inner.execute(...args);
      },
    });
    const { runId, done } = await startRun(app.db, executor, { graph: trained, pipelineId: null, label: 'live', origin: 'ui', workspaceId, startedBy: userId }, app.events);
    const stream = sseReader(await app.asOwner(eventsUrl(runId)));
    expect(await stream.next()).toMatchObject({ type: 'status', status: 'queued' });
    open();
    const messages = await stream.rest();
    await done;
    const types = messages.map((message) => message.type);
    expect(types[0]).toBe('backend');
    expect(types.at(-1)).toBe('ended');
    expect(types.filter((type) => type === 'ended')).toHaveLength(1);
    for (const nodeId of ['data', 'encode', 'split', 'logistic']) {
      expect(messages).toContainEqual({ type: 'started', nodeId, at: expect.any(Number) });
      expect(messages).toContainEqual({ type: 'finished', nodeId, at: expect.any(Number) });
    }
  }, 60_000);

  it('closes when the browser goes away', async () => {
    const runId = await recordedRun();
    const leaving = new AbortController();
    const response = await app.asOwner(eventsUrl(runId), { signal: leaving.signal });
    const stream = sseReader(response);
    expect(await stream.next()).toMatchObject({ type: 'status', status: 'queued' });
    expect(openRunEventStreams()).toBe(1);
    leaving.abort();
    await until(() => openRunEventStreams() === 0);
  });

  it('a reader that cancels the body frees its stream too', async () => {
    const runId = await recordedRun();
    const response = await app.asOwner(eventsUrl(runId));
    await until(() => openRunEventStreams() === 1);
    await response.body!.cancel();
    expect(openRunEventStreams()).toBe(0);
  });

  it('sends a heartbeat, and ends a run that ended without an event (its process died) at the next one', async () => {
    const runId = await recordedRun();
    const response = await runEventStream({ db: app.db, events: new InProcessRunEventBus(), runId, signal: new AbortController().signal, heartbeatMs: 50 });
    const stream = sseReader(response);
    expect(await stream.next()).toMatchObject({ type: 'status', status: 'queued' });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await finishRun(app.db, runId, { status: 'interrupted', error: 'Interrupted', headline: null });
    expect(await stream.rest()).toEqual([{ type: 'ended', at: expect.any(Number) }]);
    expect(stream.raw).toContain(': keep-alive');
    expect(openRunEventStreams()).toBe(0);
  });

  it('over the cap of open streams: 503 with a plain message and Retry-After; a closed stream frees its place', async () => {
    const runId = await recordedRun();
    const events = new InProcessRunEventBus();
    const leaving = new AbortController();
    const first = await runEventStream({ db: app.db, events, runId, signal: leaving.signal, maxStreams: 1 });
    expect(first.status).toBe(200);
    const refused = await runEventStream({ db: app.db, events, runId, signal: new AbortController().signal, maxStreams: 1 });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(LIMITS.http.runEventStreamRetrySeconds));
    expect(await refused.text()).toMatch(/already streaming 1 runs/);
    leaving.abort();
    const again = await runEventStream({ db: app.db, events, runId, signal: leaving.signal, maxStreams: 1 });
    expect(again.status).toBe(200);
    expect(openRunEventStreams()).toBe(0);
    await first.body!.cancel();
    await again.body!.cancel();
  });

  it('hostile ids, query strings and methods: a 2xx or a plain 4xx, never a 5xx', async () => {
    const id = fc.oneof(hostileText.map(encodeURIComponent), fc.constantFrom('%', '%E0%A4%A', '%zz', '..', '%2e%2e', '%2F', 'x'.repeat(300), randomUUID()));
    const query = fc.oneof(fc.constant(''), hostileText.map((text) => `?x=${encodeURIComponent(text)}`), fc.constant('?%'));
    await fc.assert(
      fc.asyncProperty(id, query, fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE'), fc.boolean(), async (runId, search, method, signedIn) => {
        const headers = new Headers(signedIn ? { cookie: app.owner.get('cookie') ?? '' } : {});
        const response = await app.fetch(new Request(`http://localhost/api/runs/${runId}/events${search}`, { method, headers }));
        const text = await response.text();
        expect(response.status, text.slice(0, 200)).toBeLessThan(500);
        if (response.status >= 400 && response.status !== 405) expect(text.trim().length).toBeGreaterThan(0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
    expect(openRunEventStreams()).toBe(0);
  }, 120_000);
});
