import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { saveEndpointMinute } from '../../db/endpoint-minutes';
import { countEndpointRequests } from '../../db/endpoints';
import { closedHoursEnd, rollUpClosedHours } from './hour-rollup';
import { emptyMinute, MINUTE_MS, type MinuteFigures } from './traffic-minute';

/**
 * Traffic is counted in memory per endpoint and minute, so the prediction path only adds to numbers;
 * the counts reach the database every few seconds and when the minute changes, one row per process.
 */
const FLUSH_EVERY_MS = 5_000;
/** This process's name on the rows it writes. */
const WRITER = randomUUID();

interface OpenMinute {
  endpointId: string;
  minute: number;
  figures: MinuteFigures;
  changed: boolean;
}

const open = new Map<string, OpenMinute>();
let database: Db | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let writing: Promise<void> = Promise.resolve();

function startFlushing(db: Db): void {
  database = db;
  timer ??= setInterval(() => void flushTraffic(), FLUSH_EVERY_MS);
  timer.unref?.();
}

/** The figures of the endpoint's current minute, to add a request to; starts the periodic flush. */
export function currentMinute(db: Db, endpointId: string, now = Date.now()): MinuteFigures {
  startFlushing(db);
  const minute = now - (now % MINUTE_MS);
  let entry = open.get(endpointId);
  if (entry && entry.minute !== minute) {
    queueWrite(entry);
    entry = undefined;
  }
  if (!entry) {
    entry = { endpointId, minute, figures: emptyMinute(), changed: true };
    open.set(endpointId, entry);
  }
  entry.changed = true;
  return entry.figures;
}

function queueWrite(entry: OpenMinute): void {
  entry.changed = false;
  // A copy, so that requests counted while it is written go into the next write rather than half into this one.
  const row = { endpointId: entry.endpointId, minute: entry.minute, writer: WRITER, ...structuredClone(entry.figures) };
  const db = database;
  if (!db) return;
  writing = writing
    .then(() => saveEndpointMinute(db, row))
    .catch((error: unknown) => console.error(`Prediction API traffic could not be saved: ${(error as Error).message}`));
}

/**
 * Answered requests per endpoint not yet added to its stored total (the endpoints page's "Requests served"):
 * added with the minutes' write, so an answer waits on no database write (an fsync on SQLite) of its own.
 */
const uncountedRequests = new Map<string, number>();

/** Counts an answered request towards the endpoint's total; stored with the next flush. */
export function countAnsweredRequest(db: Db, endpointId: string): void {
  startFlushing(db);
  uncountedRequests.set(endpointId, (uncountedRequests.get(endpointId) ?? 0) + 1);
}

function queueRequestCounts(db: Db): void {
  for (const [endpointId, requests] of uncountedRequests) {
    uncountedRequests.delete(endpointId);
    writing = writing
      .then(() => countEndpointRequests(db, endpointId, requests))
      .catch((error: unknown) => console.error(`Prediction API request counts could not be saved: ${(error as Error).message}`));
  }
}

/** Endpoints with traffic here whose hours are not all added up: when the last request came, and up to where they are. */
const toRollUp = new Map<string, { lastAt: number; rolledTo?: number }>();

/** Writes every minute with new counts and forgets minutes that are over; resolves once they are stored. */
export async function flushTraffic(now = Date.now()): Promise<void> {
  const minute = now - (now % MINUTE_MS);
  for (const [endpointId, entry] of open) {
    if (entry.changed) queueWrite(entry);
    if (entry.minute !== minute) open.delete(endpointId);
    const seen = toRollUp.get(endpointId);
    if (seen) seen.lastAt = Math.max(seen.lastAt, entry.minute);
    else toRollUp.set(endpointId, { lastAt: entry.minute });
  }
  // Once an hour with traffic is over, its minutes are added up off the request path, for the week and month charts.
  const db = database;
  if (db) queueRequestCounts(db);
  for (const [endpointId, state] of toRollUp) {
    if (!db || (state.rolledTo ?? -Infinity) >= closedHoursEnd(now)) continue;
    writing = writing
      .then(async () => {
        state.rolledTo = await rollUpClosedHours(db, endpointId, state.rolledTo, now);
        if (state.rolledTo > state.lastAt) toRollUp.delete(endpointId);
      })
      .catch((error: unknown) => console.error(`Prediction API traffic hours could not be added up: ${(error as Error).message}`));
  }
  await writing;
}
