import type { ScaleLinear } from 'd3-scale';
import { CHART_INK, FONT_SIZE } from './theme';

/**
 * The parts every x/y chart shares: the plot background, grid lines with tick labels and the axis titles.
 * Colours and sizes are presentation attributes so a chart looks the same without the app's stylesheet.
 */

export interface PlotBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function innerWidth(box: PlotBox): number {
  return box.width - box.left - box.right;
}

export function innerHeight(box: PlotBox): number {
  return box.height - box.top - box.bottom;
}

export function PlotArea({ box }: { box: PlotBox }) {
  return <rect x={box.left} y={box.top} width={innerWidth(box)} height={innerHeight(box)} fill={CHART_INK.plotFill} stroke={CHART_INK.border} />;
}

interface GridProps {
  box: PlotBox;
  x?: ScaleLinear<number, number>;
  y?: ScaleLinear<number, number>;
  xTicks?: readonly number[];
  yTicks?: readonly number[];
  formatX?(value: number): string;
  formatY?(value: number): string;
}

/** Vertical lines at the x ticks, horizontal ones at the y ticks, each labelled outside the plot. */
export function Grid({ box, x, y, xTicks = [], yTicks = [], formatX = String, formatY = String }: GridProps) {
  const bottom = box.height - box.bottom;
  return (
    <g fontSize={FONT_SIZE.tick} fill={CHART_INK.muted}>
      {x &&
        xTicks.map((tick) => (
          <g key={`x${tick}`}>
            <line x1={x(tick)} x2={x(tick)} y1={box.top} y2={bottom} stroke={CHART_INK.grid} />
            <text x={x(tick)} y={bottom + 14} textAnchor="middle">
              {formatX(tick)}
            </text>
          </g>
        ))}
      {y &&
        yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={box.left} x2={box.width - box.right} y1={y(tick)} y2={y(tick)} stroke={CHART_INK.grid} />
            <text x={box.left - 6} y={y(tick) + 3} textAnchor="end">
              {formatY(tick)}
            </text>
          </g>
        ))}
    </g>
  );
}

/** The x title under the plot and the y title turned up along its left side. */
export function AxisTitles({ box, x, y, yTitleX = 12 }: { box: PlotBox; x?: string; y?: string; yTitleX?: number }) {
  const middleY = box.top + innerHeight(box) / 2;
  return (
    <g fontSize={FONT_SIZE.label} fill={CHART_INK.text} textAnchor="middle">
      {x && (
        <text x={box.left + innerWidth(box) / 2} y={box.height - 6}>
          {x}
        </text>
      )}
      {y && (
        <text x={yTitleX} y={middleY} transform={`rotate(-90 ${yTitleX} ${middleY})`}>
          {y}
        </text>
      )}
    </g>
  );
}

/** A dashed line from one corner of the data to the other: where a perfect or a random answer would lie. */
export const DIAGONAL_STYLE = { stroke: CHART_INK.muted, strokeDasharray: '5 4', strokeWidth: 1.2 } as const;

/** The root `<svg>` attributes every chart shares: a fixed drawing size that shrinks with the page. */
export function svgFrame(box: Pick<PlotBox, 'width' | 'height'>) {
  return {
    viewBox: `0 0 ${box.width} ${box.height}`,
    width: box.width,
    height: box.height,
    fontFamily: CHART_INK.font,
    style: { display: 'block', maxWidth: '100%', height: 'auto' },
  } as const;
}
