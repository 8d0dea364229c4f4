import type { ReactNode } from 'react';
import type { ModelEvaluation } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';
import { seriesColor } from './palette';

const WIDTH = 340;
const HEIGHT = 320;
const LEFT = 48;
const RIGHT = 14;
const TOP = 12;
const BOTTOM = 42;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

const x = (fpr: number) => LEFT + fpr * PLOT_W;
const y = (tpr: number) => TOP + (1 - tpr) * PLOT_H;

export function curvePath(roc: { fpr: number[]; tpr: number[] }): string {
  const count = Math.min(roc.fpr.length, roc.tpr.length);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`${i === 0 ? 'M' : 'L'}${x(roc.fpr[i]).toFixed(1)},${y(roc.tpr[i]).toFixed(1)}`);
  return parts.join(' ');
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

interface RocPlotProps {
  curves: RocCurve[];
  selected: string | null;
  onSelect?(id: string): void;
  testId?: string;
  ariaLabel: string;
  caption: ReactNode;
  className?: string;
}

function RocAxes() {
  return (
    <>
      <rect x={LEFT} y={TOP} width={PLOT_W} height={PLOT_H} className="plot-area" />
      {TICKS.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={TOP} y2={TOP + PLOT_H} className="grid-line" />
          <line x1={LEFT} x2={LEFT + PLOT_W} y1={y(tick)} y2={y(tick)} className="grid-line" />
          <text x={x(tick)} y={TOP + PLOT_H + 14} textAnchor="middle" className="tick">
            {tick}
          </text>
          <text x={LEFT - 6} y={y(tick) + 3} textAnchor="end" className="tick">
            {tick}
          </text>
        </g>
      ))}
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} className="diagonal" data-testid="roc-diagonal">
        <title>Guessing at random</title>
      </line>
      <text x={LEFT + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle" className="axis-label">
        False positive rate
      </text>
      <text x={12} y={TOP + PLOT_H / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${TOP + PLOT_H / 2})`}>
        True positive rate
      </text>
    </>
  );
}

/** ROC curves on one chart: the closer a curve hugs the top-left corner, the better. */
export function RocPlot({ curves, selected, onSelect, testId = 'roc-chart', ariaLabel, caption, className = '' }: RocPlotProps) {
  const shown = curves.filter((curve) => curve.fpr.length > 0);
  if (shown.length === 0) return null;
  // The chosen curve is drawn last, so it sits on top of the others.
  const ordered = [...shown].sort((a, b) => Number(a.id === selected) - Number(b.id === selected));
  return (
    <figure className={`chart roc-chart ${className}`} data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={ariaLabel}>
        <RocAxes />
        {ordered.map((curve) => (
          <path
            key={curve.id}
            d={curvePath(curve)}
            className={`curve${curve.id === selected ? ' selected' : ''}`}
            stroke={curve.color}
            data-testid={`roc-curve-${curve.id}`}
            onClick={onSelect && (() => onSelect(curve.id))}
          >
            <title>{curve.label}</title>
          </path>
        ))}
      </svg>
      <ul className="chart-legend" data-testid="roc-legend">
        {shown.map((curve) => (
          <li key={curve.id} className={curve.id === selected ? 'selected' : undefined}>
            <button type="button" className="legend-button" onClick={onSelect && (() => onSelect(curve.id))}>
              <span className="swatch" style={{ background: curve.color }} aria-hidden />
              {curve.label}
              {curve.extra && <span className="muted legend-extra">{curve.extra}</span>}
            </button>
          </li>
        ))}
        <li className="muted">
          <span className="swatch swatch-dashed" aria-hidden />
          Guessing at random
        </li>
      </ul>
      <figcaption className="muted small">{caption}</figcaption>
    </figure>
  );
}

interface RocChartProps {
  models: ModelEvaluation[];
  selected: string;
  onSelect(nodeId: string): void;
}

/** ROC curves of every model of one evaluation. */
export function RocChart({ models, selected, onSelect }: RocChartProps) {
  const curves: RocCurve[] = models.flatMap((model, index) =>
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
  return (
    <RocPlot
      curves={curves}
      selected={selected}
      onSelect={onSelect}
      ariaLabel="ROC curves of the models"
      caption="Each curve traces the share of real positives a model finds (up) against the share of false alarms (right) as it is allowed to flag more rows. The closer to the top-left corner, the better; the dashed diagonal is guessing."
    />
  );
}
