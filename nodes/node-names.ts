import type { Graph } from './graph-document';

/**
 * What a person calls each node of a pipeline in messages: its title, as the canvas shows it; the
 * second and later nodes of one kind get a number ("Logistic regression 2") so a message about one
 * of them says which. Internal ids never reach a message. A type the catalog lacks reads as itself.
 */
export function nodeDisplayNames(graph: Pick<Graph, 'nodes'>, titleOf: (type: string) => string | undefined): Map<string, string> {
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  for (const node of graph.nodes) {
    const title = titleOf(node.type) ?? node.type;
    const count = (seen.get(title) ?? 0) + 1;
    seen.set(title, count);
    names.set(node.id, count === 1 ? title : `${title} ${count}`);
  }
  return names;
}
