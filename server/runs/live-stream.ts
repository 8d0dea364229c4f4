/**
 * A run's live events as Server-Sent Events, for a browser following the run (GET /api/runs/<id>/events).
 * The stream first says the run's status, then passes on each LiveRunEvent as one `data:` line; a comment
 * every 15 s keeps proxies from closing it, and at that moment the run's status is read again, so a run
 * that ended without an `ended` event (its process died; the lease sweeper interrupted it) still closes
 * its streams. The browser refetches the run on each message: the database stays the record.
 */
import { eq } from 'drizzle-orm';
import { first, type Db } from '../../db/client';
import { tables } from '../../db/schema';
import { LIMITS } from '../../models/limits';
import { isRunActive } from '../api-types';
import { waitAtMost } from '../deadlines';
import { plainTextResponse } from '../http/plain-text';
import type { LiveRunEvent, RunEventBus } from './live-events';

const { runs } = tables;

export const HEARTBEAT_MS = 15_000;
/** How long a stream waits for its subscription (Redis) before reading the status anyway. */
const SUBSCRIBE_WAIT_MS = 2_000;
/** Events that arrive while the status is read are held back, at most this many (the newest are kept). */
const BUFFERED_EVENTS = 64;
/** Tells EventSource how long to wait before reconnecting after a dropped connection. */
const RECONNECT_MS = 3_000;

/** The first message of a stream. */
export interface RunStatusMessage {
  type: 'status';
  status: string;
  at: number;
}

export type RunStreamMessage = RunStatusMessage | LiveRunEvent;

// Kept on globalThis, like the server context, so a hot reload in development does not lose count.
const globalForStreams = globalThis as unknown as { pipelabRunEventStreams?: { open: number } };
const streams = (globalForStreams.pipelabRunEventStreams ??= { open: 0 });

/** Live run event streams open now in this process. */
export function openRunEventStreams(): number {
  return streams.open;
}

async function runStatus(db: Db, runId: string): Promise<string | undefined> {
  const row = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).then(first);
  return row?.status;
}


export interface RunEventStreamOptions {
  db: Db;
  events: RunEventBus;
  /** A run the caller has already checked the person may see. */
  runId: string;
  /** The request's signal: the stream closes when the browser goes away. */
  signal: AbortSignal;
  heartbeatMs?: number;
  maxStreams?: number;
}

/**
 * The SSE response for one run, or a 503 when this process already holds `maxStreams` streams (the
 * browser falls back to polling, and EventSource does not retry after a 503).
 */
export async function runEventStream(options: RunEventStreamOptions): Promise<Response> {
  const { db, events, runId, signal } = options;
  const maxStreams = options.maxStreams ?? LIMITS.http.runEventStreams;
  if (streams.open >= maxStreams) {
    return plainTextResponse(503, `This server is already streaming ${maxStreams} runs live; the run page checks for progress every few seconds instead.`, {
      'retry-after': String(LIMITS.http.runEventStreamRetrySeconds),
    });
  }
  streams.open += 1;

  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let live = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  const held: LiveRunEvent[] = [];

  const finish = () => {
    if (closed) return;
    closed = true;
    streams.open -= 1;
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
    signal.removeEventListener('abort', finish);
    try {
      controller.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  };
  const send = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  const pass = (message: RunStreamMessage) => {
    send(`data: ${JSON.stringify(message)}\n\n`);
    if (message.type === 'ended') finish();
  };

  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    // The reader went away (the browser closed the connection).
    cancel: finish,
  });

  let status: string | undefined;
  try {
    // Listen first, then read the status: nothing that happens in between is missed.
    unsubscribe = events.subscribe(runId, (event) => {
      if (live) return pass(event);
      held.push(event);
      if (held.length > BUFFERED_EVENTS) held.shift();
    });
    signal.addEventListener('abort', finish, { once: true });
    await waitAtMost(events.ready(runId), SUBSCRIBE_WAIT_MS);
    status = await runStatus(db, runId);
  } catch (error) {
    finish();
    throw error;
  }
  // Gone already (an abort before the listener was added does not fire it).
  if (signal.aborted) finish();

  send(`retry: ${RECONNECT_MS}\n`);
  pass({ type: 'status', status: status ?? 'missing', at: Date.now() });
  if (!status || !isRunActive(status)) {
    finish();
  } else {
    live = true;
    for (const event of held.splice(0)) pass(event);
  }
  if (!closed) {
    heartbeat = setInterval(() => {
      send(': keep-alive\n\n');
      runStatus(db, runId).then(
        (now) => {
          if (!now || !isRunActive(now)) pass({ type: 'ended', at: Date.now() });
        },
        () => {
          // The database did not answer this time; the next heartbeat asks again.
        },
      );
    }, options.heartbeatMs ?? HEARTBEAT_MS);
  }

  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: a compressing proxy (or Next's own compression) must not hold events back.
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}

