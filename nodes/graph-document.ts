import { z } from 'zod';
import { jsonShapeProblem } from '../models/json-shape';
import { LIMITS } from '../models/limits';

/**
 * The saved form of a pipeline. Only type ids, versions and parameters are stored, never code,
 * so a saved pipeline keeps loading as the product evolves. Pure zod: the browser uses it too.
 */
export const CURRENT_SCHEMA_VERSION = 1;

const id = z.string().min(1, 'must not be empty').max(100, 'is longer than 100 characters');

export const graphNodeSchema = z.object({
  id,
  type: z.string().min(1, 'node type must not be empty').max(100, 'node type is longer than 100 characters'),
  version: z.number().int().positive(),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
});

export const graphEdgeSchema = z.object({
  id,
  source: id,
  sourceHandle: z.string().min(1).max(100),
  target: id,
  targetHandle: z.string().min(1).max(100),
});

export const graphSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  nodes: z.array(graphNodeSchema).max(LIMITS.graph.nodes, `a pipeline holds at most ${LIMITS.graph.nodes} steps`),
  edges: z.array(graphEdgeSchema).max(LIMITS.graph.edges, `a pipeline holds at most ${LIMITS.graph.edges} wires`),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type Graph = z.infer<typeof graphSchema>;

/**
 * One function per older schema version, each lifting a document to the next version.
 * Version 1 is the first published format; add `1: (doc) => ...` here when version 2 arrives.
 */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
export const migrations: Record<number, Migration> = {};

/** A problem found in a graph document (validation), tied to the node or wire it concerns when there is one. */
export interface GraphProblem {
  nodeId?: string;
  edgeId?: string;
  message: string;
}

export class GraphFormatError extends Error {
  constructor(public readonly problems: string[]) {
    super(`The pipeline file is not valid:\n- ${problems.join('\n- ')}`);
    this.name = 'GraphFormatError';
  }
}

function describeIssue(issue: z.core.$ZodIssue, doc: unknown): string {
  const [first, index, field, ...rest] = issue.path;
  if ((first === 'nodes' || first === 'edges') && typeof index === 'number') {
    const list = (doc as Record<string, unknown[]>)[first];
    const item = Array.isArray(list) ? (list[index] as Record<string, unknown> | undefined) : undefined;
    const name = item && typeof item.id === 'string' ? `"${item.id}"` : `#${index + 1}`;
    const where = `${first === 'nodes' ? 'node' : 'edge'} ${name}`;
    const what = field === undefined ? '' : ` field "${[field, ...rest].join('.')}"`;
    return `${where}${what}: ${issue.message}`;
  }
  return `${issue.path.length ? `field "${issue.path.join('.')}"` : 'document'}: ${issue.message}`;
}

/** Parses untrusted JSON (text or value), migrating older versions; throws GraphFormatError. */
export function parseGraph(input: unknown, migrationTable: Record<number, Migration> = migrations): Graph {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (error) {
      throw new GraphFormatError([`it is not JSON (${(error as Error).message})`]);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new GraphFormatError(['it must be a JSON object with schemaVersion, nodes and edges']);
  }
  // Before migrations and zod walk it recursively.
  const shape = jsonShapeProblem(doc, LIMITS.graph);
  if (shape) throw new GraphFormatError([`${shape} (the limits are ${LIMITS.graph.depth} levels and ${LIMITS.graph.values.toLocaleString('en-US')} values)`]);
  let current = doc as Record<string, unknown>;
  const declared = current.schemaVersion;
  if (typeof declared !== 'number' || !Number.isInteger(declared)) {
    throw new GraphFormatError(['"schemaVersion" is missing or not a whole number']);
  }
  let version: number = declared;
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new GraphFormatError([
      `it was saved by a newer Pipelab (schema version ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION})`,
    ]);
  }
  while (version < CURRENT_SCHEMA_VERSION) {
    const migrate = migrationTable[version];
    if (!migrate) throw new GraphFormatError([`schema version ${version} is not supported`]);
    current = migrate(current);
    version = current.schemaVersion as number;
  }
  const result = graphSchema.safeParse(current);
  if (!result.success) {
    throw new GraphFormatError(result.error.issues.map((issue) => describeIssue(issue, current)));
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const node of result.data.nodes) {
    if (seen.has(node.id)) problems.push(`node "${node.id}": the id is used by more than one node`);
    seen.add(node.id);
  }
  const edgeIds = new Set<string>();
  for (const edge of result.data.edges) {
    if (edgeIds.has(edge.id)) problems.push(`edge "${edge.id}": the id is used by more than one edge`);
    edgeIds.add(edge.id);
  }
  if (problems.length) throw new GraphFormatError(problems);
  return result.data;
}

export function emptyGraph(): Graph {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [], edges: [] };
}
