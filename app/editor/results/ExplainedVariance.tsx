import type { TablePreview } from '../../../nodes/preview';
import { formatPercent } from '../../_components/format';

type Components = NonNullable<TablePreview['explainedVariance']>;

const HEIGHT = 220;
const LEFT = 44;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 36;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Bars: the share of the variation each component keeps; line: the running total. */
export function ExplainedVariance({ components }: { components: Components }) {
  const slot = Math.max(28, Math.min(64, 480 / Math.max(1, components.length)));
  const width = LEFT + RIGHT + slot * components.length;
  const y = (share: number) => TOP + (1 - Math.min(1, Math.max(0, share))) * PLOT_H;
  const cx = (index: number) => LEFT + slot * index + slot / 2;
  const line = components.map((item, index) => `${index === 0 ? 'M' : 'L'}${cx(index).toFixed(1)},${y(item.cumulative).toFixed(1)}`).join(' ');
  const last = components[components.length - 1];
  return (
    <div className="explained-variance" data-testid="explained-variance">
      <figure className="chart">
        <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label="Variation explained by each component">
          <rect x={LEFT} y={TOP} width={width - LEFT - RIGHT} height={PLOT_H} className="plot-area" />
          {TICKS.map((tick) => (
            <g key={tick}>
              <line x1={LEFT} x2={width - RIGHT} y1={y(tick)} y2={y(tick)} className="grid-line" />
              <text x={LEFT - 6} y={y(tick) + 3} textAnchor="end" className="tick">
                {tick * 100}%
              </text>
            </g>
          ))}
          {components.map((item, index) => (
            <g key={item.component} data-component={item.component}>
              <title>{`${item.component}: ${formatPercent(item.ratio)} (total ${formatPercent(item.cumulative)})`}</title>
              <rect
                x={LEFT + slot * index + slot * 0.18}
                y={y(item.ratio)}
                width={slot * 0.64}
                height={Math.max(0, TOP + PLOT_H - y(item.ratio))}
                className="bar"
                rx={2}
              />
              <text x={cx(index)} y={TOP + PLOT_H + 14} textAnchor="middle" className="tick">
                {item.component}
              </text>
            </g>
          ))}
          <path d={line} className="cumulative-line" />
          {components.map((item, index) => (
            <circle key={item.component} cx={cx(index)} cy={y(item.cumulative)} r={3} className="cumulative-dot" />
          ))}
          <text x={LEFT + (width - LEFT - RIGHT) / 2} y={HEIGHT - 4} textAnchor="middle" className="axis-label">
            Component
          </text>
        </svg>
        <figcaption className="chart-legend">
          <span>
            <span className="swatch swatch-bar" aria-hidden /> Share of the variation
          </span>
          <span>
            <span className="swatch swatch-line" aria-hidden /> Running total
          </span>
        </figcaption>
      </figure>
      <div>
        {last && (
          <p className="small">
            Together the {components.length} components keep <strong>{formatPercent(last.cumulative)}</strong> of the variation
            in the original columns.
          </p>
        )}
        <table className="data-table compact loadings-table" data-testid="component-loadings">
          <thead>
            <tr>
              <th>Component</th>
              <th className="num">Share</th>
              <th>Made mostly of</th>
            </tr>
          </thead>
          <tbody>
            {components.map((item) => (
              <tr key={item.component}>
                <td>{item.component}</td>
                <td className="num">{formatPercent(item.ratio)}</td>
                <td className="small">{item.topLoadings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
