'use client';

import { useReactFlow, type XYPosition } from '@xyflow/react';
import { useCallback } from 'react';
import type { CatalogNode } from '../../server/api-types';
import { layOutSteps, STEP_BOX } from '../../nodes/graph-layout';
import { inputAccepts } from '../../nodes/define';
import { useCatalog } from './catalog-context';
import { checkConnection, type RulesGraph, type Verdict } from './connection-rules';
import type { StepNode, WireEnds } from './graph-doc';
import { fillFromUpstream, firstFittingWire, placeBeside } from './next-steps';
import { useEditor } from './store';

export const CANVAS_SELECTOR = '[data-testid="canvas"]';

function rulesGraph(extra?: { id: string; type: string }): RulesGraph {
  const { nodes, edges } = useEditor.getState();
  const listed = nodes.map((node) => ({ id: node.id, type: node.data.type }));
  return { nodes: extra ? [...listed, extra] : listed, edges };
}

function canvasRect(): DOMRect {
  return document.querySelector(CANVAS_SELECTOR)?.getBoundingClientRect() ?? new DOMRect(0, 0, window.innerWidth, window.innerHeight);
}

/** Keeps a just-placed step on screen: pans to it, at the same zoom, when it landed outside the view. */
function useBringIntoView() {
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();
  return useCallback(
    (point: XYPosition) => {
      const box = canvasRect();
      const topLeft = screenToFlowPosition({ x: box.left, y: box.top });
      const bottomRight = screenToFlowPosition({ x: box.right, y: box.bottom });
      const inside =
        point.x >= topLeft.x && point.y >= topLeft.y && point.x + STEP_BOX.width <= bottomRight.x && point.y + STEP_BOX.height <= bottomRight.y;
      if (!inside) void setCenter(point.x + STEP_BOX.width / 2, point.y + STEP_BOX.height / 2, { zoom: getZoom(), duration: 200 });
    },
    [screenToFlowPosition, setCenter, getZoom],
  );
}

/**
 * Adds a step that continues another one: beside it, wired from it (from `port` when given), with its
 * other required inputs fed from further upstream. Without a step to continue, it lands in the middle of the view.
 */
export function useAddStep() {
  const { catalog, byType } = useCatalog();
  const { screenToFlowPosition } = useReactFlow();
  const bringIntoView = useBringIntoView();
  return useCallback(
    (spec: CatalogNode, after?: { nodeId: string; port?: string }) => {
      const { nodes, addNode, viewing } = useEditor.getState();
      if (viewing) return;
      const anchor = nodes.find((node) => node.id === after?.nodeId);
      const box = canvasRect();
      const middle = screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 });
      const position = placeBeside(anchor, nodes, { x: middle.x - STEP_BOX.width / 2, y: middle.y - STEP_BOX.height / 2 });
      const anchorSpec = anchor && byType.get(anchor.data.type);
      addNode(spec, position, (id) => {
        if (!anchor || !anchorSpec) return [];
        const graph = rulesGraph({ id, type: spec.type });
        const outputs = after?.port ? anchorSpec.outputs.filter((port) => port.name === after.port) : anchorSpec.outputs;
        const { wire } = firstFittingWire({ id: anchor.id, spec: { ...anchorSpec, outputs } }, { id, spec }, graph, catalog);
        if (!wire) return [];
        return [wire, ...fillFromUpstream(id, anchor.id, { nodes: graph.nodes, edges: [...graph.edges, wire] }, catalog)];
      });
      bringIntoView(position);
    },
    [catalog, byType, screenToFlowPosition, bringIntoView],
  );
}

