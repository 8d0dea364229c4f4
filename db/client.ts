import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { appRoot, dataDir } from '../nodes/lib/paths';
import { databaseUrl, type DatabaseDialect } from './dialect';
import { tables } from './schema';

/**
 * The database, as query code sees it: written once for SQLite and PostgreSQL, every query awaited.
 * The methods only one driver has (`.run()`, `.get()`, `.all()`, a synchronous `transaction`) are left
 * out; transactions go through `inTransaction`.
 */
export type Db = Omit<BaseSQLiteDatabase<'async', unknown, typeof tables>, 'transaction' | 'run' | 'all' | 'get' | 'values' | 'batch'>;
/** The handle inside `inTransaction(...)`; query functions that may run inside one accept either. */
export type Tx = Db;

interface Connection {
  dialect: DatabaseDialect;
  sqlite?: Database.Database;
  pool?: pg.Pool;
  /** SQLite: one transaction at a time on the process's one connection. */
  transactions: Promise<unknown>;
  /** The untyped driver object, for transactions and the authentication library's adapter. */
  driver: unknown;
}

/**
 * Kept on the handle itself under a registered symbol: the web server's bundles may each hold their own
 * copy of this module, and all of them must find the connection of the one shared handle.
 */
const CONNECTION = Symbol.for('pipelab.databaseConnection');

function attach(db: Db, connection: Connection): Db {
  Object.defineProperty(db, CONNECTION, { value: connection, enumerable: false });
  return db;
}

function connectionOf(db: Db): Connection {
  const connection = (db as unknown as Record<symbol, Connection | undefined>)[CONNECTION];
  if (!connection) throw new Error('This database handle was not opened with openDatabase.');
  return connection;
}

export function dialectOf(db: Db): DatabaseDialect {
  return connectionOf(db).dialect;
}

/** The Drizzle object itself, for libraries that take one (the authentication library's adapter). */
export function drizzleHandle(db: Db): unknown {
  return connectionOf(db).driver;
}

/** The SQLite connection under a handle (tests and maintenance); undefined on PostgreSQL. */
export function sqliteConnection(db: Db): Database.Database | undefined {
  return connectionOf(db).sqlite;
}

function openSqlite(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const driver = drizzleSqlite(sqlite, { schema: tables });
  migrateSqlite(driver, { migrationsFolder: path.join(appRoot(), 'db', 'migrations') });
  return attach(driver as unknown as Db, { dialect: 'sqlite', sqlite, transactions: Promise.resolve(), driver });
}

/** Any number that fits is read back as a JS number: bigint columns hold times in milliseconds and counts. */
function readInt8AsNumber({ types }: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) =>
      oid === types.builtins.INT8 ? (value: string) => Number(value) : types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** Several processes may start at once (web servers, workers): one migrates while the others wait. */
const MIGRATION_LOCK_KEY = 7_311_001;

async function openPostgres(url: string): Promise<Db> {
  // Loaded only for PostgreSQL (~15 MB of memory that a SQLite installation never needs).
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PIPELAB_DB_POOL ?? 10), types: readInt8AsNumber(pg) });
  // An idle connection dropped by the server must not take the process down.
  pool.on('error', (error) => console.warn(`PostgreSQL connection lost: ${error.message}`));
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder: path.join(appRoot(), 'db', 'migrations-pg') });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  const driver = drizzlePg(pool, { schema: tables });
  return attach(driver as unknown as Db, { dialect: 'postgresql', pool, transactions: Promise.resolve(), driver });
}

/**
 * Opens (creating if needed) a database and brings its schema up to date: a `postgres://` address, or
 * the path of a SQLite file.
 */
export async function openDatabase(target: string): Promise<Db> {
  return /^postgres(ql)?:\/\//.test(target) ? openPostgres(target) : openSqlite(target);
}

export async function closeDatabase(db: Db): Promise<void> {
  const connection = connectionOf(db);
  connection.sqlite?.close();
  await connection.pool?.end();
}

/**
 * Runs `work` in one transaction: all its writes land, or none. On SQLite the process has one connection,
 * so transactions take turns; `work` should only await queries, so nothing else runs in between.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const connection = connectionOf(db);
  if (connection.dialect === 'postgresql') {
    const driver = connection.driver as { transaction(work: (tx: unknown) => Promise<T>): Promise<T> };
    return driver.transaction((tx) => work(tx as Tx));
  }
  const sqlite = connection.sqlite!;
  const turn = connection.transactions.then(async () => {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(db);
      sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  });
  connection.transactions = turn.catch(() => undefined);
  return turn;
}

/** The target of this process's database: DATABASE_URL, or the SQLite file in the data directory. */
export function databaseTarget(): string {
  return databaseUrl() ?? path.join(dataDir(), 'pipelab.sqlite');
}

const globalForDb = globalThis as unknown as { pipelabDb?: Promise<Db> };

/** The app's one database, shared by the web server, its runs and the command line. */
export function getDb(): Promise<Db> {
  globalForDb.pipelabDb ??= openDatabase(databaseTarget()).catch((error: unknown) => {
    globalForDb.pipelabDb = undefined;
    throw error;
  });
  return globalForDb.pipelabDb;
}

/** The first row of a result, or undefined (a lookup by key). */
export function first<T>(rows: T[]): T | undefined {
  return rows[0];
}
