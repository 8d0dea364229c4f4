import type { ChangedNode, DiffEdgeRef, DiffNodeRef, GraphChanges, GraphDiff, ParamChange } from '../api-types';
import type { Graph, GraphEdge, GraphNode } from '../../nodes/graph-document';
import { canonicalJson } from '../engine/cache';
import { effectiveParams, emptyLookup, titleOf, type NodeLookup } from './lookup';

const edgeKey = (edge: GraphEdge) => JSON.stringify([edge.source, edge.sourceHandle, edge.target, edge.targetHandle]);

function nodeRef(node: GraphNode, lookup: NodeLookup): DiffNodeRef {
  return { id: node.id, type: node.type, title: titleOf(lookup, node.type) };
}

function edgeRef(edge: GraphEdge): DiffEdgeRef {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target, targetHandle: edge.targetHandle };
}

/** Parameter names of both sides, in the order the newer side lists them, then those only the older one has. */
function paramChanges(from: Record<string, unknown>, to: Record<string, unknown>): ParamChange[] {
  const names = [...new Set([...Object.keys(to), ...Object.keys(from)])];
  const changes: ParamChange[] = [];
  for (const name of names) {
    const before = from[name];
    const after = to[name];
    if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) continue;
    const change: ParamChange = { name };
    if (before !== undefined) change.from = before;
    if (after !== undefined) change.to = after;
    changes.push(change);
  }
  return changes;
}

/**
 * What changed from one graph to another. Nodes are matched by id; parameters are compared with the
 * node type's defaults filled in (when the lookup knows the type), so saving a default explicitly is
 * not a change. Wires are matched by what they join. Moving a node on the canvas is listed but does
 * not make the graphs differ.
 */
export function diffGraphs(from: Graph, to: Graph, lookup: NodeLookup = emptyLookup): GraphChanges {
  const before = new Map(from.nodes.map((node) => [node.id, node]));
  const after = new Map(to.nodes.map((node) => [node.id, node]));
  const added = to.nodes.filter((node) => !before.has(node.id)).map((node) => nodeRef(node, lookup));
  const removed = from.nodes.filter((node) => !after.has(node.id)).map((node) => nodeRef(node, lookup));
  const changed: ChangedNode[] = [];
  const moved: string[] = [];
  let unchanged = 0;
  for (const node of to.nodes) {
    const old = before.get(node.id);
    if (!old) continue;
    const entry: ChangedNode = { ...nodeRef(node, lookup), params: [] };
    if (old.type !== node.type) entry.typeChange = { from: old.type, to: node.type };
    if (old.version !== node.version) entry.versionChange = { from: old.version, to: node.version };
    entry.params =
      old.type === node.type
        ? paramChanges(effectiveParams(lookup, old.type, old.params), effectiveParams(lookup, node.type, node.params))
        : paramChanges(old.params, node.params);
    if (old.position.x !== node.position.x || old.position.y !== node.position.y) moved.push(node.id);
    if (entry.typeChange || entry.versionChange || entry.params.length) changed.push(entry);
    else unchanged += 1;
  }
  const edgesBefore = new Set(from.edges.map(edgeKey));
  const edgesAfter = new Set(to.edges.map(edgeKey));
  const edges = {
    added: to.edges.filter((edge) => !edgesBefore.has(edgeKey(edge))).map(edgeRef),
    removed: from.edges.filter((edge) => !edgesAfter.has(edgeKey(edge))).map(edgeRef),
  };
  const same = !added.length && !removed.length && !changed.length && !edges.added.length && !edges.removed.length;
  return { nodes: { added, removed, changed, moved, unchanged }, edges, same };
}

/** The same changes as one entry per node (added, removed, changed or same) and per added or removed wire. */
export function toGraphDiff(changes: GraphChanges, to: Graph, lookup: NodeLookup = emptyLookup): GraphDiff {
  const added = new Set(changes.nodes.added.map((node) => node.id));
  const changed = new Map(changes.nodes.changed.map((node) => [node.id, node]));
  const nodes: GraphDiff['nodes'] = to.nodes.map((node) => {
    const title = titleOf(lookup, node.type);
    if (added.has(node.id)) return { nodeId: node.id, title, change: 'added' };
    const entry = changed.get(node.id);
    if (!entry) return { nodeId: node.id, title, change: 'same' };
    const params = entry.params.map((p) => ({ param: p.name, from: p.from ?? null, to: p.to ?? null }));
    if (entry.typeChange) params.unshift({ param: 'type', from: entry.typeChange.from, to: entry.typeChange.to });
    if (entry.versionChange) params.unshift({ param: 'version', from: entry.versionChange.from, to: entry.versionChange.to });
    return { nodeId: node.id, title, change: 'changed', params };
  });
  for (const node of changes.nodes.removed) nodes.push({ nodeId: node.id, title: node.title, change: 'removed' });
  const edges: GraphDiff['edges'] = [
    ...changes.edges.added.map((edge) => ({ edgeId: edge.id, change: 'added' as const })),
    ...changes.edges.removed.map((edge) => ({ edgeId: edge.id, change: 'removed' as const })),
  ];
  return { nodes, edges };
}
