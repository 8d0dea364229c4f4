import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { AxisTitles, Grid, innerHeight, innerWidth, PlotArea, svgFrame, type PlotBox } from './frame';
import { Legend } from './Legend';

export const TIME_SERIES_BOX: PlotBox = { width: 520, height: 200, left: 52, right: 14, top: 12, bottom: 36 };

/** One line over time; a null value is a gap (e.g. no latency in a minute without requests). */
export interface TimeSeries {
  id: string;
  label: string;
  color: string;
  values: (number | null)[];
}

interface TimeSeriesChartProps {
  times: number[];
  series: TimeSeries[];
  yTitle: string;
  formatTime(ms: number): string;
  formatValue?(value: number): string;
  testId?: string;
}

/** Lines over a shared time axis, the y axis from zero to a round number above the largest value. */
export function TimeSeriesChart({ times, series, yTitle, formatTime, formatValue = String, testId }: TimeSeriesChartProps) {
  const box = TIME_SERIES_BOX;
  const largest = Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const x = scaleLinear()
    .domain([times[0] ?? 0, times[times.length - 1] ?? 1])
    .range([box.left, box.left + innerWidth(box)]);
  const y = scaleLinear()
    .domain([0, largest > 0 ? largest : 1])
    .nice(4)
    .range([box.top + innerHeight(box), box.top]);
  const draw = line<[number, number | null]>()
    .defined(([, value]) => value !== null)
    .x(([time]) => x(time))
    .y(([, value]) => y(value ?? 0))
    .digits(1);
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <svg {...svgFrame(box)} role="img" aria-label={`${yTitle} over time`}>
        <PlotArea box={box} />
        <Grid box={box} x={x} y={y} xTicks={x.ticks(5)} yTicks={y.ticks(4)} formatX={formatTime} formatY={formatValue} />
        {series.map((s) => (
          <g key={s.id}>
            <path d={draw(times.map((time, i) => [time, s.values[i] ?? null])) ?? ''} fill="none" stroke={s.color} strokeWidth={1.8} />
            {/* A value between two gaps has no line to draw; its dot still shows it. */}
            {times.map((time, i) => {
              const value = s.values[i];
              const alone = value != null && s.values[i - 1] == null && s.values[i + 1] == null;
              return alone ? <circle key={time} cx={x(time).toFixed(1)} cy={y(value).toFixed(1)} r={2.5} fill={s.color} /> : null;
            })}
          </g>
        ))}
        <AxisTitles box={box} y={yTitle} />
      </svg>
      <Legend entries={series.map((s) => ({ id: s.id, color: s.color, swatch: 'line', label: s.label }))} />
    </figure>
  );
}
