import type { XYPosition } from '@xyflow/react';
import type { CatalogNode } from '../../server/api-types';
import { inputAccepts, type PortSpec } from '../../nodes/define';
import { STEP_BOX } from '../../nodes/graph-layout';
import { checkConnection, type RulesCatalog, type RulesGraph, type Verdict } from './connection-rules';
import type { WireEnds } from './graph-doc';

/** The order steps usually come in; used to put the likely next steps first. */
const FLOW_ORDER = ['Data', 'Prepare', 'Model', 'Features', 'Evaluate'];

type Spec = Pick<CatalogNode, 'type' | 'title' | 'category' | 'inputs' | 'outputs'>;

export interface NextStepChoice {
  spec: Spec;
  /** The input of the new step the port is wired into. */
  input: string;
}

function flowIndex(category: string): number {
  const index = FLOW_ORDER.indexOf(category);
  return index === -1 ? FLOW_ORDER.length : index;
}

/**
 * Steps that can follow an output of a given type, most likely first: steps whose main (first) input
 * takes it, then the next stage of the flow (data → prepare → model → features → evaluate).
 */
export function nextStepChoices(from: Pick<Spec, 'category'>, output: Pick<PortSpec, 'type'>, catalog: { nodes: readonly Spec[] }): NextStepChoice[] {
  const here = flowIndex(from.category);
  const stage = (spec: Spec) => {
    const index = flowIndex(spec.category);
    return index > here ? index - here : FLOW_ORDER.length + (here - index);
  };
  const choices = catalog.nodes.flatMap((spec) => {
    const input = spec.inputs.find((port) => inputAccepts(port, output.type));
    return input && spec.category !== 'Data' ? [{ spec, input: input.name, main: spec.inputs[0] === input }] : [];
  });
  // A table is most often tidied before it is split: keep a stage's own order (the catalog's) otherwise.
  return choices
    .map((choice, order) => ({ ...choice, order }))
    .sort((a, b) => Number(b.main) - Number(a.main) || stage(a.spec) - stage(b.spec) || a.order - b.order)
    .map(({ spec, input }) => ({ spec, input }));
}

interface Placed {
  id: string;
  position: XYPosition;
  measured?: { width?: number; height?: number };
}

function sizeOf(node: Placed) {
  return { width: node.measured?.width ?? STEP_BOX.width, height: node.measured?.height ?? STEP_BOX.height };
}

const GAP = 48;

/** True when a step put at `point` would cover part of another step. */
export function overlapsAny(point: XYPosition, nodes: readonly Placed[], size = STEP_BOX): boolean {
  return nodes.some((node) => {
    const other = sizeOf(node);
    return (
      point.x < node.position.x + other.width + GAP / 2 &&
      node.position.x < point.x + size.width + GAP / 2 &&
      point.y < node.position.y + other.height + GAP / 2 &&
      node.position.y < point.y + size.height + GAP / 2
    );
  });
}

/** A free spot to the right of `anchor` (lower down while that is taken), or at `fallback` when there is no anchor. */
export function placeBeside(anchor: Placed | undefined, nodes: readonly Placed[], fallback: XYPosition): XYPosition {
  const start = anchor ? { x: anchor.position.x + sizeOf(anchor).width + GAP, y: anchor.position.y } : fallback;
  let point = { x: Math.round(start.x), y: Math.round(start.y) };
  for (let tries = 0; tries < 50 && overlapsAny(point, nodes); tries += 1) point = { x: point.x, y: point.y + STEP_BOX.height / 2 };
  return point;
}

/** The first wire that may join `source` to `target` (any output into any input), or the refusal of the first try. */
export function firstFittingWire(
  source: { id: string; spec: Spec },
  target: { id: string; spec: Spec },
  graph: RulesGraph,
  catalog: RulesCatalog,
): { wire: WireEnds | null; refusal: Verdict | null } {
  let refusal: Verdict | null = null;
  for (const output of source.spec.outputs) {
    for (const input of target.spec.inputs) {
      const wire = { source: source.id, sourceHandle: output.name, target: target.id, targetHandle: input.name };
      const verdict = checkConnection(wire, graph, catalog);
      if (verdict.ok) return { wire, refusal: null };
      refusal ??= verdict;
    }
  }
  return { wire: null, refusal };
}

/**
 * Wires for the still-empty required inputs of a new step, each from the nearest step upstream of
 * `from` that outputs what the input takes (Evaluate after a model gets its test rows from the split).
 */
export function fillFromUpstream(
  newId: string,
  from: string,
  graph: RulesGraph,
  catalog: RulesCatalog & { nodes: readonly Spec[] },
): WireEnds[] {
  const specOf = (id: string) => catalog.nodes.find((spec) => spec.type === graph.nodes.find((node) => node.id === id)?.type);
  const spec = specOf(newId);
  if (!spec) return [];
  const wires: WireEnds[] = [];
  const edges = [...graph.edges];
  for (const input of spec.inputs) {
    if (input.optional || edges.some((edge) => edge.target === newId && edge.targetHandle === input.name)) continue;
    const queue = [from];
    const seen = new Set<string>();
    while (queue.length) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const output = specOf(current)?.outputs.find((port) => inputAccepts(input, port.type));
      const wire = output && { source: current, sourceHandle: output.name, target: newId, targetHandle: input.name };
      if (wire && checkConnection(wire, { nodes: graph.nodes, edges }, catalog).ok) {
        wires.push(wire);
        edges.push(wire);
        break;
      }
      for (const edge of edges) if (edge.target === current) queue.push(edge.source);
    }
  }
  return wires;
}
