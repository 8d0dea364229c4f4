import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../nodes/lib/paths';
import { closeDatabase, openDatabase, type Db } from './client';
import { predictionsByIds, saveOutcomes } from './endpoint-predictions';
import { createTestDatabase } from './test-fixtures';

/**
 * Predictions stored one row each (before migration `prediction_requests`) are converted into one request row
 * each, and outcomes posted for them are kept: the same ids still resolve, and still refuse a second outcome.
 */
const LEGACY = [
  // [id, label, value, probability, actual, outcome at]
  ['0193a1b2-c3d4-7e5f-8a9b-0c1d2e3fbeef', 'yes', null, 0.75, null, null],
  ['0193a1b2-c3d4-7e5f-9c8d-7e6f5a4b0000', 'no', null, 0.25, 'yes', 120_000],
  ['0193a1b2-c3d4-7e5f-8a9b-aaaaaaaa1234', null, 12.5, null, null, null],
  ['not-a-uuid', 'no', null, null, null, null],
] as const;

/** A copy of a migrations folder whose journal stops before `tag`. */
function migrationsBefore(folder: string, tag: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-migrations-'));
  fs.cpSync(folder, copy, { recursive: true });
  const journalFile = path.join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return copy;
}

const ENDPOINT_COLUMNS = 'id, name, run_id, node_id, model_hash, model_title, token_hash, created_at';
const PREDICTION_COLUMNS = 'endpoint_id, prediction_id, minute, predicted_label, predicted_value, probability, actual, outcome_at';

async function legacyDatabase(): Promise<string> {
  const target = await createTestDatabase();
  const endpointRow = ['legacy', 'Legacy API', 'run-gone', 'model', 'hash', 'Logistic regression', 'token', 0];
  const predictionRows = LEGACY.map(([id, label, value, probability, actual, outcomeAt]) => ['legacy', id, 60_000, label, value, probability, actual, outcomeAt]);
  if (/^postgres/.test(target)) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await migratePg(drizzlePg(client), { migrationsFolder: migrationsBefore(path.join(appRoot(), 'db', 'migrations-pg'), 'prediction_requests') });
    // The endpoint's run is not needed here: foreign keys are not checked in this session.
    await client.query('SET session_replication_role = replica');
    await client.query(`INSERT INTO endpoints (${ENDPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, endpointRow);
    for (const row of predictionRows) await client.query(`INSERT INTO endpoint_predictions (${PREDICTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, row);
    await client.end();
  } else {
    const sqlite = new Database(target);
    migrateSqlite(drizzleSqlite(sqlite), { migrationsFolder: migrationsBefore(path.join(appRoot(), 'db', 'migrations'), 'prediction_requests') });
    sqlite.pragma('foreign_keys = OFF');
    sqlite.prepare(`INSERT INTO endpoints (${ENDPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(...endpointRow);
    for (const row of predictionRows) sqlite.prepare(`INSERT INTO endpoint_predictions (${PREDICTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(...row);
    sqlite.close();
  }
  return target;
}

let db: Db | undefined;
afterAll(async () => {
  if (db) await closeDatabase(db);
});

describe('converting predictions stored one per row', () => {
  it('keeps every id the API gave out, with what it predicted and any outcome posted for it', async () => {
    db = await openDatabase(await legacyDatabase());
    const found = await predictionsByIds(
      db,
      'legacy',
      LEGACY.map(([id]) => id),
    );
    expect(found.map((r) => [r.predictionId, r.minute, r.predictedLabel, r.predictedValue, r.probability, r.actual, r.outcomeAt])).toEqual([
      ['0193a1b2-c3d4-7e5f-8a9b-0c1d2e3fbeef', 60_000, 'yes', null, 0.75, null, null],
      ['0193a1b2-c3d4-7e5f-9c8d-7e6f5a4b0000', 60_000, 'no', null, 0.25, 'yes', 120_000],
      ['0193a1b2-c3d4-7e5f-8a9b-aaaaaaaa1234', 60_000, null, 12.5, null, null, null],
    ]);
    // The converted rows answer only their own index.
    expect(await predictionsByIds(db, 'legacy', ['0193a1b2-c3d4-7e5f-8a9b-0c1d2e3fbef0'])).toEqual([]);
    const outcome = (predictionId: string) => ({ predictionId, actual: 'no', minute: 60_000, correct: true, absoluteError: 0 });
    const { written } = await saveOutcomes(db, 'legacy', [outcome('0193a1b2-c3d4-7e5f-9c8d-7e6f5a4b0000'), outcome('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3fbeef')], 180_000);
    expect([...written]).toEqual(['0193a1b2-c3d4-7e5f-8a9b-0c1d2e3fbeef']);
  });
});
