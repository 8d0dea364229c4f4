import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from './client';
import { databaseUrl } from './dialect';
import { user } from './schema';
import { insertWorkspace } from './workspaces';

/** Test databases made on PostgreSQL are named with this prefix, so the test run can drop them all. */
export const TEST_DATABASE_PREFIX = 'pipelab_test_';

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
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Drops the databases test files made on the PostgreSQL server (before and after a test run). */
export async function dropTestDatabases(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEST_DATABASE_PREFIX}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
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
