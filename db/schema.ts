import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organization, user } from './auth-schema';

export * from './auth-schema';

/**
 * The workspace a row belongs to. Null only for rows written before accounts existed (or by the command
 * line before the owner account was made): they move into the first workspace when its owner signs up.
 */
const workspaceColumn = () => text('workspace_id').references(() => organization.id, { onDelete: 'cascade' });
/** Who did it; kept (as null) when the account is deleted, so the record stays. */
const personColumn = (name: string) => text(name).references(() => user.id, { onDelete: 'set null' });

export const pipelines = sqliteTable('pipelines', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  graph: text('graph', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  workspaceId: workspaceColumn(),
}, (table) => [index('pipelines_workspace_updated').on(table.workspaceId, table.updatedAt)]);

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    pipelineId: text('pipeline_id').references(() => pipelines.id, { onDelete: 'set null' }),
    label: text('label').notNull(),
    origin: text('origin', { enum: ['ui', 'cli'] }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] }).notNull(),
    graph: text('graph', { mode: 'json' }).notNull(),
    backend: text('backend'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    headlineName: text('headline_name'),
    headlineValue: real('headline_value'),
    /** The pipeline's latest saved version when the run started; null for runs of unsaved graphs and older runs. */
    pipelineVersion: integer('pipeline_version'),
    workspaceId: workspaceColumn(),
    startedBy: personColumn('started_by'),
    /** The process answering for a queued or running run ("host:pid"), and until when; a lapsed lease means it died. */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at'),
  },
  (table) => [
    index('runs_status_lease').on(table.status, table.leaseExpiresAt),
    index('runs_workspace_started').on(table.workspaceId, table.startedAt),
    index('runs_started_by').on(table.startedBy, table.startedAt),
    index('runs_pipeline_started').on(table.pipelineId, table.startedAt),
    index('runs_started').on(table.startedAt),
    index('runs_status_started').on(table.status, table.startedAt),
    index('runs_pipeline_version_started').on(table.pipelineId, table.pipelineVersion, table.startedAt),
    index('runs_origin_started').on(table.origin, table.startedAt),
    index('runs_duration').on(table.durationMs),
  ],
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
  workspaceId: workspaceColumn(),
  createdBy: personColumn('created_by'),
});

/** Every saved state of a pipeline's graph, numbered from 1. Rows are never changed once written. */
export const pipelineVersions = sqliteTable(
  'pipeline_versions',
  {
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    graph: text('graph', { mode: 'json' }).notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    message: text('message').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.pipelineId, table.version] })],
);

/**
 * A finished run's metrics, one row per name (the best value over its evaluate nodes), so runs can be
 * filtered and sorted by a metric in SQL. The primary key also serves lookups by run.
 */
export const runMetrics = sqliteTable(
  'run_metrics',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    value: real('value').notNull(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.name] }), index('run_metrics_name_value').on(table.name, table.value)],
);

/** Read-only links to a pipeline's report; anyone with the token can open it until it is revoked. */
export const shareLinks = sqliteTable(
  'share_links',
  {
    token: text('token').primaryKey(),
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
    createdBy: personColumn('created_by'),
  },
  (table) => [index('share_links_pipeline').on(table.pipelineId, table.createdAt)],
);

/**
 * Which workspace may read which stored file (uploaded CSV, zip of photos, model file, or a file a run
 * produced). Files are kept once per content hash; this table is what makes them belong to workspaces.
 */
export const workspaceFiles = sqliteTable(
  'workspace_files',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.workspaceId, table.hash] })],
);

/** Who created, changed, ran, imported, shared, published or deleted what, and when. Rows are never changed. */
export const activity = sqliteTable(
  'activity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    userId: personColumn('user_id'),
    /** The person's name when it happened, so the line still reads after the account is gone. */
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    subjectName: text('subject_name').notNull().default(''),
    detail: text('detail').notNull().default(''),
    at: integer('at').notNull(),
  },
  (table) => [index('activity_workspace_at').on(table.workspaceId, table.at), index('activity_user_at').on(table.userId, table.at)],
);
