import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  json,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { defineSchema, type SchemaKit } from './schema-definition';

/**
 * The same builders for PostgreSQL. Times in milliseconds exceed a 32-bit integer, so whole numbers are
 * bigint read back as JS numbers; the authentication library's Dates are timestamptz to the millisecond.
 */
const pgKit = {
  table: pgTable,
  text,
  integer: (name: string) => bigint(name, { mode: 'number' }),
  real: (name: string) => doublePrecision(name),
  json: (name: string) => json(name),
  boolean: (name: string) => boolean(name),
  timestamp: (name: string) => timestamp(name, { mode: 'date', withTimezone: true, precision: 3 }),
  autoId: (name: string) => bigserial(name, { mode: 'number' }).primaryKey(),
  index,
  uniqueIndex,
  primaryKey,
} as unknown as SchemaKit;

/** The tables on PostgreSQL (team mode). drizzle.pg.config.ts generates db/migrations-pg from this file. */
export const {
  user,
  session,
  account,
  verification,
  organization,
  member,
  invitation,
  rateLimit,
  pipelines,
  runs,
  nodeResults,
  datasets,
  endpoints,
  endpointMinutes,
  endpointHours,
  endpointPredictionRequests,
  endpointOutcomes,
  endpointOutcomeMinutes,
  pipelineVersions,
  runMetrics,
  shareLinks,
  workspaceFiles,
  activity,
} = defineSchema(pgKit);
