import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { inTransaction, sqliteConnection, type Db } from './client';
import { tables } from './schema';

const { endpoints, endpointPredictionRequests, endpointOutcomes, endpointOutcomeMinutes } = tables;

export type PredictionRequestRow = typeof endpointPredictionRequests.$inferSelect;
export type OutcomeMinuteRow = typeof endpointOutcomeMinutes.$inferSelect;

/** One answered prediction, read back from its request by its id. */
export interface PredictionRow {
  predictionId: string;
  /** Minute the prediction was answered. */
  minute: number;
  predictedLabel: string | null;
  predictedValue: number | null;
  probability: number | null;
  actual: string | null;
  outcomeAt: number | null;
}

/**
 * A prediction id is a UUID in the version 7 layout whose first 32 characters are shared by the rows of one
 * request (the request id) and whose last 4 are the row's index in hex. Anything else names no stored prediction.
 */
const PREDICTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const REQUEST_ID_LENGTH = 32;
/** Rows one request id can name (4 hex digits). */
export const ROWS_PER_REQUEST_ID = 0x10000;

export function splitPredictionId(id: string): { requestId: string; row: number } | null {
  if (!PREDICTION_ID.test(id)) return null;
  return { requestId: id.slice(0, REQUEST_ID_LENGTH), row: parseInt(id.slice(REQUEST_ID_LENGTH), 16) };
}

/** Ids per statement: far below both dialects' limits on bound values, one round trip each. */
const ROWS_PER_STATEMENT = 500;

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stores answered requests, one row each. On SQLite through one prepared statement inside one transaction (a
 * savepoint when one is open already); on PostgreSQL a few hundred requests a statement.
 */
export async function savePredictions(db: Db, requests: PredictionRequestRow[]): Promise<void> {
  const sqlite = sqliteConnection(db);
  if (sqlite) return saveOnSqlite(sqlite, requests);
  for (const part of chunks(requests, 400)) await db.insert(endpointPredictionRequests).values(part);
}

const insertStatements = new WeakMap<Database.Database, Database.Statement>();

function saveOnSqlite(sqlite: Database.Database, requests: PredictionRequestRow[]): void {
  let insert = insertStatements.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare(
      'insert into endpoint_prediction_requests (endpoint_id, request_id, minute, first_row, row_count, labels, predicted_values, probabilities) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insertStatements.set(sqlite, insert);
  }
  const statement = insert;
  sqlite.transaction(() => {
    for (const r of requests) statement.run(r.endpointId, r.requestId, r.minute, r.firstRow, r.rowCount, r.labels, r.predictedValues, r.probabilities);
  })();
}

type Packed = { labels: (string | null)[] | null; values: (number | null)[] | null; probabilities: (number | null)[] | null };

function unpack(request: PredictionRequestRow): Packed {
  const list = <T>(text: string | null) => (text === null ? null : (JSON.parse(text) as (T | null)[]));
  return { labels: list<string>(request.labels), values: list<number>(request.predictedValues), probabilities: list<number>(request.probabilities) };
}

/** The stored predictions of an endpoint among `ids`, with their outcomes if posted (unknown ids are simply absent). */
export async function predictionsByIds(db: Db, endpointId: string, ids: string[]): Promise<PredictionRow[]> {
  const split = ids.map((id) => ({ id, parts: splitPredictionId(id) })).filter((s) => s.parts !== null);
  const requests = new Map<string, PredictionRequestRow>();
  for (const part of chunks([...new Set(split.map((s) => s.parts!.requestId))])) {
    const rows = await db
      .select()
      .from(endpointPredictionRequests)
      .where(and(eq(endpointPredictionRequests.endpointId, endpointId), inArray(endpointPredictionRequests.requestId, part)));
    for (const row of rows) requests.set(row.requestId, row);
  }
  const outcomes = new Map<string, { actual: string; outcomeAt: number }>();
  for (const part of chunks(split.filter((s) => requests.has(s.parts!.requestId)).map((s) => s.id))) {
    const rows = await db
      .select({ predictionId: endpointOutcomes.predictionId, actual: endpointOutcomes.actual, outcomeAt: endpointOutcomes.outcomeAt })
      .from(endpointOutcomes)
      .where(and(eq(endpointOutcomes.endpointId, endpointId), inArray(endpointOutcomes.predictionId, part)));
    for (const row of rows) outcomes.set(row.predictionId, row);
  }
  const unpacked = new Map<string, Packed>();
  const found: PredictionRow[] = [];
  for (const { id, parts } of split) {
    const request = requests.get(parts!.requestId);
    const row = request ? parts!.row - request.firstRow : -1;
    if (!request || row < 0 || row >= request.rowCount) continue;
    let packed = unpacked.get(request.requestId);
    if (!packed) unpacked.set(request.requestId, (packed = unpack(request)));
    const predictedLabel = packed.labels?.[row] ?? null;
    const predictedValue = packed.values?.[row] ?? null;
    // A row the model could not score was given no id.
    if (predictedLabel === null && predictedValue === null) continue;
    const outcome = outcomes.get(id);
    found.push({ predictionId: id, minute: request.minute, predictedLabel, predictedValue, probability: packed.probabilities?.[row] ?? null, actual: outcome?.actual ?? null, outcomeAt: outcome?.outcomeAt ?? null });
  }
  return found;
}

