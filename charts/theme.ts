/**
 * One palette for every chart, in the app and in the HTML report. Colours are plain hex values (not CSS
 * variables) because the report is a standalone page without the app's stylesheet: the chart components
 * put them on SVG presentation attributes and inline styles.
 */

/** Lines and bars of one chart, one per model or class, in order. */
export const SERIES_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#475569'];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/** Twenty clearly different colours, one per compared run, in order. */
export const RUN_COLORS = [
  '#2563eb', '#ea580c', '#16a34a', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#475569', '#dc2626', '#65a30d',
  '#7c3aed', '#0d9488', '#c2410c', '#4f46e5', '#be185d', '#0369a1', '#a16207', '#15803d', '#9f1239', '#334155',
];

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length];
}

/** The neutral parts of a chart: plot background, grid, ticks, labels, the "guessing" diagonal. */
export const CHART_INK = {
  text: '#1c2430',
  muted: '#64707f',
  border: '#dde3ea',
  plotFill: '#fbfcfe',
  grid: '#eef1f5',
  tableHead: '#f0f3f7',
  barTrack: '#f0f3f7',
  bar: '#60a5fa',
  barSoft: '#93c5fd',
  accent: '#c2410c',
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
} as const;

export const FONT_SIZE = { tick: 9, label: 11, value: 10 } as const;

/**
 * Confusion-matrix shading: right answers green, mix-ups red, both stronger the larger their share of the
 * biggest cell. An empty mix-up stays white so the eye goes to the mistakes that happened.
 */
export function confusionCellColor(count: number, largest: number, right: boolean): string {
  const strength = count / Math.max(1, largest);
  if (right) return `rgba(22, 163, 74, ${(0.1 + strength * 0.5).toFixed(3)})`;
  return `rgba(220, 38, 38, ${count ? (0.08 + strength * 0.45).toFixed(3) : '0'})`;
}

/** Step categories, as on the canvas: a coloured edge tells data, preparation, model and evaluation apart. */
export const CATEGORY_COLORS: Record<string, string> = {
  data: '#0e7490',
  prepare: '#7c3aed',
  model: '#c2410c',
  evaluate: '#15803d',
};
export const UNKNOWN_CATEGORY_COLOR = '#64748b';

export function categoryColor(category: string | undefined): string {
  return (category && CATEGORY_COLORS[category]) || UNKNOWN_CATEGORY_COLOR;
}

/** A step box's fill and outline by how it ran; a step that has not run is white with a grey outline. */
export const NODE_STATUS_COLORS: Record<string, { fill: string; stroke: string }> = {
  done: { fill: '#ecfdf5', stroke: '#10b981' },
  failed: { fill: '#fef2f2', stroke: '#ef4444' },
  skipped: { fill: '#f9fafb', stroke: '#9ca3af' },
  cancelled: { fill: '#f9fafb', stroke: '#9ca3af' },
  running: { fill: '#eff6ff', stroke: '#3b82f6' },
  waiting: { fill: '#eff6ff', stroke: '#93c5fd' },
};
export const NODE_IDLE_COLORS = { fill: '#ffffff', stroke: '#64748b' };
export const WIRE_COLOR = '#94a3b8';
