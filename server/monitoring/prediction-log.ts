import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { pruneOldPredictions, prunePredictionsBeyond, savePredictions, type NewPredictionRow } from '../../db/endpoint-predictions';
import type { Column } from '../../models/frame';
import { MINUTE_MS } from './traffic-minute';

/**
 * Every answered row gets an id, kept with what it predicted so that its real outcome can be scored later.
 * The prediction path only pushes rows onto an in-memory list; they reach the database in batches (every
 * second, or sooner once a few thousand wait), never one round trip per row. Posting outcomes writes the
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

let pending: NewPredictionRow[] = [];
const endpointsSincePrune = new Set<string>();
let lastPrune = 0;
let database: Db | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let writing: Promise<void> = Promise.resolve();

/**
 * Ids for the answered rows of one request (null where the model gave no answer), queued to be stored with
 * the predicted label or value and, for a yes/no model, the probability of its second class.
 */
export function rememberPredictions(db: Db, endpointId: string, columns: Column[], rowCount: number, now = Date.now()): (string | null)[] {
  database = db;
  timer ??= setInterval(() => void flushPredictions(), FLUSH_EVERY_MS);
  timer.unref?.();
  const [predicted, ...probabilities] = columns;
  // Only a yes/no model has exactly one probability column (that of its second class).
  const probability = probabilities.length === 1 ? (probabilities[0].values as Float64Array) : undefined;
  const minute = now - (now % MINUTE_MS);
  const ids: (string | null)[] = new Array(rowCount);
  const idPrefix = timeOrderedPrefix(now);
  for (let row = 0; row < rowCount; row++) {
    const value = predicted.values[row];
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
      ids[row] = null;
      continue;
    }
    const predictionId = idPrefix + randomUUID().slice(15);
    ids[row] = predictionId;
    const chance = probability?.[row];
    pending.push({
      endpointId,
      predictionId,
      minute,
      predictedLabel: typeof value === 'string' ? value : null,
      predictedValue: typeof value === 'number' ? value : null,
      probability: chance !== undefined && Number.isFinite(chance) ? chance : null,
    });
  }
  endpointsSincePrune.add(endpointId);
  if (pending.length >= FLUSH_AT_ROWS) void flushPredictions(now);
  return ids;
}

/** Writes the queued predictions (and, once an hour, prunes old ones); resolves once they are stored. */
export async function flushPredictions(now = Date.now()): Promise<void> {
  const db = database;
  if (db && pending.length > 0) {
    const rows = pending;
    pending = [];
    writing = writing
      .then(() => savePredictions(db, rows))
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
