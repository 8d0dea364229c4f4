import { formatNumber } from '../../_components/format';

const SIZE = 320;
const PAD = 44;

function niceBounds(values: number[]): [number, number] {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [0, 1];
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const margin = (high - low) * 0.05;
  return [low - margin, high + margin];
}

/** Predicted against actual values; points on the dashed diagonal are perfect predictions. */
export function ScatterPlot({ points }: { points: { actual: number; predicted: number }[] }) {
  const [low, high] = niceBounds(points.flatMap((point) => [point.actual, point.predicted]));
  const scale = (value: number) => PAD + ((value - low) / (high - low)) * (SIZE - 2 * PAD);
  const flip = (value: number) => SIZE - scale(value);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => low + share * (high - low));
  return (
    <figure className="scatter" data-testid="scatter-plot">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label="Predicted versus actual values">
        <rect x={PAD} y={PAD} width={SIZE - 2 * PAD} height={SIZE - 2 * PAD} className="plot-area" />
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={scale(tick)} x2={scale(tick)} y1={PAD} y2={SIZE - PAD} className="grid-line" />
            <line x1={PAD} x2={SIZE - PAD} y1={flip(tick)} y2={flip(tick)} className="grid-line" />
            <text x={scale(tick)} y={SIZE - PAD + 14} textAnchor="middle" className="tick">
              {formatNumber(tick, 1)}
            </text>
            <text x={PAD - 6} y={flip(tick) + 3} textAnchor="end" className="tick">
              {formatNumber(tick, 1)}
            </text>
          </g>
        ))}
        <line x1={scale(low)} y1={flip(low)} x2={scale(high)} y2={flip(high)} className="diagonal" data-testid="scatter-diagonal" />
        {points.map((point, index) => (
          <circle key={index} cx={scale(point.actual)} cy={flip(point.predicted)} r={3} className="dot" />
        ))}
        <text x={SIZE / 2} y={SIZE - 6} textAnchor="middle" className="axis-label">
          Actual value
        </text>
        <text x={12} y={SIZE / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${SIZE / 2})`}>
          Predicted value
        </text>
      </svg>
      <figcaption className="muted small">
        Each dot is a test row. Dots on the dashed line were predicted exactly; the further away, the bigger the miss.
      </figcaption>
    </figure>
  );
}
