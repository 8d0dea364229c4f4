import { Graph, layout } from '@dagrejs/dagre';

export interface LayoutBox {
  id: string;
  width: number;
  height: number;
}

export interface LayoutWire {
  source: string;
  target: string;
}

export interface Point {
  x: number;
  y: number;
}

/** The area the laid-out graph should fill, in screen pixels (the canvas). */
export interface LayoutFrame {
  width: number;
  height: number;
}

/** The canvas of the editor at a 1280×800 window: what templates are laid out for. */
export const DESKTOP_CANVAS: LayoutFrame = { width: 730, height: 520 };
/** The size a step is assumed to have before the browser has measured it. */
export const STEP_BOX = { width: 180, height: 104 };

const COLUMN_GAP = 40;
const ROW_GAP = 28;
const BAND_GAP = 48;

interface Column {
  boxes: { box: LayoutBox; y: number }[];
  width: number;
}

/** Steps in columns from left to right, as far as the wires allow (dagre's layered layout). */
function columnsLeftToRight(boxes: readonly LayoutBox[], wires: readonly LayoutWire[]): Column[] {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'LR', ranksep: COLUMN_GAP, nodesep: ROW_GAP, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const box of boxes) graph.setNode(box.id, { width: box.width, height: box.height });
  for (const wire of wires) if (graph.hasNode(wire.source) && graph.hasNode(wire.target)) graph.setEdge(wire.source, wire.target);
  layout(graph);
  const byCentre = new Map<number, Column>();
  for (const box of boxes) {
    const placed = graph.node(box.id);
    const key = Math.round(placed.x);
    const column = byCentre.get(key) ?? { boxes: [], width: 0 };
    column.boxes.push({ box, y: placed.y - box.height / 2 });
    column.width = Math.max(column.width, box.width);
    byCentre.set(key, column);
  }
  return [...byCentre.entries()].sort(([a], [b]) => a - b).map(([, column]) => column);
}

function bandSize(columns: readonly Column[]) {
  const width = columns.reduce((sum, column) => sum + column.width, 0) + COLUMN_GAP * (columns.length - 1);
  const tops = columns.flatMap((column) => column.boxes.map((entry) => entry.y));
  const bottoms = columns.flatMap((column) => column.boxes.map((entry) => entry.y + entry.box.height));
  return { width, top: Math.min(...tops), height: Math.max(...bottoms) - Math.min(...tops) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** How large the graph can be drawn in the frame (capped at full size) when wrapped every `perBand` columns. */
function scaleFor(columns: readonly Column[], perBand: number, frame: LayoutFrame): number {
  const bands = chunk(columns, perBand).map(bandSize);
  const width = Math.max(...bands.map((band) => band.width));
  const height = bands.reduce((sum, band) => sum + band.height, 0) + BAND_GAP * (bands.length - 1);
  return Math.min(1, frame.width / width, frame.height / height);
}

/**
 * Lays steps out left to right in columns, wrapping a long chain into bands under one another (like
 * lines of text) when that lets the whole graph be shown larger in the frame. Returns top-left corners.
 */
export function layOutSteps(
  boxes: readonly LayoutBox[],
  wires: readonly LayoutWire[],
  frame: LayoutFrame = DESKTOP_CANVAS,
  origin: Point = { x: 0, y: 0 },
): Map<string, Point> {
  const positions = new Map<string, Point>();
  if (boxes.length === 0) return positions;
  const columns = columnsLeftToRight(boxes, wires);
  let perBand = columns.length;
  // Fewer columns per band only when it is clearly larger on screen: left to right reads best.
  for (let candidate = columns.length - 1; candidate >= 1; candidate -= 1) {
    if (scaleFor(columns, candidate, frame) > scaleFor(columns, perBand, frame) + 0.02) perBand = candidate;
  }
  let bandTop = origin.y;
  for (const band of chunk(columns, perBand)) {
    const size = bandSize(band);
    let left = origin.x;
    for (const column of band) {
      for (const { box, y } of column.boxes) {
        positions.set(box.id, { x: Math.round(left + (column.width - box.width) / 2), y: Math.round(bandTop + y - size.top) });
      }
      left += column.width + COLUMN_GAP;
    }
    bandTop += size.height + BAND_GAP;
  }
  return positions;
}
