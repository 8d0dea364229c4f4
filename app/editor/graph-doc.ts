import type { Edge, Node } from '@xyflow/react';
import { CURRENT_SCHEMA_VERSION, type Graph } from '../../nodes/graph-document';

/** What a canvas node carries: the saved fields of a pipeline step. */
export type StepData = { type: string; version: number; params: Record<string, unknown> };
export type StepNode = Node<StepData, 'step'>;
export type Wire = Edge;

export interface WireEnds {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

/** The saved document, derived from what is on the canvas. */
export function toGraph(nodes: readonly StepNode[], edges: readonly Wire[]): Graph {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.data.type,
      version: node.data.version,
      params: node.data.params,
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    })),
    edges: edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle ?? '',
      target: edge.target,
      targetHandle: edge.targetHandle ?? '',
    })),
  };
}

export function fromGraph(graph: Graph): { nodes: StepNode[]; edges: Wire[] } {
  return {
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      type: 'step',
      position: { ...node.position },
      data: { type: node.type, version: node.version, params: { ...node.params } },
    })),
    edges: graph.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
      targetHandle: edge.targetHandle,
    })),
  };
}

export function wireId(ends: WireEnds): string {
  return `${ends.source}.${ends.sourceHandle ?? ''}->${ends.target}.${ends.targetHandle ?? ''}`;
}

/** "prep.split" → "split", "model.logisticRegression" → "logisticRegression". */
export function shortType(type: string): string {
  const last = type.split('.').pop() ?? type;
  return last.replace(/[^A-Za-z0-9_-]/g, '') || 'step';
}

/** The next free id of the form `<short type>-<n>`, e.g. `split-1`. */
export function nextNodeId(type: string, existingIds: Iterable<string>): string {
  const prefix = shortType(type);
  const taken = new Set(existingIds);
  let highest = 0;
  for (const id of taken) {
    const match = id.startsWith(`${prefix}-`) ? /^(\d+)$/.exec(id.slice(prefix.length + 1)) : null;
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  let n = highest + 1;
  while (taken.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

/** Node ids in an order where every step comes after the steps feeding it (ties keep canvas order). */
export function topologicalOrder(nodeIds: readonly string[], edges: readonly WireEnds[]): string[] {
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  for (const edge of edges) {
    if (indegree.has(edge.target) && indegree.has(edge.source)) {
      indegree.set(edge.target, (indegree.get(edge.target) ?? 0) + 1);
    }
  }
  const order: string[] = [];
  const ready = nodeIds.filter((id) => indegree.get(id) === 0);
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const edge of edges) {
      if (edge.source !== id || !indegree.has(edge.target)) continue;
      const left = (indegree.get(edge.target) ?? 0) - 1;
      indegree.set(edge.target, left);
      if (left === 0) ready.push(edge.target);
    }
  }
  // Anything left is part of a loop; keep it visible at the end.
  for (const id of nodeIds) if (!order.includes(id)) order.push(id);
  return order;
}
