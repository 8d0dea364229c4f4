import type { Graph } from '../../nodes/graph-document';

/**
 * Counts, for each node, the wires still to be read from it, so a run can drop a node's port values (a
 * table, a split, a model) as soon as the last node wired to them has run, failed or been skipped. At a
 * million rows the table alone is hundreds of megabytes; holding every output until the run ends kept
 * the source table, the split and the models' inputs all alive at once.
 */
export class ConsumerLedger {
  private readonly unread = new Map<string, number>();
  private readonly sources = new Map<string, string[]>();

  constructor(graph: Graph) {
    for (const node of graph.nodes) this.unread.set(node.id, 0);
    for (const edge of graph.edges) {
      this.unread.set(edge.source, (this.unread.get(edge.source) ?? 0) + 1);
      this.sources.set(edge.target, [...(this.sources.get(edge.target) ?? []), edge.source]);
    }
  }

  /**
   * `nodeId` has been dealt with (run, reused, failed or skipped): its wires are read. Answers the nodes
   * whose outputs nothing will read any more, `nodeId` itself first when nothing is wired from it.
   */
  settled(nodeId: string): string[] {
    const released: string[] = [];
    if (this.unread.get(nodeId) === 0) released.push(nodeId);
    for (const source of this.sources.get(nodeId) ?? []) {
      const left = (this.unread.get(source) ?? 0) - 1;
      this.unread.set(source, left);
      if (left === 0) released.push(source);
    }
    return released;
  }
}
