import { databaseDialect } from './dialect';
import * as pgTables from './schema-pg';
import * as sqliteTables from './schema-sqlite';

/**
 * The tables of the database this process uses, chosen once by DATABASE_URL. Both sets come from one
 * description (schema-definition.ts); queries are written once, with what both dialects share. A query
 * module takes the tables it uses: `const { runs } = tables;`.
 */
export const tables: typeof sqliteTables =
  databaseDialect() === 'postgresql' ? (pgTables as unknown as typeof sqliteTables) : sqliteTables;

const { user, session, account, verification, organization, member, invitation, rateLimit } = tables;

/** The authentication library's tables, for its Drizzle adapter. */
export const authTables = { user, session, account, verification, organization, member, invitation, rateLimit };
