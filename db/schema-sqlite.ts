import { defineSchema, sqliteKit } from './schema-definition';

/** The tables on SQLite (the embedded default). drizzle.config.ts generates db/migrations from this file. */
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
} = defineSchema(sqliteKit);
