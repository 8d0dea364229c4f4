import type {
  ComparedConfusion,
  ComparedParam,
  ComparedRoc,
  ComparedRun,
  EdgeChange,
  GraphChange,
  RunComparison,
} from '../api-types';
import { emptyGraph, type Graph, type GraphEdge, type GraphNode } from '../../nodes/graph-document';
import type { EvaluationPreview } from '../../nodes/preview';
import { canonicalJson } from '../engine/cache';
import { effectiveParams, emptyLookup, titleOf, type NodeLookup } from './lookup';
import { nodeDisplayNames } from '../../nodes/node-names';
import { bestIndex, sortMetricNames } from '../../models/evaluation/metric-vocabulary';

export interface RunToCompare {
  run: ComparedRun;
  graph: Graph;
  /** The run's evaluate nodes' results, in graph order. */
  evaluations: { nodeId: string; preview: EvaluationPreview }[];
}

const edgeKey = (edge: GraphEdge) => JSON.stringify([edge.source, edge.sourceHandle, edge.target, edge.targetHandle]);

/** The model an evaluate node ranked first on its first metric: the one whose metrics the run records. */
export function leadingModel(preview: EvaluationPreview) {
  const first = preview.metricNames[0];
  return preview.models[first !== undefined ? (preview.best[first] ?? 0) : 0];
}

/**
 * Lines runs up side by side against run #1: every setting (defaults filled in) with the differing ones
 * flagged, which nodes and wires were added, removed or changed, each metric with the best run marked
 * (lowest for error metrics), and the best model's ROC curve and confusion matrix of each evaluate node.
 */
export function compareRuns(items: RunToCompare[], lookup: NodeLookup = emptyLookup): RunComparison {
  const nodeOrder: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    for (const node of item.graph.nodes) {
      if (!seen.has(node.id)) nodeOrder.push(node.id);
      seen.add(node.id);
    }
  }
  const nodesByRun = items.map((item) => new Map(item.graph.nodes.map((node) => [node.id, node])));
  const firstSeen = nodeOrder.map((nodeId) => nodesByRun.map((byId) => byId.get(nodeId)).find((node) => node !== undefined)!);
  const titles = nodeDisplayNames({ nodes: firstSeen }, (type) => titleOf(lookup, type));

  const parameters: ComparedParam[] = [];
  const graphChanges: GraphChange[] = [];
  for (const nodeId of nodeOrder) {
    const present: (GraphNode | null)[] = nodesByRun.map((byId) => byId.get(nodeId) ?? null);
    const firstType = present.find((node) => node !== null)!.type;
    const nodeTitle = titles.get(nodeId)!;
    const values = present.map((node) => (node ? effectiveParams(lookup, node.type, node.params) : null));
    const names = [...new Set(values.flatMap((v) => (v ? Object.keys(v) : [])))];
    let settingsDiffer = false;
    for (const param of names) {
      const row = values.map((v) => (v && v[param] !== undefined ? v[param] : null));
      const differs = new Set(row.map((value) => canonicalJson(value))).size > 1;
      settingsDiffer ||= differs;
      const paramTitle = lookup(firstType)?.params[param]?.title ?? param;
      parameters.push({ nodeId, nodeTitle, param, paramTitle, values: row, differs });
    }
    const inRuns = present.map((node) => node !== null);
    const typeDiffers = present.some((node) => node !== null && node.type !== firstType);
    let change: GraphChange['change'] = 'same';
    if (!inRuns[0]) change = 'added';
    else if (inRuns.some((has) => !has)) change = 'removed';
    else if (typeDiffers || settingsDiffer) change = 'changed';
    graphChanges.push({ nodeId, nodeTitle, change, inRuns });
  }

  const edgeSets = items.map((item) => new Set(item.graph.edges.map(edgeKey)));
  const edgeChanges: EdgeChange[] = [];
  const edgesSeen = new Set<string>();
  items.forEach((item, runIndex) => {
    for (const edge of item.graph.edges) {
      const key = edgeKey(edge);
      if (edgesSeen.has(key)) continue;
      edgesSeen.add(key);
      const inRuns = edgeSets.map((set) => set.has(key));
      const change = runIndex === 0 ? (inRuns.every(Boolean) ? null : 'removed') : 'added';
      if (!change) continue;
      const { id: edgeId, source, sourceHandle, target, targetHandle } = edge;
      edgeChanges.push({ edgeId, source, sourceHandle, target, targetHandle, change, inRuns });
    }
  });

  const metricNames = sortMetricNames(items.flatMap((item) => Object.keys(item.run.metrics)));
  const best: Record<string, number> = {};
  for (const name of metricNames) {
    const index = bestIndex(
      name,
      items.map((item) => item.run.metrics[name]),
    );
    if (index !== null) best[name] = index;
  }

  const rocCurves: ComparedRoc[] = [];
  const confusions: ComparedConfusion[] = [];
  items.forEach((item, runIndex) => {
    for (const { nodeId, preview } of item.evaluations) {
      const model = leadingModel(preview);
      if (!model) continue;
      if (model.roc && model.roc.fpr.length) rocCurves.push({ runIndex, nodeId, model: model.model, fpr: model.roc.fpr, tpr: model.roc.tpr });
      if (model.confusion && preview.classes) {
        confusions.push({ runIndex, nodeId, model: model.model, classes: preview.classes, matrix: model.confusion });
      }
    }
  });

  return {
    runs: items.map((item) => item.run),
    metricNames,
    best,
    parameters,
    baseGraph: items[0]?.graph ?? emptyGraph(),
    graphChanges,
    edgeChanges,
    rocCurves,
    confusions,
  };
}
