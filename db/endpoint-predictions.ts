import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { dialectOf, inTransaction, sqliteConnection, type Db } from './client';
import { tables } from './schema';

const { endpoints, endpointPredictions, endpointOutcomeMinutes } = tables;

export type PredictionRow = typeof endpointPredictions.$inferSelect;
export type NewPredictionRow = Omit<PredictionRow, 'actual' | 'outcomeAt'>;
export type OutcomeMinuteRow = typeof endpointOutcomeMinutes.$inferSelect;

/**
 * Rows per statement: 6 values a row stays far below both dialects' limits on bound values
 * (SQLite 32,766, PostgreSQL 65,535) while keeping a statement to one round trip.
 */
const ROWS_PER_STATEMENT = 500;

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stores answered rows. On PostgreSQL, a thousand per statement, passed as one JSON parameter that the database unpacks:
 * building a statement with six bound values a row cost the prediction path about 80 µs a row (Drizzle's
 * query builder), the JSON text about 1 µs.
 */
export async function savePredictions(db: Db, rows: NewPredictionRow[]): Promise<void> {
  const sqlite = sqliteConnection(db);
  if (sqlite) return saveOnSqlite(sqlite, rows);
  for (const part of chunks(rows, 1_000)) {
    const json = JSON.stringify(part.map((r) => [r.endpointId, r.predictionId, r.minute, r.predictedLabel, r.predictedValue, r.probability]));
    const unpacked =
      dialectOf(db) === 'postgresql'
        ? sql`select x->>0, x->>1, (x->>2)::bigint, x->>3, (x->>4)::float8, (x->>5)::float8, null::text, null::bigint from json_array_elements(${json}::json) as x`
        : sql`select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, null, null from json_each(${json})`;
    await db.insert(endpointPredictions).select(unpacked);
  }
}

const insertStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * On SQLite the driver runs one prepared statement per row inside one transaction (a savepoint when one is
 * open already): no JSON to unpack per row, which made the statement about half the cost of the API's rows.
 */
function saveOnSqlite(sqlite: Database.Database, rows: NewPredictionRow[]): void {
  let insert = insertStatements.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare(
      'insert into endpoint_predictions (endpoint_id, prediction_id, minute, predicted_label, predicted_value, probability) values (?, ?, ?, ?, ?, ?)',
    );
    insertStatements.set(sqlite, insert);
  }
  const statement = insert;
  sqlite.transaction(() => {
    for (const r of rows) statement.run(r.endpointId, r.predictionId, r.minute, r.predictedLabel, r.predictedValue, r.probability);
  })();
}

/** The stored predictions of an endpoint among `ids` (unknown ids are simply absent). */
export async function predictionsByIds(db: Db, endpointId: string, ids: string[]): Promise<PredictionRow[]> {
  const found: PredictionRow[] = [];
  for (const part of chunks(ids)) {
    found.push(
      ...(await db
        .select()
        .from(endpointPredictions)
        .where(and(eq(endpointPredictions.endpointId, endpointId), inArray(endpointPredictions.predictionId, part)))),
    );
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
 * Writes outcomes and adds them to their minutes, in one transaction. A prediction that already has an
 * outcome is left alone (another request may have posted it since it was read): its id is returned among
 * the ones not written, and it is not counted twice.
 */
export async function saveOutcomes(db: Db, endpointId: string, outcomes: ScoredOutcome[], now: number): Promise<{ written: Set<string> }> {
  return inTransaction(db, async (tx) => {
    const written = new Set<string>();
    for (const part of chunks(outcomes, 300)) {
      const actualById = sql.join(
        part.map((o) => sql`when ${o.predictionId} then ${o.actual}`),
        sql` `,
      );
      const updated = await tx
        .update(endpointPredictions)
        .set({ actual: sql`case ${endpointPredictions.predictionId} ${actualById} end` as SQL<string>, outcomeAt: now })
        .where(
          and(
            eq(endpointPredictions.endpointId, endpointId),
            inArray(
              endpointPredictions.predictionId,
              part.map((o) => o.predictionId),
            ),
            isNull(endpointPredictions.outcomeAt),
          ),
        )
        .returning({ predictionId: endpointPredictions.predictionId });
      for (const row of updated) written.add(row.predictionId);
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
 * Forgets every endpoint's predictions answered before `before` (outcome minutes are kept), one endpoint at a
 * time so that each delete reads the (endpoint, minute) index instead of the whole table.
 */
export async function pruneOldPredictions(db: Db, before: number): Promise<void> {
  for (const { id } of await db.select({ id: endpoints.id }).from(endpoints)) {
    await db.delete(endpointPredictions).where(and(eq(endpointPredictions.endpointId, id), lt(endpointPredictions.minute, before)));
  }
}

/** Forgets an endpoint's oldest predictions beyond its newest `keep` (whole minutes, so it may keep a few fewer). */
export async function prunePredictionsBeyond(db: Db, endpointId: string, keep: number): Promise<void> {
  const [boundary] = await db
    .select({ minute: endpointPredictions.minute })
    .from(endpointPredictions)
    .where(eq(endpointPredictions.endpointId, endpointId))
    .orderBy(desc(endpointPredictions.minute))
    .limit(1)
    .offset(keep);
  if (!boundary) return;
  await db.delete(endpointPredictions).where(and(eq(endpointPredictions.endpointId, endpointId), lte(endpointPredictions.minute, boundary.minute)));
}
