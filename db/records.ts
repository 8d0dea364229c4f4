import type { Headline } from '../models/evaluation/metric-vocabulary';
import type { Graph } from '../nodes/graph-document';
import type { ColumnSummary, NodePreview } from '../nodes/preview';

/**
 * The records the database layer builds and returns: runs and their node results, pipelines and their
 * versions, datasets, run search. The API answers with them as they are; `server/api-types.ts` re-exports
 * them for the routers and the browser, which import them from there.
 */

/**
 * queued: waiting for the run worker; running: training; interrupted: the process running it stopped
 * (killed, machine restarted) before it finished.
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export type NodeStatus = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface NodeResultInfo {
  nodeId: string;
  status: NodeStatus;
  cached: boolean;
  durationMs: number | null;
  progress: number | null;
  message: string | null;
  error: string | null;
  preview: NodePreview | null;
  metrics: Record<string, number> | null;
}

export interface RunSummary {
  id: string;
  pipelineId: string | null;
  label: string;
  status: RunStatus;
  origin: 'ui' | 'cli';
  backend: string | null;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  headline: Headline | null;
  error: string | null;
  /** Who started the run; null for runs from before accounts existed. */
  startedBy: { id: string; name: string } | null;
}

export interface RunDetail extends RunSummary {
  graph: Graph;
  nodes: Record<string, NodeResultInfo>;
  /** The pipeline's latest saved version when the run started; null for unsaved graphs and older runs. */
  pipelineVersion: number | null;
  /** Which try this is (above 1 when a team worker died mid-run and another took the run over). */
  attempts: number;
}

export interface PipelineDetail {
  id: string;
  name: string;
  description: string;
  graph: Graph;
  createdAt: number;
  updatedAt: number;
}

export interface DatasetInfo {
  hash: string;
  name: string;
  sizeBytes: number;
  rowCount: number;
  delimiter: string;
  hasHeader: boolean;
  columns: ColumnSummary[];
  warnings: string[];
  createdAt: number;
}

export interface PipelineVersionSummary {
  pipelineId: string;
  /** 1, 2, 3 ... in the order they were saved. */
  version: number;
  name: string;
  description: string;
  /** What changed, as typed when saving; may be empty. */
  message: string;
  createdAt: number;
  nodeCount: number;
  edgeCount: number;
  /** Runs started while this was the pipeline's latest version. */
  runCount: number;
}

export interface PipelineVersionDetail extends PipelineVersionSummary {
  graph: Graph;
}

/** pipelines.save's answer: the pipeline, plus the version this save recorded. */
export interface SavedPipeline extends PipelineDetail {
  version: number;
}

/** Columns runs can be sorted by; any other `by` value is taken as a metric name (e.g. "rocAuc"). */
export type RunSortColumn = 'startedAt' | 'durationMs' | 'pipeline' | 'status' | 'label';

export interface RunSort {
  by: RunSortColumn | (string & {});
  /** Left out: newest / longest / A→Z first, and best first for a metric (lowest for mae and rmse). */
  direction?: 'asc' | 'desc';
}

export interface RunSearchFilters {
  pipelineId?: string;
  pipelineVersion?: number;
  status?: RunStatus[];
  origin?: 'ui' | 'cli';
  /** Case-insensitive part of the run's label. */
  text?: string;
  /** Runs that recorded this metric, optionally within [min, max]. */
  metric?: { name: string; min?: number; max?: number };
  /** Started at or after / at or before, epoch milliseconds. */
  from?: number;
  to?: number;
  /** Runs started by this person (user id). */
  startedBy?: string;
}

export interface RunSearchInput {
  /** 1-based. */
  page?: number;
  /** Default 50, at most 100. */
  pageSize?: number;
  /** Default: newest first. */
  sort?: RunSort;
  filters?: RunSearchFilters;
}

export interface RunSearchRow extends RunSummary {
  pipelineName: string | null;
  pipelineVersion: number | null;
  /** The run's recorded metrics: per name, the best value over its evaluate nodes. */
  metrics: Record<string, number>;
}

export interface RunSearchResult {
  rows: RunSearchRow[];
  /** Runs matching the filters, over all pages. */
  total: number;
  page: number;
  pageSize: number;
}

/**
 * What the Runs page's filters offer. Asked for once per visit, not with every search: finding them
 * reads every run of the workspace, which a page of results does not.
 */
export interface RunSearchChoices {
  /** Every metric some run recorded, in display order: the table's score columns and the filter's choices. */
  metricNames: string[];
  /** Saved pipelines by name, for the pipeline filter. */
  pipelines: { id: string; name: string }[];
  /** People who started runs in the workspace, for the person filter. */
  people: { id: string; name: string }[];
}

export interface MetricHistoryPoint {
  runId: string;
  startedAt: number;
  value: number;
  pipelineVersion: number | null;
}
