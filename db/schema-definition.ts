import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The column builders the schema is written with. Each dialect supplies its own (SQLite here, PostgreSQL in
 * schema-pg.ts), so the tables are described once and both dialects' migrations come from that description.
 * The query code is typed against the SQLite tables; the PostgreSQL kit builds tables with the same names,
 * columns and value types (whole numbers as bigint, times as timestamptz, JSON as json).
 */
export const sqliteKit = {
  table: sqliteTable,
  text,
  /** A whole number (counts, versions, and times in milliseconds since 1970). */
  integer: (name: string) => integer(name),
  real: (name: string) => real(name),
  json: (name: string) => text(name, { mode: 'json' }),
  boolean: (name: string) => integer(name, { mode: 'boolean' }),
  /** A Date (the authentication library's times). */
  timestamp: (name: string) => integer(name, { mode: 'timestamp_ms' }),
  /** A numeric primary key the database counts up. */
  autoId: (name: string) => integer(name).primaryKey({ autoIncrement: true }),
  index,
  uniqueIndex,
  primaryKey,
};

export type SchemaKit = typeof sqliteKit;

/** Every table of Pipelab, built with one dialect's column builders. */
export function defineSchema(k: SchemaKit) {
  /*
   * Tables of the authentication library (better-auth with its organization plugin), in the shape its
   * Drizzle adapter expects. A workspace is an "organization"; a person's role in it is a "member" row.
   */

  const user = k.table('user', {
    id: k.text('id').primaryKey(),
    name: k.text('name').notNull(),
    email: k.text('email').notNull().unique(),
    emailVerified: k.boolean('email_verified').notNull().default(false),
    image: k.text('image'),
    createdAt: k.timestamp('created_at').notNull(),
    updatedAt: k.timestamp('updated_at').notNull(),
  });

  const session = k.table(
    'session',
    {
      id: k.text('id').primaryKey(),
      expiresAt: k.timestamp('expires_at').notNull(),
      token: k.text('token').notNull().unique(),
      createdAt: k.timestamp('created_at').notNull(),
      updatedAt: k.timestamp('updated_at').notNull(),
      ipAddress: k.text('ip_address'),
      userAgent: k.text('user_agent'),
      userId: k.text('user_id')
        .notNull()
        .references(() => user.id, { onDelete: 'cascade' }),
      activeOrganizationId: k.text('active_organization_id'),
    },
    (table) => [k.index('session_user').on(table.userId)],
  );

  const account = k.table(
    'account',
    {
      id: k.text('id').primaryKey(),
      accountId: k.text('account_id').notNull(),
      providerId: k.text('provider_id').notNull(),
      userId: k.text('user_id')
        .notNull()
        .references(() => user.id, { onDelete: 'cascade' }),
      accessToken: k.text('access_token'),
      refreshToken: k.text('refresh_token'),
      idToken: k.text('id_token'),
      accessTokenExpiresAt: k.timestamp('access_token_expires_at'),
      refreshTokenExpiresAt: k.timestamp('refresh_token_expires_at'),
      scope: k.text('scope'),
      password: k.text('password'),
      createdAt: k.timestamp('created_at').notNull(),
      updatedAt: k.timestamp('updated_at').notNull(),
    },
    (table) => [k.index('account_user').on(table.userId)],
  );

  const verification = k.table(
    'verification',
    {
      id: k.text('id').primaryKey(),
      identifier: k.text('identifier').notNull(),
      value: k.text('value').notNull(),
      expiresAt: k.timestamp('expires_at').notNull(),
      createdAt: k.timestamp('created_at').notNull(),
      updatedAt: k.timestamp('updated_at').notNull(),
    },
    (table) => [k.index('verification_identifier').on(table.identifier)],
  );

  /** A workspace. */
  const organization = k.table('organization', {
    id: k.text('id').primaryKey(),
    name: k.text('name').notNull(),
    slug: k.text('slug').notNull().unique(),
    logo: k.text('logo'),
    metadata: k.text('metadata'),
    createdAt: k.timestamp('created_at').notNull(),
  });

  /** A person's role in a workspace: owner, editor or viewer. */
  const member = k.table(
    'member',
    {
      id: k.text('id').primaryKey(),
      organizationId: k.text('organization_id')
        .notNull()
        .references(() => organization.id, { onDelete: 'cascade' }),
      userId: k.text('user_id')
        .notNull()
        .references(() => user.id, { onDelete: 'cascade' }),
      role: k.text('role').notNull(),
      createdAt: k.timestamp('created_at').notNull(),
    },
    (table) => [k.uniqueIndex('member_workspace_user').on(table.organizationId, table.userId), k.index('member_user').on(table.userId)],
  );

  /** An invitation link: whoever signs in with the invited address joins with the role, until it expires or is revoked. */
  const invitation = k.table(
    'invitation',
    {
      id: k.text('id').primaryKey(),
      organizationId: k.text('organization_id')
        .notNull()
        .references(() => organization.id, { onDelete: 'cascade' }),
      email: k.text('email').notNull(),
      role: k.text('role'),
      teamId: k.text('team_id'),
      status: k.text('status').notNull().default('pending'),
      expiresAt: k.timestamp('expires_at').notNull(),
      createdAt: k.timestamp('created_at').notNull(),
      inviterId: k.text('inviter_id')
        .notNull()
        .references(() => user.id, { onDelete: 'cascade' }),
    },
    (table) => [k.index('invitation_workspace').on(table.organizationId), k.index('invitation_email').on(table.email)],
  );

  const rateLimit = k.table('rate_limit', {
    id: k.text('id').primaryKey(),
    key: k.text('key').notNull().unique(),
    count: k.integer('count').notNull(),
    lastRequest: k.integer('last_request').notNull(),
  });

  /**
   * The workspace a row belongs to. Null only for rows written before accounts existed (or by the command
   * line before the owner account was made): they move into the first workspace when its owner signs up.
   */
  const workspaceColumn = () => k.text('workspace_id').references(() => organization.id, { onDelete: 'cascade' });
  /** Who did it; kept (as null) when the account is deleted, so the record stays. */
  const personColumn = (name: string) => k.text(name).references(() => user.id, { onDelete: 'set null' });

  const pipelines = k.table('pipelines', {
    id: k.text('id').primaryKey(),
    name: k.text('name').notNull(),
    description: k.text('description').notNull().default(''),
    graph: k.json('graph').notNull(),
    createdAt: k.integer('created_at').notNull(),
    updatedAt: k.integer('updated_at').notNull(),
    workspaceId: workspaceColumn(),
  }, (table) => [k.index('pipelines_workspace_updated').on(table.workspaceId, table.updatedAt)]);

  const runs = k.table(
    'runs',
    {
      id: k.text('id').primaryKey(),
      pipelineId: k.text('pipeline_id').references(() => pipelines.id, { onDelete: 'set null' }),
      label: k.text('label').notNull(),
      origin: k.text('origin', { enum: ['ui', 'cli'] }).notNull(),
      status: k.text('status', { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] }).notNull(),
      graph: k.json('graph').notNull(),
      backend: k.text('backend'),
      startedAt: k.integer('started_at').notNull(),
      finishedAt: k.integer('finished_at'),
      durationMs: k.integer('duration_ms'),
      error: k.text('error'),
      headlineName: k.text('headline_name'),
      headlineValue: k.real('headline_value'),
      /** What the headline speaks of: the answer a yes/no model looks for, or the column a number model predicts. */
      headlineSubject: k.text('headline_subject'),
      /** The pipeline's latest saved version when the run started; null for runs of unsaved graphs and older runs. */
      pipelineVersion: k.integer('pipeline_version'),
      workspaceId: workspaceColumn(),
      startedBy: personColumn('started_by'),
      /** The process answering for a queued or running run ("host:pid"), and until when; a lapsed lease means it died. */
      leaseOwner: k.text('lease_owner'),
      leaseExpiresAt: k.integer('lease_expires_at'),
      /** Which try this is: a team worker that dies mid-run hands the run to another, up to a bounded number of tries. */
      attempts: k.integer('attempts').notNull().default(1),
    },
    (table) => [
      k.index('runs_status_lease').on(table.status, table.leaseExpiresAt),
      k.index('runs_workspace_started').on(table.workspaceId, table.startedAt),
      k.index('runs_started_by').on(table.startedBy, table.startedAt),
      k.index('runs_pipeline_started').on(table.pipelineId, table.startedAt),
      k.index('runs_started').on(table.startedAt),
      k.index('runs_status_started').on(table.status, table.startedAt),
      k.index('runs_pipeline_version_started').on(table.pipelineId, table.pipelineVersion, table.startedAt),
      k.index('runs_origin_started').on(table.origin, table.startedAt),
      k.index('runs_duration').on(table.durationMs),
    ],
  );

  const nodeResults = k.table(
    'node_results',
    {
      runId: k.text('run_id')
        .notNull()
        .references(() => runs.id, { onDelete: 'cascade' }),
      nodeId: k.text('node_id').notNull(),
      status: k.text('status', { enum: ['waiting', 'running', 'done', 'failed', 'cancelled', 'skipped'] }).notNull(),
      cached: k.boolean('cached').notNull().default(false),
      startedAt: k.integer('started_at'),
      durationMs: k.integer('duration_ms'),
      progress: k.real('progress'),
      message: k.text('message'),
      error: k.text('error'),
      preview: k.json('preview'),
      metrics: k.json('metrics'),
    },
    (table) => [k.primaryKey({ columns: [table.runId, table.nodeId] })],
  );

  const datasets = k.table('datasets', {
    hash: k.text('hash').primaryKey(),
    name: k.text('name').notNull(),
    sizeBytes: k.integer('size_bytes').notNull(),
    rowCount: k.integer('row_count').notNull(),
    delimiter: k.text('delimiter').notNull(),
    hasHeader: k.boolean('has_header').notNull(),
    columns: k.json('columns').notNull(),
    warnings: k.json('warnings').notNull(),
    createdAt: k.integer('created_at').notNull(),
  });

  /** Trained models published as HTTP prediction endpoints. Only a hash of each token is kept. */
  const endpoints = k.table('endpoints', {
    id: k.text('id').primaryKey(),
    name: k.text('name').notNull(),
    runId: k.text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: k.text('node_id').notNull(),
    modelHash: k.text('model_hash').notNull(),
    modelTitle: k.text('model_title').notNull(),
    tokenHash: k.text('token_hash').notNull(),
    createdAt: k.integer('created_at').notNull(),
    revokedAt: k.integer('revoked_at'),
    requestCount: k.integer('request_count').notNull().default(0),
    workspaceId: workspaceColumn(),
    createdBy: personColumn('created_by'),
    /** A profile of the rows the model learned from (bins and counts per column), to measure drift against. */
    trainingReference: k.json('training_reference'),
    /** Set for a model trained on photos: what photos it takes and the labels it answers (see nodes/lib/photo-scoring.ts). */
    photoInput: k.json('photo_input'),
  });

  /**
   * A published model's traffic, one row per endpoint, minute and server process (`writer`): each process
   * counts its minute in memory and rewrites its own row, so several processes never overwrite each other.
   */
  const endpointMinutes = k.table(
    'endpoint_minutes',
    {
      endpointId: k.text('endpoint_id')
        .notNull()
        .references(() => endpoints.id, { onDelete: 'cascade' }),
      /** Start of the minute, in milliseconds since 1970. */
      minute: k.integer('minute').notNull(),
      writer: k.text('writer').notNull(),
      requests: k.integer('requests').notNull(),
      refused: k.integer('refused').notNull(),
      rowsScored: k.integer('rows_scored').notNull(),
      /** Refusal reasons with their counts, the most frequent few. */
      refusals: k.json('refusals').notNull(),
      /** Request durations as counts on fixed logarithmic buckets. */
      latency: k.json('latency').notNull(),
      /** Scored values per column, and the predictions, counted on the training reference's bins. */
      columns: k.json('columns').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.endpointId, table.minute, table.writer] })],
  );

  /**
   * A closed hour of an endpoint's traffic, every process's minutes added up (same figures as a minute), so the
   * week and month charts read 24 rows a day rather than 1,440. Written once the hour is over, by the report.
   */
  const endpointHours = k.table(
    'endpoint_hours',
    {
      endpointId: k.text('endpoint_id')
        .notNull()
        .references(() => endpoints.id, { onDelete: 'cascade' }),
      /** Start of the hour, in milliseconds since 1970. */
      hour: k.integer('hour').notNull(),
      requests: k.integer('requests').notNull(),
      refused: k.integer('refused').notNull(),
      rowsScored: k.integer('rows_scored').notNull(),
      refusals: k.json('refusals').notNull(),
      latency: k.json('latency').notNull(),
      columns: k.json('columns').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.endpointId, table.hour] })],
  );

  /**
   * The answered rows of one prediction API request, stored as one row: the request's id (the shared first 32
   * characters of its rows' prediction ids; the last 4 are the row's index, in hex) and what each row predicted,
   * packed as JSON lists with null for a row the model could not score. One row per request rather than per
   * answered row keeps storing a 1,000-row answer to one insert (measured in docs/benchmarks.md). Bounded: requests
   * older than 30 days, and past the newest million predictions of an endpoint, are pruned (see
   * server/monitoring/prediction-log.ts).
   */
  const endpointPredictionRequests = k.table(
    'endpoint_prediction_requests',
    {
      endpointId: k.text('endpoint_id')
        .notNull()
        .references(() => endpoints.id, { onDelete: 'cascade' }),
      requestId: k.text('request_id').notNull(),
      /** Start of the minute it was answered, in milliseconds since 1970. */
      minute: k.integer('minute').notNull(),
      /** Index of the first row: 0, except for predictions stored one per row before (converted, one each). */
      firstRow: k.integer('first_row').notNull(),
      rowCount: k.integer('row_count').notNull(),
      /** A classifier's answers (the labels), a JSON list. */
      labels: k.text('labels'),
      /** A regressor's answers, a JSON list. */
      predictedValues: k.text('predicted_values'),
      /** A yes/no classifier's probabilities of its second class, a JSON list. */
      probabilities: k.text('probabilities'),
    },
    (table) => [k.primaryKey({ columns: [table.endpointId, table.requestId] }), k.index('endpoint_prediction_requests_minute').on(table.endpointId, table.minute)],
  );

  /**
   * The real outcome posted for one prediction, by its id; the key refuses a second one. `minute` is that of the
   * prediction, so outcomes are pruned with their requests.
   */
  const endpointOutcomes = k.table(
    'endpoint_outcomes',
    {
      endpointId: k.text('endpoint_id')
        .notNull()
        .references(() => endpoints.id, { onDelete: 'cascade' }),
      predictionId: k.text('prediction_id').notNull(),
      minute: k.integer('minute').notNull(),
      actual: k.text('actual').notNull(),
      outcomeAt: k.integer('outcome_at').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.endpointId, table.predictionId] }), k.index('endpoint_outcomes_minute').on(table.endpointId, table.minute)],
  );

  /**
   * Outcomes posted for an endpoint's predictions, added up by the minute the predictions were answered:
   * how many, how many right (classifiers), and the sum of absolute errors (regressors). Kept after the
   * predictions themselves are pruned, so live accuracy has the same history as traffic.
   */
  const endpointOutcomeMinutes = k.table(
    'endpoint_outcome_minutes',
    {
      endpointId: k.text('endpoint_id')
        .notNull()
        .references(() => endpoints.id, { onDelete: 'cascade' }),
      minute: k.integer('minute').notNull(),
      outcomes: k.integer('outcomes').notNull(),
      correct: k.integer('correct').notNull(),
      absoluteErrorSum: k.real('absolute_error_sum').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.endpointId, table.minute] })],
  );

  /** Every saved state of a pipeline's graph, numbered from 1. Rows are never changed once written. */
  const pipelineVersions = k.table(
    'pipeline_versions',
    {
      pipelineId: k.text('pipeline_id')
        .notNull()
        .references(() => pipelines.id, { onDelete: 'cascade' }),
      version: k.integer('version').notNull(),
      graph: k.json('graph').notNull(),
      name: k.text('name').notNull(),
      description: k.text('description').notNull().default(''),
      message: k.text('message').notNull().default(''),
      createdAt: k.integer('created_at').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.pipelineId, table.version] })],
  );

  /**
   * A finished run's metrics, one row per name (the best value over its evaluate nodes), so runs can be
   * filtered and sorted by a metric in SQL. The primary key also serves lookups by run.
   */
  const runMetrics = k.table(
    'run_metrics',
    {
      runId: k.text('run_id')
        .notNull()
        .references(() => runs.id, { onDelete: 'cascade' }),
      name: k.text('name').notNull(),
      value: k.real('value').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.runId, table.name] }), k.index('run_metrics_name_value').on(table.name, table.value)],
  );

  /** Read-only links to a pipeline's report; anyone with the token can open it until it is revoked. */
  const shareLinks = k.table(
    'share_links',
    {
      token: k.text('token').primaryKey(),
      pipelineId: k.text('pipeline_id')
        .notNull()
        .references(() => pipelines.id, { onDelete: 'cascade' }),
      createdAt: k.integer('created_at').notNull(),
      revokedAt: k.integer('revoked_at'),
      createdBy: personColumn('created_by'),
    },
    (table) => [k.index('share_links_pipeline').on(table.pipelineId, table.createdAt)],
  );

  /**
   * Which workspace may read which stored file (uploaded CSV, zip of photos, model file, or a file a run
   * produced). Files are kept once per content hash; this table is what makes them belong to workspaces.
   */
  const workspaceFiles = k.table(
    'workspace_files',
    {
      workspaceId: k.text('workspace_id')
        .notNull()
        .references(() => organization.id, { onDelete: 'cascade' }),
      hash: k.text('hash').notNull(),
      createdAt: k.integer('created_at').notNull(),
    },
    (table) => [k.primaryKey({ columns: [table.workspaceId, table.hash] })],
  );

  /** Who created, changed, ran, imported, shared, published or deleted what, and when. Rows are never changed. */
  const activity = k.table(
    'activity',
    {
      id: k.autoId('id'),
      workspaceId: k.text('workspace_id')
        .notNull()
        .references(() => organization.id, { onDelete: 'cascade' }),
      userId: personColumn('user_id'),
      /** The person's name when it happened, so the line still reads after the account is gone. */
      actorName: k.text('actor_name').notNull(),
      action: k.text('action').notNull(),
      subjectType: k.text('subject_type').notNull(),
      subjectId: k.text('subject_id'),
      subjectName: k.text('subject_name').notNull().default(''),
      detail: k.text('detail').notNull().default(''),
      at: k.integer('at').notNull(),
    },
    (table) => [k.index('activity_workspace_at').on(table.workspaceId, table.at), k.index('activity_user_at').on(table.userId, table.at)],
  );

  return { user, session, account, verification, organization, member, invitation, rateLimit, pipelines, runs, nodeResults, datasets, endpoints, endpointMinutes, endpointHours, endpointPredictionRequests, endpointOutcomes, endpointOutcomeMinutes, pipelineVersions, runMetrics, shareLinks, workspaceFiles, activity };
}
