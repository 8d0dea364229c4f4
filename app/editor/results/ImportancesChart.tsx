import { formatNumber, formatPercent } from '../../_components/format';

const ROW = 22;
const LABEL_W = 150;
const BAR_W = 220;
const VALUE_W = 56;
const SHOWN = 15;

function clip(text: string, max = 22): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Horizontal bars: how much of the model's decisions each column accounts for, largest first. */
export function ImportancesChart({ importances }: { importances: { feature: string; importance: number }[] }) {
  const sorted = [...importances].sort((a, b) => b.importance - a.importance);
  const shown = sorted.slice(0, SHOWN);
  const rest = sorted.length - shown.length;
  const max = Math.max(...shown.map((item) => item.importance), 1e-12);
  const shares = sorted.every((item) => item.importance >= 0 && item.importance <= 1);
  const width = LABEL_W + BAR_W + VALUE_W;
  const height = shown.length * ROW + 4;
  return (
    <figure className="chart importances" data-testid="importances">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label="Importance of each column">
        {shown.map((item, index) => {
          const top = index * ROW + 2;
          const length = Math.max(0, (item.importance / max) * BAR_W);
          return (
            <g key={item.feature} data-feature={item.feature}>
              <title>{`${item.feature}: ${shares ? formatPercent(item.importance) : formatNumber(item.importance)}`}</title>
              <text x={LABEL_W - 8} y={top + ROW / 2 + 2} textAnchor="end" className="bar-label">
                {clip(item.feature)}
              </text>
              <rect x={LABEL_W} y={top + 4} width={BAR_W} height={ROW - 8} className="bar-track" rx={2} />
              <rect x={LABEL_W} y={top + 4} width={length} height={ROW - 8} className="bar" rx={2} />
              <text x={LABEL_W + BAR_W + 6} y={top + ROW / 2 + 2} className="bar-value">
                {shares ? formatPercent(item.importance) : formatNumber(item.importance)}
              </text>
            </g>
          );
        })}
      </svg>
      {rest > 0 && <figcaption className="muted small">…and {rest} more columns with smaller shares.</figcaption>}
    </figure>
  );
}
