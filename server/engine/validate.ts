import { describeInputTypes, inputAccepts, PORT_TYPE_LABELS, type NodeDefinition } from '../../nodes/define';
import type { Graph, GraphNode, GraphProblem } from '../../nodes/graph-document';
import { nodeDisplayNames } from '../../nodes/node-names';
import { topologicalOrder } from './order';
import type { NodeRegistry } from './registry';

/** A setting's problem, naming it as the form does ("Strictness (C)") when the node's schema gives it a title. */
export function describeParamIssue(issue: { path: PropertyKey[]; message: string }, params?: NodeDefinition['params']): string {
  const key = issue.path.map(String).join('.');
  const field = key && params ? params.shape[key] : undefined;
  const title = (field?.meta() as { title?: unknown } | undefined)?.title;
  const name = typeof title === 'string' ? title : key || 'parameters';
  return `setting "${name}": ${issue.message}`;
}

function validateNode(node: GraphNode, registry: NodeRegistry): string[] {
  const definition = registry.get(node.type);
  if (!definition) return [`"${node.type}" is not a node type this Pipelab knows`];
  if (node.version > definition.version) {
    return [`it was saved by a newer Pipelab (${definition.title} version ${node.version}; this one has ${definition.version})`];
  }
  const parsed = definition.params.safeParse(node.params);
  return parsed.success ? [] : parsed.error.issues.map((issue) => describeParamIssue(issue, definition.params));
}

/**
 * A run's error for a graph that cannot run: the count, then one line per problem naming the node by
 * its title ("- Logistic regression: Input "Train/test" is not connected: ..."), never by its id.
 */
export function describeProblems(graph: Graph, registry: NodeRegistry, problems: GraphProblem[]): string {
  const names = nodeDisplayNames(graph, (type) => registry.get(type)?.title);
  const lines = problems.map((problem) => `- ${(problem.nodeId && names.get(problem.nodeId)) || 'Pipeline'}: ${problem.message}`);
  return [`The pipeline has ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix before it can run.`, ...lines].join('\n');
}

/** Checks a graph against the node catalog and reports every problem at once, each tied to its node or wire. */
export function validateGraph(graph: Graph, registry: NodeRegistry): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of graph.nodes) {
    for (const message of validateNode(node, registry)) problems.push({ nodeId: node.id, message });
  }
  const wiredInputs = new Set<string>();
  for (const edge of graph.edges) {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    if (!source || !target) {
      problems.push({ edgeId: edge.id, message: `Wire "${edge.id}" points at a node that does not exist (${!source ? edge.source : edge.target})` });
      continue;
    }
    const sourceDef = registry.get(source.type);
    const targetDef = registry.get(target.type);
    if (!sourceDef || !targetDef) continue;
    const output = sourceDef.outputs.find((p) => p.name === edge.sourceHandle);
    const input = targetDef.inputs.find((p) => p.name === edge.targetHandle);
    if (!output) {
      problems.push({ nodeId: source.id, edgeId: edge.id, message: `${sourceDef.title} has no output "${edge.sourceHandle}"` });
      continue;
    }
    if (!input) {
      problems.push({ nodeId: target.id, edgeId: edge.id, message: `${targetDef.title} has no input "${edge.targetHandle}"` });
      continue;
    }
    if (!inputAccepts(input, output.type)) {
      problems.push({
        nodeId: target.id,
        edgeId: edge.id,
        message: `${targetDef.title} needs ${describeInputTypes(input)} on "${input.label}"; ${sourceDef.title} outputs ${PORT_TYPE_LABELS[output.type]}`,
      });
    }
    const inputKey = `${target.id}\u0000${input.name}`;
    if (wiredInputs.has(inputKey) && !input.multiple) {
      problems.push({ nodeId: target.id, edgeId: edge.id, message: `Input "${input.label}" has more than one wire; keep one` });
    }
    wiredInputs.add(inputKey);
  }
  for (const node of graph.nodes) {
    const definition = registry.get(node.type);
    for (const input of definition?.inputs ?? []) {
      if (!input.optional && !wiredInputs.has(`${node.id}\u0000${input.name}`)) {
        problems.push({ nodeId: node.id, message: `Input "${input.label}" is not connected: wire ${describeInputTypes(input)} into it` });
      }
    }
  }
  const { inCycle } = topologicalOrder(graph);
  for (const nodeId of inCycle) {
    problems.push({ nodeId, message: 'This node is in a loop of wires (or fed by one); pipelines must flow one way' });
  }
  return problems;
}
