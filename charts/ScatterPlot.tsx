import { scaleLinear } from 'd3-scale';
import { extent } from './extent';
import { AxisTitles, DIAGONAL_STYLE, Grid, svgFrame, type PlotBox } from './frame';
import { formatNumber } from './format';
import { CHART_INK, SERIES_COLORS } from './theme';

const SCATTER_BOX: PlotBox = { width: 320, height: 320, left: 44, right: 44, top: 44, bottom: 44 };
const DOT_COLOR = SERIES_COLORS[0];

export interface ActualPredicted {
  actual: number;
  predicted: number;
}

/** One scale for both axes, so the diagonal is the line of perfect predictions; rounded to tick values. */
export function scatterScales(points: readonly ActualPredicted[]) {
  const [low, high] = extent(points.flatMap((point) => [point.actual, point.predicted]), 0.05);
  const x = scaleLinear().domain([low, high]).range([SCATTER_BOX.left, SCATTER_BOX.width - SCATTER_BOX.right]).nice(4);
  const y = scaleLinear().domain(x.domain()).range([SCATTER_BOX.height - SCATTER_BOX.bottom, SCATTER_BOX.top]);
  return { x, y };
}

/** Predicted against actual values; points on the dashed diagonal are perfect predictions. */
export function ScatterPlot({ points }: { points: ActualPredicted[] }) {
  const { x, y } = scatterScales(points);
  const [low, high] = x.domain();
  const ticks = x.ticks(4);
  const label = (value: number) => formatNumber(value, 1);
  return (
    <figure className="scatter" data-testid="scatter-plot" style={{ margin: 0, maxWidth: SCATTER_BOX.width }}>
      <svg {...svgFrame(SCATTER_BOX)} role="img" aria-label="Predicted versus actual values">
        <rect x={x(low)} y={y(high)} width={x(high) - x(low)} height={y(low) - y(high)} fill={CHART_INK.plotFill} stroke={CHART_INK.border} />
        <Grid box={SCATTER_BOX} x={x} y={y} xTicks={ticks} yTicks={ticks} formatX={label} formatY={label} />
        <line x1={x(low)} y1={y(low)} x2={x(high)} y2={y(high)} {...DIAGONAL_STYLE} data-testid="scatter-diagonal" />
        <g fill={DOT_COLOR} fillOpacity={0.55} stroke={DOT_COLOR} strokeWidth={0.5}>
          {points.map((point, index) => (
            <circle key={index} cx={x(point.actual)} cy={y(point.predicted)} r={3} />
          ))}
        </g>
        <AxisTitles box={SCATTER_BOX} x="Actual value" y="Predicted value" />
      </svg>
      <figcaption style={{ color: CHART_INK.muted, fontSize: 12 }}>
        Each dot is a test row. Dots on the dashed line were predicted exactly; the further away, the bigger the miss.
      </figcaption>
    </figure>
  );
}
