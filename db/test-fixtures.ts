import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from './client';
import { databaseUrl } from './dialect';
import { createDatabase, databasesNamed, dropDatabase } from './postgres-admin';
import { tables } from './schema';
import { insertWorkspace } from './workspaces';

const { user } = tables;

/**
 * Test databases made on PostgreSQL are named `pipelab_test_<run>_<random>`: a test run (see
 * test-setup-postgres.ts) drops its own at the end, and leftovers of runs that died hours ago, without
 * touching those of a run going on beside it.
 */
export const TEST_DATABASE_PREFIX = 'pipelab_test_';
const STALE_AFTER_MS = 6 * 3600_000;

/** The id of this test run: its start time in base 36, set by the global setup for the test processes. */
export function testRunId(): string {
  return (process.env.PIPELAB_TEST_RUN ??= Date.now().toString(36));
}

/**
 * A fresh, empty database for one test file: a SQLite file in a temporary folder, or, when DATABASE_URL
 * points at PostgreSQL, a new database on that server (the same suite then runs on both).
 */
export async function openTestDatabase(): Promise<Db> {
  return openDatabase(await createTestDatabase());
}

/** Where a fresh, empty test database is: a SQLite file path, or the address of a new PostgreSQL database. */
export async function createTestDatabase(): Promise<string> {
  const url = databaseUrl();
  if (!url) return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-db-')), 'test.sqlite');
  return createDatabase(url, `${TEST_DATABASE_PREFIX}${testRunId()}_${randomBytes(6).toString('hex')}`);
}

/** Drops the test databases of one run, or (with no run) those of runs that started long ago. */
export async function dropTestDatabases(url: string, run?: string): Promise<void> {
  for (const name of await databasesNamed(url, TEST_DATABASE_PREFIX)) {
    const owner = name.slice(TEST_DATABASE_PREFIX.length).split('_')[0];
    const stale = Date.now() - parseInt(owner, 36) > STALE_AFTER_MS;
    if (run ? owner === run : stale) await dropDatabase(url, name);
  }
}

/** A person owning a workspace, written straight to the tables (tests that need data in some workspace). */
export async function makeWorkspace(db: Db, name = 'Test workspace'): Promise<{ workspaceId: string; userId: string }> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const userId = `user-${suffix}`;
  const workspaceId = `ws-${suffix}`;
  const now = Date.now();
  await db
    .insert(user)
    .values({ id: userId, name: `Owner ${suffix}`, email: `${suffix}@example.test`, createdAt: new Date(now), updatedAt: new Date(now) });
  await insertWorkspace(db, { id: workspaceId, name, slug: workspaceId, ownerId: userId, now });
  return { workspaceId, userId };
}
