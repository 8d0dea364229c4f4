import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const pipelines = sqliteTable('pipelines', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  graph: text('graph', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    pipelineId: text('pipeline_id').references(() => pipelines.id, { onDelete: 'set null' }),
    label: text('label').notNull(),
    origin: text('origin', { enum: ['ui', 'cli'] }).notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed', 'cancelled'] }).notNull(),
    graph: text('graph', { mode: 'json' }).notNull(),
    backend: text('backend'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    headlineName: text('headline_name'),
    headlineValue: real('headline_value'),
  },
  (table) => [index('runs_pipeline_started').on(table.pipelineId, table.startedAt), index('runs_started').on(table.startedAt)],
);

export const nodeResults = sqliteTable(
  'node_results',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    status: text('status', { enum: ['waiting', 'running', 'done', 'failed', 'cancelled', 'skipped'] }).notNull(),
    cached: integer('cached', { mode: 'boolean' }).notNull().default(false),
    startedAt: integer('started_at'),
    durationMs: integer('duration_ms'),
    progress: real('progress'),
    message: text('message'),
    error: text('error'),
    preview: text('preview', { mode: 'json' }),
    metrics: text('metrics', { mode: 'json' }),
  },
  (table) => [primaryKey({ columns: [table.runId, table.nodeId] })],
);

export const datasets = sqliteTable('datasets', {
  hash: text('hash').primaryKey(),
  name: text('name').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  rowCount: integer('row_count').notNull(),
  delimiter: text('delimiter').notNull(),
  hasHeader: integer('has_header', { mode: 'boolean' }).notNull(),
  columns: text('columns', { mode: 'json' }).notNull(),
  warnings: text('warnings', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Trained models published as HTTP prediction endpoints. Only a hash of each token is kept. */
export const endpoints = sqliteTable('endpoints', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  runId: text('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' }),
  nodeId: text('node_id').notNull(),
  modelHash: text('model_hash').notNull(),
  modelTitle: text('model_title').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
  requestCount: integer('request_count').notNull().default(0),
});
