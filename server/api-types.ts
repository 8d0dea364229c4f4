import type { NodeCategory, PortSpec, PortType } from '../nodes/define';
import type { ColumnSummary, NodePreview } from '../nodes/preview';
import type { Graph } from './engine/graph';

/** Shapes the API returns; the browser imports these as types only. */

export interface ParamJsonSchema {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: ParamJsonSchema;
  /** UI hint: 'column' (one column of the incoming table), 'columns' (several), 'dataset' (a CSV upload), 'model' (a model file upload), 'imageArchive' (a zip of photos). */
  widget?: 'column' | 'columns' | 'dataset' | 'model' | 'imageArchive';
  /** Show the field only while other settings have these values, e.g. { source: 'upload' }. */
  showWhen?: Record<string, unknown>;
  /** Labels for enum values, same order as `enum`. */
  enumLabels?: string[];
  [key: string]: unknown;
}

export interface CatalogNode {
  type: string;
  version: number;
  title: string;
  category: NodeCategory;
  help: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: { properties: Record<string, ParamJsonSchema>; required?: string[] };
  defaults: Record<string, unknown>;
}

export interface Catalog {
  nodes: CatalogNode[];
  portTypes: Record<PortType, string>;
}

export interface GraphProblem {
  nodeId?: string;
  edgeId?: string;
  message: string;
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  graph: Graph;
}

/**
 * queued: waiting for the run worker; running: training; interrupted: the process running it stopped
 * (killed, machine restarted) before it finished.
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** Whether a run may still change (its page keeps polling). */
export function isRunActive(status: RunStatus | string): boolean {
  return status === 'queued' || status === 'running';
}
export type NodeStatus = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface Headline {
  name: string;
  value: number;
}

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

