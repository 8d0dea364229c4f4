import type { Graph } from '../../nodes/graph-document';

/**
 * Kahn's algorithm. Returns nodes in an order where every node comes after its inputs, and the
 * nodes caught in cycles (empty when there is none). Ties keep the document order, so runs are repeatable.
 */
export function topologicalOrder(graph: Graph): { order: string[]; inCycle: string[] } {
  const incoming = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  const downstream = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) {
    if (!incoming.has(edge.source) || !incoming.has(edge.target)) continue;
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
    downstream.get(edge.source)!.push(edge.target);
  }
  const ready = graph.nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of downstream.get(id)!) {
      const remaining = incoming.get(next)! - 1;
      incoming.set(next, remaining);
      if (remaining === 0) ready.push(next);
    }
  }
  const placed = new Set(order);
  return { order, inCycle: graph.nodes.filter((n) => !placed.has(n.id)).map((n) => n.id) };
}

/** Every node reachable downstream of `start` (excluding it). */
export function downstreamOf(graph: Graph, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    for (const edge of graph.edges) {
      if (edge.source === id && !seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return seen;
}
