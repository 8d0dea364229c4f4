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

function curvePath(roc: { fpr: number[]; tpr: number[] }): string {
  const count = Math.min(roc.fpr.length, roc.tpr.length);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`${i === 0 ? 'M' : 'L'}${x(roc.fpr[i]).toFixed(1)},${y(roc.tpr[i]).toFixed(1)}`);
  return parts.join(' ');
}

interface RocChartProps {
  models: ModelEvaluation[];
  selected: string;
  onSelect(nodeId: string): void;
}

/** ROC curves of every model on one chart: the closer a curve hugs the top-left corner, the better. */
export function RocChart({ models, selected, onSelect }: RocChartProps) {
  const curves = models
    .map((model, index) => ({ model, index, color: seriesColor(index) }))
    .filter((curve) => curve.model.roc && curve.model.roc.fpr.length > 0);
  if (curves.length === 0) return null;
  // The chosen model is drawn last, so it sits on top of the others.
  const ordered = [...curves].sort((a, b) => Number(a.model.nodeId === selected) - Number(b.model.nodeId === selected));
  return (
    <figure className="chart roc-chart" data-testid="roc-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label="ROC curves of the models">
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
        {ordered.map(({ model, color }) => (
          <path
            key={model.nodeId}
            d={curvePath(model.roc!)}
            className={`curve${model.nodeId === selected ? ' selected' : ''}`}
            stroke={color}
            data-testid={`roc-curve-${model.nodeId}`}
            onClick={() => onSelect(model.nodeId)}
          >
            <title>{model.model}</title>
          </path>
        ))}
        <text x={LEFT + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle" className="axis-label">
          False positive rate
        </text>
        <text
          x={12}
          y={TOP + PLOT_H / 2}
          textAnchor="middle"
          className="axis-label"
          transform={`rotate(-90 12 ${TOP + PLOT_H / 2})`}
        >
          True positive rate
        </text>
      </svg>
      <ul className="chart-legend" data-testid="roc-legend">
        {curves.map(({ model, color }) => (
          <li key={model.nodeId} className={model.nodeId === selected ? 'selected' : undefined}>
            <button type="button" className="legend-button" onClick={() => onSelect(model.nodeId)}>
              <span className="swatch" style={{ background: color }} aria-hidden />
              {model.model}
              {model.metrics.rocAuc !== undefined && (
                <span className="muted legend-extra">AUC {formatNumber(model.metrics.rocAuc)}</span>
              )}
            </button>
          </li>
        ))}
        <li className="muted">
          <span className="swatch swatch-dashed" aria-hidden />
          Guessing at random
        </li>
      </ul>
      <figcaption className="muted small">
        Each curve traces the share of real positives a model finds (up) against the share of false alarms (right) as it
        is allowed to flag more rows. The closer to the top-left corner, the better; the dashed diagonal is guessing.
      </figcaption>
    </figure>
  );
}
