import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import {
  pruneOldPredictions,
  prunePredictionsBeyond,
  REQUEST_ID_LENGTH,
  ROWS_PER_REQUEST_ID,
  savePredictions,
  type PredictionRequestRow,
} from '../../db/endpoint-predictions';
import type { Column } from '../../models/frame';
import { MINUTE_MS } from './traffic-minute';

/**
 * Every answered row gets an id, kept with what it predicted so that its real outcome can be scored later.
 * The prediction path only pushes each request onto an in-memory list; they reach the database in batches (every
 * second, or sooner once a few thousand rows wait), one row per request, never one round trip per request. Posting outcomes writes the
 * list first, so an id can be scored as soon as its answer is out (from another server process of a team
 * setup, about a second later).
 */
const FLUSH_EVERY_MS = 1_000;
const FLUSH_AT_ROWS = 5_000;

/** How long ids are kept: outcomes for older predictions are refused as unknown. */
export const PREDICTION_RETENTION_MS = 30 * 24 * 60 * MINUTE_MS;
/** The most predictions kept per endpoint; beyond it the oldest are pruned first. */
export const PREDICTIONS_KEPT_PER_ENDPOINT = 1_000_000;
/** Pruning runs at most this often per process, off the prediction path. */
const PRUNE_EVERY_MS = 60 * MINUTE_MS;

/**
 * A UUID in the version 7 layout: the time in milliseconds first, then random bits (those of a version 4 UUID).
 * Ids that grow with time are added at the end of the table's index instead of at random places in it, which
 * keeps storing them about three times cheaper once an endpoint holds many (measured in docs/benchmarks.md).
 */
export function timeOrderedId(now = Date.now()): string {
  return timeOrderedPrefix(now) + randomUUID().slice(15);
}

/** The time part of the ids, up to and including the version digit: the same for all the rows of one request. */
function timeOrderedPrefix(now: number): string {
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
}

/** One answered request waiting to be stored: its columns are packed when the queue is written. */
interface PendingRequest {
  endpointId: string;
  requestId: string;
  minute: number;
  rowCount: number;
  predicted: Column;
  probability: Float64Array | undefined;
}

let pending: PendingRequest[] = [];
let pendingRows = 0;
const endpointsSincePrune = new Set<string>();
let lastPrune = 0;
let database: Db | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let writing: Promise<void> = Promise.resolve();

const isAnswer = (value: unknown) => value !== null && !(typeof value === 'number' && Number.isNaN(value));

/**
 * Ids for the answered rows of one request (null where the model gave no answer): the request's id (a version 7
 * UUID less its last 4 characters) followed by the row's index in hex. The request is queued to be stored as one
 * row with the predicted labels (or values) and, for a yes/no model, the probabilities of its second class.
 */
export function rememberPredictions(db: Db, endpointId: string, columns: Column[], rowCount: number, now = Date.now()): (string | null)[] {
  if (rowCount > ROWS_PER_REQUEST_ID) throw new Error(`A request of ${rowCount} rows cannot be given prediction ids (at most ${ROWS_PER_REQUEST_ID}).`);
  database = db;
  timer ??= setInterval(() => void flushPredictions(), FLUSH_EVERY_MS);
  timer.unref?.();
  const [predicted, ...probabilities] = columns;
  const requestId = timeOrderedId(now).slice(0, REQUEST_ID_LENGTH);
  const ids: (string | null)[] = new Array(rowCount);
  for (let row = 0; row < rowCount; row++) ids[row] = isAnswer(predicted.values[row]) ? requestId + ROW_HEX[row] : null;
  pending.push({
    endpointId,
    requestId,
    minute: now - (now % MINUTE_MS),
    rowCount,
    predicted,
    // Only a yes/no model has exactly one probability column (that of its second class).
    probability: probabilities.length === 1 ? (probabilities[0].values as Float64Array) : undefined,
  });
  pendingRows += rowCount;
  endpointsSincePrune.add(endpointId);
  if (pendingRows >= FLUSH_AT_ROWS) void flushPredictions(now);
  return ids;
}

/** The 4 hex digits of every row index, made once (65,536 short strings). */
const ROW_HEX = Array.from({ length: ROWS_PER_REQUEST_ID }, (_, row) => row.toString(16).padStart(4, '0'));

/** A request's answers as the stored row: JSON lists, null where a row has no answer or no probability. */
function packed(request: PendingRequest): PredictionRequestRow {
  const { predicted, probability, rowCount } = request;
  const labels = predicted.type === 'category' ? predicted.values.slice(0, rowCount) : null;
  const values = predicted.type === 'number' ? Array.from(predicted.values.subarray(0, rowCount)) : null;
  // JSON writes NaN and infinities as null.
  const list = (items: unknown[] | null) => (items ? JSON.stringify(items) : null);
  return {
    endpointId: request.endpointId,
    requestId: request.requestId,
    minute: request.minute,
    firstRow: 0,
    rowCount,
    labels: list(labels),
    predictedValues: list(values),
    probabilities: probability ? list(Array.from(probability.subarray(0, rowCount))) : null,
  };
}

/** Writes the queued predictions (and, once an hour, prunes old ones); resolves once they are stored. */
export async function flushPredictions(now = Date.now()): Promise<void> {
  const db = database;
  if (db && pending.length > 0) {
    const requests = pending;
    pending = [];
    pendingRows = 0;
    writing = writing
      .then(() => savePredictions(db, requests.map(packed)))
      .catch((error: unknown) => console.error(`Prediction ids could not be saved: ${(error as Error).message}`));
  }
  if (db && now - lastPrune >= PRUNE_EVERY_MS) {
    lastPrune = now;
    const endpoints = [...endpointsSincePrune];
    endpointsSincePrune.clear();
    writing = writing
      .then(() => prunePredictions(db, endpoints, now))
      .catch((error: unknown) => console.error(`Old prediction ids could not be pruned: ${(error as Error).message}`));
  }
  await writing;
}

/** Drops ids past the retention window, then those of busy endpoints beyond the per-endpoint cap. */
export async function prunePredictions(db: Db, endpointIds: string[], now = Date.now()): Promise<void> {
  await pruneOldPredictions(db, now - PREDICTION_RETENTION_MS);
  for (const endpointId of endpointIds) await prunePredictionsBeyond(db, endpointId, PREDICTIONS_KEPT_PER_ENDPOINT);
}
