'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import { memo, useMemo, useState } from 'react';
import { formatNumber, formatTime, isLowerBetter, metricLabel } from '../_components/format';
import { errorMessage, useTRPC } from '../trpc';
import { axisRange, runColor, runTag } from './compare-model';
import type { MetricHistoryPoint } from './types';

const WIDTH = 760;
const HEIGHT = 240;
const LEFT = 56;
const RIGHT = 16;
const TOP = 22;
const BOTTOM = 34;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
/** Above this many points only the line and the compared runs get dots. */
const MAX_DOTS = 400;

function dayLabel(time: number): string {
  return new Date(time).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Version marks, with a label only where it does not run into the previous one. */
function labelledMarks(marks: MetricHistoryPoint[], x: (time: number) => number) {
  let lastLabel = -Infinity;
  return marks.map((mark) => {
    const labelled = x(mark.startedAt) - lastLabel > 30;
    if (labelled) lastLabel = x(mark.startedAt);
    return { ...mark, labelled };
  });
}

function HistoryChart({ points, metric, highlight }: { points: MetricHistoryPoint[]; metric: string; highlight: Map<string, number> }) {
  const geometry = useMemo(() => {
    const [t0, t1] = axisRange(points.map((point) => point.startedAt), 0.02);
    const [v0, v1] = axisRange(points.map((point) => point.value), 0.1);
    const x = (time: number) => LEFT + ((time - t0) / (t1 - t0)) * PLOT_W;
    const y = (value: number) => TOP + (1 - (value - v0) / (v1 - v0)) * PLOT_H;
    const line = points.map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.startedAt).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
    const versionMarks = labelledMarks(points.filter((point, i) => i > 0 && point.pipelineVersion !== points[i - 1].pipelineVersion), x);
    const yTicks = [0, 1, 2, 3].map((step) => v0 + ((v1 - v0) * step) / 3);
    const xTicks = [t0, (t0 + t1) / 2, t1];
    return { x, y, line, versionMarks, yTicks, xTicks };
  }, [points]);
  const { x, y, line, versionMarks, yTicks, xTicks } = geometry;
  const dots = points.length <= MAX_DOTS ? points : points.filter((point) => highlight.has(point.runId));
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="history-chart" role="img" aria-label={`${metricLabel(metric)} over time`} data-testid="metric-history-chart">
      <rect x={LEFT} y={TOP} width={PLOT_W} height={PLOT_H} className="plot-area" />
      {yTicks.map((tick) => (
        <g key={tick}>
          <line x1={LEFT} x2={LEFT + PLOT_W} y1={y(tick)} y2={y(tick)} className="grid-line" />
          <text x={LEFT - 6} y={y(tick) + 3} textAnchor="end" className="tick">{formatNumber(tick)}</text>
        </g>
      ))}
      {xTicks.map((tick, i) => (
        <text key={tick} x={x(tick)} y={TOP + PLOT_H + 16} textAnchor={i === 0 ? 'start' : i === 2 ? 'end' : 'middle'} className="tick">{dayLabel(tick)}</text>
      ))}
      {versionMarks.map((point) => (
        <g key={`v-${point.runId}`} className="version-mark">
          <line x1={x(point.startedAt)} x2={x(point.startedAt)} y1={TOP} y2={TOP + PLOT_H} />
          {point.labelled && <text x={x(point.startedAt) + 3} y={TOP - 6}>{point.pipelineVersion !== null ? `v${point.pipelineVersion}` : ''}</text>}
        </g>
      ))}
      <path d={line} className="history-line" />
      {dots.map((point) => {
        const index = highlight.get(point.runId);
        const picked = index !== undefined;
        return (
          <circle key={point.runId} cx={x(point.startedAt)} cy={y(point.value)} r={picked ? 5 : 2.5} className={picked ? 'history-dot picked' : 'history-dot'} style={picked ? { fill: runColor(index) } : undefined}>
            <title>
              {`${picked ? `${runTag(index)} · ` : ''}${formatTime(point.startedAt)}${point.pipelineVersion !== null ? ` · v${point.pipelineVersion}` : ''}: ${formatNumber(point.value)}`}
            </title>
          </circle>
        );
      })}
    </svg>
  );
}

interface MetricHistoryProps {
  pipelineId: string | null;
  pipelineName: string | null;
  metricNames: string[];
  /** Compared run id → its index, to mark those runs on the line. */
  highlight: Map<string, number>;
}

/** A score of every run of run #1's pipeline over time, with the compared runs marked. */
export const MetricHistory = memo(function MetricHistory({ pipelineId, pipelineName, metricNames, highlight }: MetricHistoryProps) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<string | null>(null);
  const metric = chosen ?? metricNames[0] ?? null;
  const history = useQuery(trpc.runs.metricHistory.queryOptions(pipelineId && metric ? { pipelineId, metric } : skipToken));
  return (
    <section className="compare-section" data-testid="metric-history">
      <div className="section-head">
        <h2>Over time{pipelineName ? `: ${pipelineName}` : ''}</h2>
        {metricNames.length > 0 && pipelineId && (
          <select value={metric ?? ''} onChange={(event) => setChosen(event.target.value)} aria-label="Score to chart" data-testid="metric-history-metric" className="inline-select">
            {metricNames.map((name) => (
              <option key={name} value={name}>{metricLabel(name)}</option>
            ))}
          </select>
        )}
      </div>
      {!pipelineId && <p className="muted">Run #1 was not started from a saved pipeline, so it has no history to chart.</p>}
      {pipelineId && !metric && <p className="muted">These runs have no scores to chart.</p>}
      {history.isPending && pipelineId && metric && <p className="muted">Loading…</p>}
      {history.error && <p className="error-text">The history could not be loaded: {errorMessage(history.error)}</p>}
      {history.data && history.data.length === 0 && <p className="muted">No finished run of this pipeline recorded this score.</p>}
      {history.data && history.data.length > 0 && metric && (
        <>
          <p className="muted small">
            {metricLabel(metric)} of every run of this pipeline ({history.data.length.toLocaleString('en-US')}), oldest on the left
            {isLowerBetter(metric) ? '; lower is better' : '; higher is better'}. Dashed lines mark a new saved version; the compared runs are the coloured dots.
          </p>
          <HistoryChart points={history.data} metric={metric} highlight={highlight} />
        </>
      )}
    </section>
  );
});
