import type { CatalogNode } from '../../server/api-types';
import { describeInputTypes, inputAccepts } from '../../nodes/define';
import type { WireEnds } from './graph-doc';

/** The slice of the catalog the wiring rules need. */
export interface RulesCatalog {
  nodes: readonly Pick<CatalogNode, 'type' | 'title' | 'inputs' | 'outputs'>[];
  portTypes: Readonly<Record<string, string>>;
}

export interface RulesGraph {
  nodes: readonly { id: string; type: string }[];
  edges: readonly WireEnds[];
}

export type RefusalCode = 'self' | 'unknown' | 'direction' | 'type' | 'occupied' | 'duplicate' | 'cycle';

export type Verdict =
  | { ok: true }
  | {
      ok: false;
      code: RefusalCode;
      /** One plain sentence saying why the wire was refused. */
      reason: string;
      /** What to do instead, when there is a useful suggestion. */
      hint?: string;
    };

function refuse(code: RefusalCode, reason: string, hint?: string): Verdict {
  return hint ? { ok: false, code, reason, hint } : { ok: false, code, reason };
}

function describeType(catalog: RulesCatalog, type: string): string {
  return catalog.portTypes[type] ?? `a ${type}`;
}

function titleList(titles: string[]): string {
  if (titles.length <= 1) return titles.join('');
  return `${titles.slice(0, -1).join(', ')} or ${titles[titles.length - 1]}`;
}

/** True when `to` can already be reached from `from` by following wires downstream. */
export function reaches(from: string, to: string, edges: readonly WireEnds[]): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const current = stack.pop()!;
    if (current === to) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const edge of edges) if (edge.source === current) stack.push(edge.target);
  }
  return false;
}

/**
 * Decides whether a new wire may be drawn. The wire must go from an output to an input of the
 * same port type, into an input that is still free (or one that takes several wires, like the
 * models of Evaluate), between two different steps, without a loop.
 */
export function checkConnection(wire: WireEnds, graph: RulesGraph, catalog: RulesCatalog): Verdict {
  const sourceNode = graph.nodes.find((node) => node.id === wire.source);
  const targetNode = graph.nodes.find((node) => node.id === wire.target);
  const sourceSpec = catalog.nodes.find((spec) => spec.type === sourceNode?.type);
  const targetSpec = catalog.nodes.find((spec) => spec.type === targetNode?.type);
  if (!sourceNode || !targetNode || !sourceSpec || !targetSpec) {
    return refuse('unknown', 'One of these steps is not available in this version of Pipelab.');
  }
  if (wire.source === wire.target) {
    return refuse('self', `${sourceSpec.title} can't be wired to itself.`, 'Connect it to a different step.');
  }
  const output = sourceSpec.outputs.find((port) => port.name === wire.sourceHandle);
  const input = targetSpec.inputs.find((port) => port.name === wire.targetHandle);
  if (!output || !input) {
    return refuse('direction', 'Wires go from an output (right side of a step) to an input (left side of a step).');
  }
  if (!inputAccepts(input, output.type)) {
    const outputName = sourceSpec.outputs.length > 1 ? ` on "${output.label}"` : '';
    const providers = catalog.nodes
      .filter((spec) => spec.outputs.some((port) => inputAccepts(input, port.type)))
      .map((spec) => spec.title);
    return refuse(
      'type',
      `${targetSpec.title} needs ${describeInputTypes(input, catalog.portTypes)} on "${input.label}"; ` +
        `${sourceSpec.title} outputs ${describeType(catalog, output.type)}${outputName}.`,
      providers.length ? `Wire it from ${titleList(providers.slice(0, 3))} instead.` : undefined,
    );
  }
  const into = graph.edges.filter((edge) => edge.target === wire.target && edge.targetHandle === wire.targetHandle);
  if (input.multiple && into.some((edge) => edge.source === wire.source && edge.sourceHandle === wire.sourceHandle)) {
    return refuse('duplicate', `${sourceSpec.title} is already wired to "${input.label}" on ${targetSpec.title}.`);
  }
  if (!input.multiple && into.length > 0) {
    return refuse(
      'occupied',
      `"${input.label}" on ${targetSpec.title} is already connected; an input takes one wire.`,
      'Click the existing wire and press Delete to replace it.',
    );
  }
  if (reaches(wire.target, wire.source, graph.edges)) {
    return refuse(
      'cycle',
      `That wire would make a loop: ${targetSpec.title} already feeds into ${sourceSpec.title}.`,
      'Data flows one way, from left to right.',
    );
  }
  return { ok: true };
}

/** The message for a wire dropped on another handle of the same side (output on output, input on input). */
export function sameSideMessage(side: 'source' | 'target'): string {
  return side === 'source'
    ? 'Two outputs can’t be wired together: connect an output (right side) to an input (left side).'
    : 'Two inputs can’t be wired together: connect an output (right side) to an input (left side).';
}
