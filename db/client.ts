import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { appRoot, dataDir } from '../server/paths';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
/** The handle inside `db.transaction(...)`; query functions that may run inside one accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Opens (creating if needed) a database file and brings its schema up to date. */
export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: path.join(appRoot(), 'db', 'migrations') });
  return db;
}

const globalForDb = globalThis as unknown as { pipelabDb?: Db };

/** The app's one database, shared by the web server, its runs and the command line. */
export function getDb(): Db {
  globalForDb.pipelabDb ??= openDatabase(path.join(dataDir(), 'pipelab.sqlite'));
  return globalForDb.pipelabDb;
}