export interface ScoredOutcome {
  predictionId: string;
  actual: string;
  /** Minute the prediction was answered (the aggregate it counts in). */
  minute: number;
  correct: boolean;
  absoluteError: number;
}

/**
 * Writes outcomes and adds them to their minutes, in one transaction. The outcomes table's key refuses a
 * prediction that already has one (another request may have posted it since it was read): its id is not among
 * those returned as written, and it is not counted twice.
 */
export async function saveOutcomes(db: Db, endpointId: string, outcomes: ScoredOutcome[], now: number): Promise<{ written: Set<string> }> {
  return inTransaction(db, async (tx) => {
    const written = new Set<string>();
    for (const part of chunks(outcomes)) {
      const inserted = await tx
        .insert(endpointOutcomes)
        .values(part.map((o) => ({ endpointId, predictionId: o.predictionId, minute: o.minute, actual: o.actual, outcomeAt: now })))
        .onConflictDoNothing()
        .returning({ predictionId: endpointOutcomes.predictionId });
      for (const row of inserted) written.add(row.predictionId);
    }
    const byMinute = new Map<number, { outcomes: number; correct: number; absoluteErrorSum: number }>();
    for (const outcome of outcomes) {
      if (!written.has(outcome.predictionId)) continue;
      const total = byMinute.get(outcome.minute) ?? { outcomes: 0, correct: 0, absoluteErrorSum: 0 };
      total.outcomes++;
      total.correct += outcome.correct ? 1 : 0;
      total.absoluteErrorSum += outcome.absoluteError;
      byMinute.set(outcome.minute, total);
    }
    for (const [minute, total] of byMinute) {
      await tx
        .insert(endpointOutcomeMinutes)
        .values({ endpointId, minute, ...total })
        .onConflictDoUpdate({
          target: [endpointOutcomeMinutes.endpointId, endpointOutcomeMinutes.minute],
          set: {
            outcomes: sql`${endpointOutcomeMinutes.outcomes} + ${total.outcomes}`,
            correct: sql`${endpointOutcomeMinutes.correct} + ${total.correct}`,
            absoluteErrorSum: sql`${endpointOutcomeMinutes.absoluteErrorSum} + ${total.absoluteErrorSum}`,
          },
        });
    }
    return { written };
  });
}

/** An endpoint's outcome minutes from `since` to `until` (milliseconds), oldest first. */
export async function outcomeMinutesBetween(db: Db, endpointId: string, since: number, until: number): Promise<OutcomeMinuteRow[]> {
  return db
    .select()
    .from(endpointOutcomeMinutes)
    .where(and(eq(endpointOutcomeMinutes.endpointId, endpointId), gte(endpointOutcomeMinutes.minute, since), lte(endpointOutcomeMinutes.minute, until)))
    .orderBy(asc(endpointOutcomeMinutes.minute));
}

/**
 * Forgets every endpoint's predictions answered before `before`, with their outcomes (outcome minutes are kept),
 * one endpoint at a time so that each delete reads the (endpoint, minute) index instead of the whole table.
 */
export async function pruneOldPredictions(db: Db, before: number): Promise<void> {
  for (const { id } of await db.select({ id: endpoints.id }).from(endpoints)) await forgetUpTo(db, id, lt, before);
}

async function forgetUpTo(db: Db, endpointId: string, compare: typeof lt | typeof lte, minute: number): Promise<void> {
  await db.delete(endpointPredictionRequests).where(and(eq(endpointPredictionRequests.endpointId, endpointId), compare(endpointPredictionRequests.minute, minute)));
  await db.delete(endpointOutcomes).where(and(eq(endpointOutcomes.endpointId, endpointId), compare(endpointOutcomes.minute, minute)));
}

/** Forgets an endpoint's oldest predictions beyond its newest `keep` (whole minutes, so it may keep a few fewer). */
export async function prunePredictionsBeyond(db: Db, endpointId: string, keep: number): Promise<void> {
  // Rows per minute, newest first: at most one line per minute of the retention window (43,200).
  const perMinute = await db
    .select({ minute: endpointPredictionRequests.minute, rows: sql<number>`sum(${endpointPredictionRequests.rowCount})`.mapWith(Number) })
    .from(endpointPredictionRequests)
    .where(eq(endpointPredictionRequests.endpointId, endpointId))
    .groupBy(endpointPredictionRequests.minute)
    .orderBy(desc(endpointPredictionRequests.minute));
  let kept = 0;
  for (const { minute, rows } of perMinute) {
    kept += rows;
    if (kept > keep) return forgetUpTo(db, endpointId, lte, minute);
  }
}
