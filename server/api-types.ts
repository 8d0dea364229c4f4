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
  /** UI hint: 'column' (one column of the incoming table), 'columns' (several), 'dataset' (a CSV upload), 'model' (a model file upload). */
  widget?: 'column' | 'columns' | 'dataset' | 'model';
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

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
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
}

export interface RunDetail extends RunSummary {
  graph: Graph;
  nodes: Record<string, NodeResultInfo>;
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
