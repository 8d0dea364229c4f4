import type { Catalog, ParamJsonSchema } from '../api-types';

/** What the comparison, diff, import and report code needs to know about a node type. */
export interface NodeTypeInfo {
  title: string;
  version: number;
  defaults: Record<string, unknown>;
  params: Record<string, ParamJsonSchema>;
  /** data, prepare, model or evaluate: the report colours a step's box edge by it, as the canvas does. */
  category?: string;
}

export type NodeLookup = (type: string) => NodeTypeInfo | undefined;

/** A lookup over the node catalog (the same data the browser's palette is built from). */
export function catalogLookup(catalog: Catalog): NodeLookup {
  const byType = new Map(
    catalog.nodes.map((node) => [
      node.type,
      { title: node.title, version: node.version, defaults: node.defaults, params: node.params.properties, category: node.category } satisfies NodeTypeInfo,
    ]),
  );
  return (type) => byType.get(type);
}

export const emptyLookup: NodeLookup = () => undefined;

export function titleOf(lookup: NodeLookup, type: string): string {
  return lookup(type)?.title ?? type;
}

/** A node's parameters with the type's defaults filled in, so "left at default" equals "set to default". */
export function effectiveParams(lookup: NodeLookup, type: string, params: Record<string, unknown>): Record<string, unknown> {
  return { ...(lookup(type)?.defaults ?? {}), ...params };
}
