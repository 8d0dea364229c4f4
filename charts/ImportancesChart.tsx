import { scaleLinear } from 'd3-scale';
import { formatNumber } from './format';
import { formatPercent } from '../models/evaluation/metric-vocabulary';
import { svgFrame } from './frame';
import { CHART_INK, FONT_SIZE } from './theme';

const ROW = 22;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 220;
const VALUE_WIDTH = 56;
const SHOWN = 15;

function clip(text: string, max = 22): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface Importance {
  feature: string;
  importance: number;
}

/** Horizontal bars: how much of the model's decisions each column accounts for, largest first. */
export function ImportancesChart({ importances }: { importances: Importance[] }) {
  const sorted = [...importances].sort((a, b) => b.importance - a.importance);
  const shown = sorted.slice(0, SHOWN);
  const rest = sorted.length - shown.length;
  const length = scaleLinear()
    .domain([0, Math.max(...shown.map((item) => item.importance), 1e-12)])
    .range([0, BAR_WIDTH])
    .clamp(true);
  // Shares of one add up to a whole and read best as percentages; other scores keep their own units.
  const shares = sorted.every((item) => item.importance >= 0 && item.importance <= 1);
  const format = (value: number) => (shares ? formatPercent(value) : formatNumber(value));
  const frame = { width: LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH, height: shown.length * ROW + 4 };
  return (
    <figure className="chart importances" data-testid="importances" style={{ margin: 0 }}>
      <svg {...svgFrame(frame)} role="img" aria-label="Importance of each column">
        {shown.map((item, index) => {
          const top = index * ROW + 2;
          return (
            <g key={item.feature} data-feature={item.feature}>
              <title>{`${item.feature}: ${format(item.importance)}`}</title>
              <text x={LABEL_WIDTH - 8} y={top + ROW / 2 + 2} textAnchor="end" fontSize={FONT_SIZE.label} fill={CHART_INK.text}>
                {clip(item.feature)}
              </text>
              <rect x={LABEL_WIDTH} y={top + 4} width={BAR_WIDTH} height={ROW - 8} rx={2} fill={CHART_INK.barTrack} />
              <rect x={LABEL_WIDTH} y={top + 4} width={length(item.importance)} height={ROW - 8} rx={2} fill={CHART_INK.bar} />
              <text x={LABEL_WIDTH + BAR_WIDTH + 6} y={top + ROW / 2 + 2} fontSize={FONT_SIZE.value} fill={CHART_INK.muted}>
                {format(item.importance)}
              </text>
            </g>
          );
        })}
      </svg>
      {rest > 0 && (
        <figcaption style={{ color: CHART_INK.muted, fontSize: 12 }}>…and {rest} more columns with smaller shares.</figcaption>
      )}
    </figure>
  );
}
