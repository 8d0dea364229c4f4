import type { DatasetInfo, PipelineDetail, PipelineVersionSummary, RunSearchRow, RunStatus, RunSummary, SavedPipeline } from '../db/records';
import type { NodeCategory, PortSpec, PortType } from '../nodes/define';
import type { Graph } from '../nodes/graph-document';

/**
 * Shapes the API returns; the browser imports these as types only. The records the database builds
 * (runs, pipelines, versions, datasets, run search) are declared in db/records.ts, a graph's problems in
 * nodes/graph-document.ts and a metric headline in models/evaluation/metric-vocabulary.ts; they are re-exported
 * here so the routers and the browser import every API shape from this one file.
 */
export type {
  RunStatus,
  NodeStatus,
  NodeResultInfo,
  RunSummary,
  RunDetail,
  PipelineDetail,
  SavedPipeline,
  PipelineVersionSummary,
  PipelineVersionDetail,
  DatasetInfo,
  RunSortColumn,
  RunSort,
  RunSearchFilters,
  RunSearchInput,
  RunSearchRow,
  RunSearchResult,
  RunSearchChoices,
  MetricHistoryPoint,
} from '../db/records';
export type { GraphProblem } from '../nodes/graph-document';
export type { Headline } from '../models/evaluation/metric-vocabulary';

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
  /** Show the field only while other settings have these values, e.g. { source: 'upload' }; a list allows any of its values. */
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

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  graph: Graph;
}

/** Whether a run may still change (its page keeps polling). */
export function isRunActive(status: RunStatus | string): boolean {
  return status === 'queued' || status === 'running';
}

export interface PipelineSummary {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  lastRun: RunSummary | null;
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

/** The name the API description uses for a version list entry. */
export type PipelineVersionInfo = PipelineVersionSummary;

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

export type ComparedRun = RunSearchRow;

export interface ComparedParam {
  nodeId: string;
  nodeTitle: string;
  param: string;
  /** The setting as the form names it ("Curve flexibility (polynomial degree)"); the key when the catalog lacks it. */
  paramTitle: string;
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
