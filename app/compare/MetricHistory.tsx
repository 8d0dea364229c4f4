'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { memo, useMemo, useState } from 'react';
import { formatNumber, formatTime, isLowerBetter, metricLabel } from '../_components/format';
import { PlotArea, Grid, svgFrame, type PlotBox } from '../../charts/frame';
import { CHART_INK, FONT_SIZE } from '../../charts/theme';
import { errorMessage, useTRPC } from '../trpc';
import { axisRange, runColor, runTag } from './compare-model';
import type { MetricHistoryPoint } from './types';

const HISTORY_BOX: PlotBox = { width: 760, height: 240, left: 56, right: 16, top: 22, bottom: 34 };
const LINE_COLOR = '#94a3b8';
const DOT_COLOR = '#64748b';
const VERSION_COLOR = '#a5b4fc';
const VERSION_TEXT_COLOR = '#4f46e5';
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

function historyGeometry(points: MetricHistoryPoint[]) {
  const bottom = HISTORY_BOX.height - HISTORY_BOX.bottom;
  const x = scaleLinear().domain(axisRange(points.map((point) => point.startedAt), 0.02)).range([HISTORY_BOX.left, HISTORY_BOX.width - HISTORY_BOX.right]);
  const y = scaleLinear().domain(axisRange(points.map((point) => point.value), 0.1)).range([bottom, HISTORY_BOX.top]);
  const path = line<MetricHistoryPoint>().x((point) => x(point.startedAt)).y((point) => y(point.value)).digits(1)(points) ?? '';
  const versionMarks = labelledMarks(points.filter((point, i) => i > 0 && point.pipelineVersion !== points[i - 1].pipelineVersion), x);
  const [v0, v1] = y.domain();
  const [t0, t1] = x.domain();
  // Four value ticks and three dates (start, middle, end) keep the labels clear of each other on a phone.
  const yTicks = [0, 1, 2, 3].map((step) => v0 + ((v1 - v0) * step) / 3);
  const xTicks = [t0, (t0 + t1) / 2, t1];
  return { x, y, path, versionMarks, yTicks, xTicks, bottom };
}

function HistoryChart({ points, metric, highlight }: { points: MetricHistoryPoint[]; metric: string; highlight: Map<string, number> }) {
  const { x, y, path, versionMarks, yTicks, xTicks, bottom } = useMemo(() => historyGeometry(points), [points]);
  const dots = points.length <= MAX_DOTS ? points : points.filter((point) => highlight.has(point.runId));
  return (
    <svg
      {...svgFrame(HISTORY_BOX)}
      // Fills the section's width up to its drawn size; the compare stylesheet adds the frame around it.
      style={{ display: 'block', width: '100%', maxWidth: HISTORY_BOX.width, height: 'auto' }}
      className="history-chart"
      role="img"
      aria-label={`${metricLabel(metric)} over time`}
      data-testid="metric-history-chart"
    >
      <PlotArea box={HISTORY_BOX} />
      <Grid box={HISTORY_BOX} y={y} yTicks={yTicks} formatY={(tick) => formatNumber(tick)} />
      <g fontSize={FONT_SIZE.value} fill={CHART_INK.muted}>
        {xTicks.map((tick, i) => (
          <text key={tick} x={x(tick)} y={bottom + 16} textAnchor={i === 0 ? 'start' : i === 2 ? 'end' : 'middle'}>{dayLabel(tick)}</text>
        ))}
      </g>
      {versionMarks.map((point) => (
        <g key={`v-${point.runId}`}>
          <line x1={x(point.startedAt)} x2={x(point.startedAt)} y1={HISTORY_BOX.top} y2={bottom} stroke={VERSION_COLOR} strokeDasharray="3 3" />
          {point.labelled && (
            <text x={x(point.startedAt) + 3} y={HISTORY_BOX.top - 6} fontSize={FONT_SIZE.value} fill={VERSION_TEXT_COLOR}>
              {point.pipelineVersion !== null ? `v${point.pipelineVersion}` : ''}
            </text>
          )}
        </g>
      ))}
      <path d={path} fill="none" stroke={LINE_COLOR} strokeWidth={1.5} />
      {dots.map((point) => {
        const index = highlight.get(point.runId);
        const picked = index !== undefined;
        return (
          <circle
            key={point.runId}
            cx={x(point.startedAt)}
            cy={y(point.value)}
            r={picked ? 5 : 2.5}
            fill={picked ? runColor(index) : DOT_COLOR}
            stroke={picked ? '#fff' : undefined}
            strokeWidth={picked ? 1.5 : undefined}
          >
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
