import type { TablePreview } from '../../../nodes/preview';
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { AxisTitles, Grid, PlotArea, svgFrame, type PlotBox } from '../../../charts/frame';
import { Legend } from '../../../charts/Legend';
import { CHART_INK, FONT_SIZE } from '../../../charts/theme';
import { formatPercent } from '../../_components/format';

type Components = NonNullable<TablePreview['explainedVariance']>;

const HEIGHT = 220;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** A slot per component, wide enough for its label and narrow enough that ten fit beside the table. */
function varianceGeometry(components: Components) {
  const slot = Math.max(28, Math.min(64, 480 / Math.max(1, components.length)));
  const box: PlotBox = { width: 44 + 12 + slot * components.length, height: HEIGHT, left: 44, right: 12, top: 12, bottom: 36 };
  const x = scaleBand<string>()
    .domain(components.map((item) => item.component))
    .range([box.left, box.width - box.right])
    .paddingInner(0.36)
    .paddingOuter(0.18)
    .round(true);
  const y = scaleLinear().domain([0, 1]).range([HEIGHT - box.bottom, box.top]).clamp(true);
  const middle = (item: Components[number]) => (x(item.component) ?? 0) + x.bandwidth() / 2;
  const runningTotal = line<Components[number]>().x(middle).y((item) => y(item.cumulative)).digits(1);
  return { box, x, y, middle, path: runningTotal(components) ?? '' };
}

/** Bars: the share of the variation each component keeps; line: the running total. */
export function ExplainedVariance({ components }: { components: Components }) {
  const { box, x, y, middle, path } = varianceGeometry(components);
  const last = components[components.length - 1];
  return (
    <div className="explained-variance" data-testid="explained-variance">
      <figure className="chart" style={{ margin: 0 }}>
        <svg {...svgFrame(box)} role="img" aria-label="Variation explained by each component">
          <PlotArea box={box} />
          <Grid box={box} y={y} yTicks={TICKS} formatY={(tick) => `${tick * 100}%`} />
          {components.map((item) => (
            <g key={item.component} data-component={item.component}>
              <title>{`${item.component}: ${formatPercent(item.ratio)} (total ${formatPercent(item.cumulative)})`}</title>
              <rect x={x(item.component)} y={y(item.ratio)} width={x.bandwidth()} height={Math.max(0, y(0) - y(item.ratio))} rx={2} fill={CHART_INK.barSoft} />
              <text x={middle(item)} y={y(0) + 14} textAnchor="middle" fontSize={FONT_SIZE.tick} fill={CHART_INK.muted}>
                {item.component}
              </text>
            </g>
          ))}
          <path d={path} fill="none" stroke={CHART_INK.accent} strokeWidth={2} />
          {components.map((item) => (
            <circle key={item.component} cx={middle(item)} cy={y(item.cumulative)} r={3} fill="#fff" stroke={CHART_INK.accent} strokeWidth={2} />
          ))}
          <AxisTitles box={box} x="Component" />
        </svg>
        <Legend
          entries={[
            { id: 'share', color: CHART_INK.barSoft, label: 'Share of the variation' },
            { id: 'total', color: CHART_INK.accent, swatch: 'line', label: 'Running total' },
          ]}
        />
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
