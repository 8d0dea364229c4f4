import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { ReactNode } from 'react';
import { AxisTitles, DIAGONAL_STYLE, Grid, innerHeight, innerWidth, PlotArea, svgFrame, type PlotBox } from './frame';
import { formatNumber } from './format';
import { Legend, type LegendEntry } from './Legend';
import { CHART_INK, seriesColor } from './theme';

export const ROC_BOX: PlotBox = { width: 340, height: 320, left: 48, right: 14, top: 12, bottom: 42 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];
const RANDOM_GUESS = 'Guessing at random';

/** How to read a ROC chart, in words, under the chart in the app and in the report. */
export const ROC_EXPLAINED =
  'Each curve traces the share of real positives a model finds (up) against the share of false alarms (right) as it is allowed to flag more rows. The closer to the top-left corner, the better; the dashed diagonal is guessing.';

/** Rates run from 0 to 1 on both axes; the y range is flipped because SVG counts down from the top. */
export const rocX = scaleLinear().domain([0, 1]).range([ROC_BOX.left, ROC_BOX.left + innerWidth(ROC_BOX)]);
export const rocY = scaleLinear().domain([0, 1]).range([ROC_BOX.top + innerHeight(ROC_BOX), ROC_BOX.top]);

const rocLine = line<[number, number]>()
  .x(([fpr]) => rocX(fpr))
  .y(([, tpr]) => rocY(tpr))
  .digits(1);

export function curvePath(roc: { fpr: number[]; tpr: number[] }): string {
  const count = Math.min(roc.fpr.length, roc.tpr.length);
  return rocLine(Array.from({ length: count }, (_, i) => [roc.fpr[i], roc.tpr[i]] as [number, number])) ?? '';
}

/** One line on a ROC chart: a model, or a run when runs are compared. */
export interface RocCurve {
  id: string;
  label: string;
  color: string;
  fpr: number[];
  tpr: number[];
  /** Shown muted after the label, e.g. "AUC 0.91". */
  extra?: string;
}

/** What a model's evaluation gives a ROC chart; the app's and the report's evaluations both fit. */
export interface ModelWithRoc {
  nodeId: string;
  model: string;
  roc?: { fpr: number[]; tpr: number[] } | null;
  metrics: Record<string, number>;
}

/** One curve per model that has one, coloured by the model's place in the evaluation. */
export function rocCurvesOfModels(models: readonly ModelWithRoc[]): RocCurve[] {
  return models.flatMap((model, index) =>
    model.roc && model.roc.fpr.length > 0
      ? [
          {
            id: model.nodeId,
            label: model.model,
            color: seriesColor(index),
            fpr: model.roc.fpr,
            tpr: model.roc.tpr,
            extra: model.metrics.rocAuc !== undefined ? `AUC ${formatNumber(model.metrics.rocAuc)}` : undefined,
          },
        ]
      : [],
  );
}

function RocAxes() {
  return (
    <>
      <PlotArea box={ROC_BOX} />
      <Grid box={ROC_BOX} x={rocX} y={rocY} xTicks={TICKS} yTicks={TICKS} />
      <line x1={rocX(0)} y1={rocY(0)} x2={rocX(1)} y2={rocY(1)} {...DIAGONAL_STYLE} data-testid="roc-diagonal">
        <title>{RANDOM_GUESS}</title>
      </line>
      <AxisTitles box={ROC_BOX} x="False positive rate" y="True positive rate" />
    </>
  );
}

export interface RocPlotProps {
  curves: RocCurve[];
  /** The curve drawn on top and thicker; none when null. */
  selected?: string | null;
  /** Makes curves and legend entries clickable (the app); the report leaves it out. */
  onSelect?(id: string): void;
  testId?: string;
  ariaLabel: string;
  caption?: ReactNode;
  className?: string;
}

/** ROC curves on one chart: the closer a curve hugs the top-left corner, the better. */
export function RocPlot({ curves, selected = null, onSelect, testId = 'roc-chart', ariaLabel, caption, className = '' }: RocPlotProps) {
  const shown = curves.filter((curve) => curve.fpr.length > 0);
  if (shown.length === 0) return null;
  // The chosen curve is drawn last, so it sits on top of the others.
  const ordered = [...shown].sort((a, b) => Number(a.id === selected) - Number(b.id === selected));
  const legend: LegendEntry[] = [
    ...shown.map((curve) => ({ id: curve.id, color: curve.color, label: curve.label, extra: curve.extra })),
    { id: 'random-guess', color: CHART_INK.muted, swatch: 'dashed-line' as const, label: RANDOM_GUESS, muted: true },
  ];
  return (
    <figure className={`chart roc-chart ${className}`.trim()} data-testid={testId} style={{ margin: 0, maxWidth: ROC_BOX.width }}>
      <svg {...svgFrame(ROC_BOX)} role="img" aria-label={ariaLabel}>
        <RocAxes />
        {ordered.map((curve) => {
          const picked = curve.id === selected;
          return (
            <path
              key={curve.id}
              d={curvePath(curve)}
              fill="none"
              stroke={curve.color}
              strokeWidth={picked ? 3 : 1.8}
              strokeOpacity={picked || selected === null ? 1 : 0.8}
              style={onSelect ? { cursor: 'pointer' } : undefined}
              data-testid={`roc-curve-${curve.id}`}
              onClick={onSelect && (() => onSelect(curve.id))}
            >
              <title>{curve.label}</title>
            </path>
          );
        })}
      </svg>
      <Legend entries={legend} selected={selected} onSelect={onSelect} testId="roc-legend" />
      {caption && <figcaption style={{ color: CHART_INK.muted, fontSize: 12 }}>{caption}</figcaption>}
    </figure>
  );
}
