import { bestIndex } from '../_components/format';

// Run colours are part of the one chart palette the app and the HTML report share.
export { RUN_COLORS, runColor } from '../../charts/theme';

/** "#1", "#2" … the short name of a compared run in table headings and legends. */
export function runTag(index: number): string {
  return `#${index + 1}`;
}

/** A parameter value in plain words; null means the run has no such step. */
export function formatParamValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((item) => formatParamValue(item)).join(', ');
  return JSON.stringify(value);
}

export interface ParamRow {
  nodeId: string;
  nodeTitle: string;
  param: string;
  values: unknown[];
  differs: boolean;
}

/** The rows to show: only those that differ unless asked for all, grouped by step in first-seen order. */
export function visibleParams<T extends ParamRow>(rows: readonly T[], showAll: boolean): T[] {
  const shown = showAll ? [...rows] : rows.filter((row) => row.differs);
  const stepOrder = new Map<string, number>();
  for (const row of rows) if (!stepOrder.has(row.nodeId)) stepOrder.set(row.nodeId, stepOrder.size);
  return shown.sort((a, b) => (stepOrder.get(a.nodeId) ?? 0) - (stepOrder.get(b.nodeId) ?? 0));
}

/** Whether a cell holds a value different from the first run's. */
export function differsFromFirst(values: readonly unknown[], index: number): boolean {
  return index > 0 && JSON.stringify(values[index] ?? null) !== JSON.stringify(values[0] ?? null);
}

/**
 * The run index holding the best value of a metric, from the server's `best` map when it has the metric,
 * else worked out here (highest wins, lowest for errors); null when no run has it.
 */
export function bestRun(metric: string, values: readonly (number | undefined)[], best?: Record<string, number>): number | null {
  const fromServer = best?.[metric];
  if (fromServer !== undefined && values[fromServer] !== undefined) return fromServer;
  return bestIndex(metric, values);
}

export type NodeChange = 'added' | 'removed' | 'changed' | 'same';

export const CHANGE_LABELS: Record<NodeChange, string> = {
  added: 'Only in other runs',
  removed: 'Missing from some runs',
  changed: 'Settings differ',
  same: 'Same in every run',
};

interface PositionedNode {
  id: string;
  position: { x: number; y: number };
}

/**
 * Where to draw steps that the first run does not have: in a row under its graph, each below the
 * steps it is wired to when known, so they can still be pointed at and named.
 */
export function placeExtraNodes(
  base: readonly PositionedNode[],
  extraIds: readonly string[],
  wires: readonly { source: string; target: string }[] = [],
): PositionedNode[] {
  const at = new Map(base.map((node) => [node.id, node.position]));
  const xs = base.map((node) => node.position.x);
  const ys = base.map((node) => node.position.y);
  const left = xs.length ? Math.min(...xs) : 0;
  const bottom = ys.length ? Math.max(...ys) + 200 : 0;
  const placed: PositionedNode[] = [];
  for (const id of extraIds) {
    const neighbours = wires
      .flatMap((wire) => (wire.source === id ? [wire.target] : wire.target === id ? [wire.source] : []))
      .map((other) => at.get(other)?.x)
      .filter((x): x is number => x !== undefined);
    let x = neighbours.length ? Math.round(neighbours.reduce((sum, value) => sum + value, 0) / neighbours.length) : left;
    // Keep clear of the steps already placed in the row.
    while (placed.some((other) => Math.abs(other.position.x - x) < 230)) x += 240;
    placed.push({ id, position: { x, y: bottom } });
  }
  return placed;
}

/** Input and output handle names of each node, read off the wires so any step (even an unknown one) draws them. */
export function handlesFromEdges(
  edges: readonly { source: string; sourceHandle: string; target: string; targetHandle: string }[],
): Map<string, { inputs: string[]; outputs: string[] }> {
  const handles = new Map<string, { inputs: string[]; outputs: string[] }>();
  const entry = (id: string) => {
    let found = handles.get(id);
    if (!found) handles.set(id, (found = { inputs: [], outputs: [] }));
    return found;
  };
  for (const edge of edges) {
    const source = entry(edge.source);
    if (!source.outputs.includes(edge.sourceHandle)) source.outputs.push(edge.sourceHandle);
    const target = entry(edge.target);
    if (!target.inputs.includes(edge.targetHandle)) target.inputs.push(edge.targetHandle);
  }
  return handles;
}

export interface HistoryPoint {
  startedAt: number;
  value: number;
}

// Axis ranges come from the chart kit, so the compare page pads its axes as the other charts do.
export { extent as axisRange } from '../../charts/extent';