export interface PipelineSummary {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  lastRun: RunSummary | null;
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

/** What POST /api/uploads/imageArchive answers: the zip's photos counted per label. */
export interface ImageArchiveInfo {
  hash: string;
  name: string;
  sizeBytes: number;
  count: number;
  classes: { label: string; count: number }[];
  warnings: string[];
}

/** What POST /api/uploads/model answers: what the checked model file predicts, from which columns. */
export interface ModelFileInfo {
  hash: string;
  fileName: string;
  title: string;
  task: string;
  target: string;
  features: string[];
}

/** The answer of POST /api/uploads/<kind>, per kind. */
export interface UploadAnswers {
  dataset: DatasetInfo;
  imageArchive: ImageArchiveInfo;
  model: ModelFileInfo;
}

/* ---- Versions, search, comparison, sharing ---- */

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

/** The name the API description uses for a version list entry. */
export type PipelineVersionInfo = PipelineVersionSummary;

export interface PipelineVersionDetail extends PipelineVersionSummary {
  graph: Graph;
}

/** pipelines.save's answer: the pipeline, plus the version this save recorded. */
export interface SavedPipeline extends PipelineDetail {
  version: number;
}

export interface ParamChange {
  name: string;
  /** undefined when the parameter was not set on that side. */
  from?: unknown;
  to?: unknown;
}

export interface DiffNodeRef {
  id: string;
  type: string;
  title: string;
}

export interface ChangedNode extends DiffNodeRef {
  /** Set when the node's type or type version changed under the same id. */
  typeChange?: { from: string; to: string };
  versionChange?: { from: number; to: number };
  params: ParamChange[];
}

export interface DiffEdgeRef {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** What changed between two graphs, grouped by kind of change. */
export interface GraphChanges {
  nodes: { added: DiffNodeRef[]; removed: DiffNodeRef[]; changed: ChangedNode[]; moved: string[]; unchanged: number };
  /** Wires are matched by what they join (source, output, target, input), not by id. */
  edges: { added: DiffEdgeRef[]; removed: DiffEdgeRef[] };
  /** True when the two graphs run the same (only positions may differ). */
  same: boolean;
}

/** What changed between two graphs, one entry per node and per added or removed wire. */
export interface GraphDiff {
  /** Every node of either graph, in the newer graph's order, then the removed ones. */
  nodes: {
    nodeId: string;
    title: string;
    change: 'added' | 'removed' | 'changed' | 'same';
    /** For changed nodes: the settings that differ (null where not set). */
    params?: { param: string; from: unknown; to: unknown }[];
  }[];
  edges: { edgeId: string; change: 'added' | 'removed' }[];
}

/** pipelines.diffVersions: the GraphDiff, plus the two versions and the changes grouped by kind. */
export interface VersionDiff extends GraphDiff {
  pipelineId: string;
  from: PipelineVersionSummary;
  to: PipelineVersionSummary;
  diff: GraphChanges;
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

export type ComparedRun = RunSearchRow;

export interface ComparedParam {
  nodeId: string;
  nodeTitle: string;
  param: string;
  /** One per run, in the order of `runs`; null where the run has no such node or setting. Node defaults are filled in. */
  values: unknown[];
  /** False when every run has the same value. */
  differs: boolean;
}

/** How a node of the runs differs from run #1 (the reference). */
export type NodeChange = 'added' | 'removed' | 'changed' | 'same';

export interface GraphChange {
  nodeId: string;
  nodeTitle: string;
  /** added: not in run #1 but in a later run; removed: in run #1 but missing from a later run; changed: other settings or type. */
  change: NodeChange;
  /** One per run: whether it has this node. */
  inRuns: boolean[];
}

export interface EdgeChange {
  /** Run #1's id for a removed wire; for an added one, its id in the first run that has it. */
  edgeId: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
  change: 'added' | 'removed';
  inRuns: boolean[];
}

export interface ComparedRoc {
  runIndex: number;
  nodeId: string;
  /** The evaluate node's best model, e.g. "Logistic regression (model)". */
  model: string;
  fpr: number[];
  tpr: number[];
}

export interface ComparedConfusion {
  runIndex: number;
  nodeId: string;
  model: string;
  classes: string[];
  /** matrix[i][j]: test rows of actual class i predicted as class j. */
  matrix: number[][];
}

export interface RunComparison {
  /** In the order asked for; run #1 is the reference. */
  runs: ComparedRun[];
  metricNames: string[];
  /** Per metric, the index in `runs` of the best value (lowest for mae and rmse); ties go to the earlier run. */
  best: Record<string, number>;
  /** Every setting of every node, with `differs` set where the runs disagree. */
  parameters: ComparedParam[];
  /** Run #1's graph, drawn with the changes. */
  baseGraph: Graph;
  /** Every node of any run, in first-seen order, compared with run #1. */
  graphChanges: GraphChange[];
  edgeChanges: EdgeChange[];
  /** The best model of each evaluate node that drew one. */
  rocCurves: ComparedRoc[];
  confusions: ComparedConfusion[];
}

export interface MetricHistoryPoint {
  runId: string;
  startedAt: number;
  value: number;
  pipelineVersion: number | null;
}

export type PipelineFileKind = 'dataset' | 'model' | 'imageArchive';

/** The file `pipelines.export` produces and `pipelines.import` reads. */
export interface PipelineExportFile {
  format: 'pipelab-pipeline';
  formatVersion: number;
  name: string;
  description: string;
  /** ISO 8601, e.g. "2026-11-25T09:30:00.000Z". */
  exportedAt: string;
  graph: Graph;
  /** Uploaded CSV files the graph reads, by content hash and name (never by path). */
  datasets: { hash: string; name: string; sizeBytes: number; rowCount: number }[];
  /** With bundleDatasets: the referenced files' bytes (CSV files, and trained model files), base64, by hash. */
  bundle?: Record<string, string>;
}

/** pipelines.export's answer: a file to save. */
export interface ExportedPipelineFile {
  fileName: string;
  text: string;
}

export interface ImportCheck {
  ok: boolean;
  /** Reasons the file cannot be imported; empty when ok. */
  errors: string[];
  /** Things to know that do not stop the import (unknown node types, files not stored here). */
  warnings: string[];
  name: string | null;
  description: string;
  graph: Graph | null;
  /** Files the graph refers to; `attached` when the file came inside the export. */
  files: { kind: PipelineFileKind; hash: string; name: string | null; attached: boolean }[];
}

export interface ImportResult {
  pipeline: SavedPipeline;
  warnings: string[];
}

export interface ShareLinkInfo {
  token: string;
  pipelineId: string;
  /** Path of the read-only page in the app: /share/<token>. */
  url: string;
  /** Path of the same as one self-contained HTML page: /api/report/shared/<token>. */
  reportUrl: string;
  createdAt: number;
  revokedAt: number | null;
  /** Who made the link; null for links from before accounts existed. */
  createdBy: string | null;
}

/** shares.get: what a read-only link shows. */
export interface SharedPipeline {
  /** The pipeline at its latest saved version. */
  pipeline: Omit<PipelineDetail, 'id'> & { version: number | null };
  /** Its runs, newest first (up to 50). */
  runs: RunSummary[];
}
