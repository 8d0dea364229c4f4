import type { CatalogNode, DatasetInfo, RunDetail } from '../../server/api-types';
import type { ColumnSummary } from '../../nodes/preview';
import type { WireEnds } from './graph-doc';

export interface ColumnsContext {
  nodes: readonly { id: string; data: { type: string; params: Record<string, unknown> } }[];
  edges: readonly WireEnds[];
  run: RunDetail | null;
  datasets: readonly DatasetInfo[];
  specs: ReadonlyMap<string, CatalogNode>;
}

function unique(columns: ColumnSummary[]): ColumnSummary[] {
  const seen = new Set<string>();
  return columns.filter((column) => (seen.has(column.name) ? false : (seen.add(column.name), true)));
}

/** Columns of the uploaded file a node reads (a parameter with the 'dataset' widget). */
function datasetColumns(nodeId: string, ctx: ColumnsContext): ColumnSummary[] | null {
  const node = ctx.nodes.find((candidate) => candidate.id === nodeId);
  const spec = node && ctx.specs.get(node.data.type);
  if (!node || !spec) return null;
  for (const [name, schema] of Object.entries(spec.params.properties)) {
    if (schema.widget !== 'dataset') continue;
    const hash = node.data.params[name];
    const info = ctx.datasets.find((dataset) => dataset.hash === hash);
    if (info) return info.columns;
  }
  return null;
}

/** Columns of a node's output table as seen in the shown run. */
function previewColumns(nodeId: string, ctx: ColumnsContext): ColumnSummary[] | null {
  const preview = ctx.run?.nodes[nodeId]?.preview;
  if (preview?.kind === 'table') return preview.columns;
  if (preview?.kind === 'split') return preview.train.columns;
  return null;
}

function outputColumns(nodeId: string, ctx: ColumnsContext, seen: Set<string>): ColumnSummary[] {
  if (seen.has(nodeId)) return [];
  seen.add(nodeId);
  return previewColumns(nodeId, ctx) ?? datasetColumns(nodeId, ctx) ?? inputColumns(nodeId, ctx, seen);
}

function inputColumns(nodeId: string, ctx: ColumnsContext, seen: Set<string>): ColumnSummary[] {
  const sources = ctx.edges.filter((edge) => edge.target === nodeId).map((edge) => edge.source);
  return unique(sources.flatMap((source) => outputColumns(source, ctx, seen)));
}

/**
 * The columns a node's column pickers can offer: those of the table flowing into it (from the last
 * run, or from an uploaded file further up), or, for a data step, those of its own file or output.
 */
export function knownColumns(nodeId: string, ctx: ColumnsContext): ColumnSummary[] {
  const hasInputs = ctx.edges.some((edge) => edge.target === nodeId);
  if (hasInputs) return inputColumns(nodeId, ctx, new Set([nodeId]));
  return datasetColumns(nodeId, ctx) ?? previewColumns(nodeId, ctx) ?? [];
}