/** Lays the whole graph out left to right to fill the canvas, as one undo step, and frames it. */
export function useTidyUp() {
  const { fitView } = useReactFlow();
  return useCallback(() => {
    const { nodes, edges, moveNodes } = useEditor.getState();
    const boxes = nodes.map((node) => ({
      id: node.id,
      width: node.measured?.width ?? STEP_BOX.width,
      height: node.measured?.height ?? STEP_BOX.height,
    }));
    const box = canvasRect();
    moveNodes(layOutSteps(boxes, edges, { width: box.width * 0.9, height: box.height * 0.9 }));
    requestAnimationFrame(() => void fitView({ padding: 0.05, maxZoom: 1, duration: 200 }));
  }, [fitView]);
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The wire whose middle lies under a step at `rect`, if any. */
function wireUnder(rect: Rect, nodes: readonly StepNode[], edges: readonly (WireEnds & { id: string })[]) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return edges.find((edge) => {
    const from = byId.get(edge.source);
    const to = byId.get(edge.target);
    if (!from || !to) return false;
    const fromWidth = from.measured?.width ?? STEP_BOX.width;
    // Wires leave and enter a step at its first port row, about 40 px below its top.
    const middle = {
      x: (from.position.x + fromWidth + to.position.x) / 2,
      y: (from.position.y + to.position.y) / 2 + 40,
    };
    return middle.x >= rect.x && middle.x <= rect.x + rect.width && middle.y >= rect.y && middle.y <= rect.y + rect.height;
  });
}

/** Wires for putting a step of type `spec` between the two ends of `edge`, or why it does not fit there. */
function wiresThrough(
  edge: WireEnds & { id: string },
  step: { id: string; spec: CatalogNode },
  catalog: ReturnType<typeof useCatalog>,
): { wires: WireEnds[] } | { refusal: Extract<Verdict, { ok: false }> } {
  const graph = rulesGraph({ id: step.id, type: step.spec.type });
  const sourceSpec = catalog.byType.get(graph.nodes.find((node) => node.id === edge.source)?.type ?? '');
  const output = sourceSpec?.outputs.find((port) => port.name === edge.sourceHandle);
  const withoutEdge = { nodes: graph.nodes, edges: graph.edges.filter((other) => other !== edge) };
  const input = step.spec.inputs.find((port) => output && inputAccepts(port, output.type)) ?? step.spec.inputs[0];
  const into = { source: edge.source, sourceHandle: edge.sourceHandle, target: step.id, targetHandle: input?.name ?? null };
  const first = checkConnection(into, withoutEdge, catalog.catalog);
  if (!first.ok) return { refusal: first };
  if (step.spec.outputs.length === 0) {
    return { refusal: { ok: false, code: 'direction', reason: `${step.spec.title} has no output, so it can't go between two steps.` } };
  }
  const afterFirst = { nodes: graph.nodes, edges: [...withoutEdge.edges, into] };
  const candidates = step.spec.outputs.map((port) => ({ source: step.id, sourceHandle: port.name, target: edge.target, targetHandle: edge.targetHandle }));
  const verdicts = candidates.map((wire) => checkConnection(wire, afterFirst, catalog.catalog));
  const fitting = verdicts.findIndex((verdict) => verdict.ok);
  if (fitting !== -1) return { wires: [into, candidates[fitting]] };
  return { refusal: verdicts[0] as Extract<Verdict, { ok: false }> };
}

/**
 * Putting a step down on a wire a→b makes it a→step→b when its ports fit. Returns the refusal to show
 * when they do not, null when the step was not put on a wire (or was inserted).
 */
export function useDropOnWire() {
  const catalog = useCatalog();
  return useCallback(
    (step: { id: string; type: string }, rect: Rect): Extract<Verdict, { ok: false }> | null => {
      const { nodes, edges, splitWire } = useEditor.getState();
      const spec = catalog.byType.get(step.type);
      if (!spec || edges.some((edge) => edge.source === step.id || edge.target === step.id)) return null;
      const edge = wireUnder(rect, nodes.filter((node) => node.id !== step.id), edges);
      if (!edge) return null;
      const result = wiresThrough(edge, { id: step.id, spec }, catalog);
      if ('refusal' in result) return result.refusal;
      splitWire(edge.id, result.wires);
      return null;
    },
    [catalog],
  );
}
