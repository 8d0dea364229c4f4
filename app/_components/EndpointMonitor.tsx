'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart';
import { seriesColor } from '../../charts/theme';
import type { AppRouter } from '../../server/routers/app';
import { errorMessage, useTRPC } from '../trpc';
import { ShareBars } from './PhotoEndpoint';
import { OutcomesSection } from './EndpointOutcomes';
import styles from './EndpointsPage.module.css';
import ui from './ui.module.css';

type Report = inferRouterOutputs<AppRouter>['endpoints']['monitoring'];
type Window = Report['window'];
type Drift = Report['drift'][number];

const WINDOWS: { value: Window; label: string }[] = [
  { value: 'hour', label: 'Last hour' },
  { value: 'day', label: 'Last day' },
  { value: 'week', label: 'Last week' },
  { value: 'month', label: 'Last 30 days' },
];

/** New traffic is written every few seconds; the page asks as often (showing the last report while another period loads). */
const REFRESH_MS = 5_000;

const LEVEL_LOOK: Record<Drift['level'], { label: string; pill: string }> = {
  stable: { label: 'Stable', pill: ui.pillSucceeded },
  moderate: { label: 'Moderate shift', pill: ui.pillRunning },
  major: { label: 'Major shift', pill: ui.pillFailed },
};

const clock = (period: Window) => (ms: number) => {
  const iso = new Date(ms).toISOString();
  return period === 'hour' || period === 'day' ? iso.slice(11, 16) : iso.slice(5, 10);
};
const milliseconds = (value: number | null) => (value === null ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`);

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className={styles.figure}>
      <div className="muted small">{label}</div>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}

function DriftTable({ rows, testId }: { rows: Drift[]; testId: string }) {
  return (
    <table className={`data-table ${styles.driftTable}`} data-testid={testId}>
      <thead>
        <tr>
          <th>Column</th>
          <th className="num">PSI</th>
          <th className="num" title="Kolmogorov–Smirnov statistic on the training deciles (numbers only)">
            KS
          </th>
          <th>Shift</th>
          <th>What changed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.column} data-testid={`drift-${row.column}`} data-level={row.level}>
            <td>
              <strong>{row.column}</strong>
            </td>
            <td className="num">{row.psi.toFixed(3)}</td>
            <td className="num" title={row.ks ? `p-value ${row.ks.pValue.toPrecision(2)}` : undefined}>
              {row.ks ? row.ks.statistic.toFixed(2) : '—'}
            </td>
            <td>
              <span className={`${ui.pill} ${LEVEL_LOOK[row.level].pill}`}>{LEVEL_LOOK[row.level].label}</span>
            </td>
            <td>{row.flag}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Point = Report['series'][number];

/** The two charts: traffic, and answer time; each line is one field of the report's points. */
const CHARTS: { id: string; yTitle: string; lines: { label: string; value(point: Point): number | null }[] }[] = [
  {
    id: 'requests',
    yTitle: 'Requests per minute',
    lines: [
      { label: 'Requests per minute', value: (p) => p.requestsPerMinute },
      { label: 'Refused per minute', value: (p) => p.refusedPerMinute },
    ],
  },
  {
    id: 'latency',
    yTitle: 'Milliseconds',
    lines: [
      { label: 'Typical answer time (p50)', value: (p) => p.p50Ms },
      { label: 'Slowest 1% (p99)', value: (p) => p.p99Ms },
    ],
  },
];

function TrafficCharts({ report }: { report: Report }) {
  const times = report.series.map((point) => point.at);
  return (
    <div className={styles.charts}>
      {CHARTS.map((chart, c) => (
        <TimeSeriesChart
          key={chart.id}
          testId={`monitor-${chart.id}-chart`}
          times={times}
          yTitle={chart.yTitle}
          formatTime={clock(report.window)}
          series={chart.lines.map((l, i) => ({ id: l.label, label: l.label, color: seriesColor(c * 2 + i), values: report.series.map(l.value) }))}
        />
      ))}
    </div>
  );
}

/** Photos have no columns to compare with training; what can shift is the mix of labels answered. */
function PhotoLabels({ report }: { report: Report }) {
  const total = report.predictedLabels.reduce((sum, { count }) => sum + count, 0);
  return (
    <>
      <h3>Labels answered</h3>
      {total === 0 ? (
        <p className="muted">No photos answered in this period yet.</p>
      ) : (
        <ShareBars
          testId="monitor-labels"
          caption="Share of each label among the photos answered"
          shares={report.predictedLabels.map(({ label, count }) => ({ label, share: count / total, note: `${count.toLocaleString('en-US')} (${((count / total) * 100).toFixed(1)}%)` }))}
        />
      )}
      <p className="muted small" data-testid="monitor-no-drift">
        No column drift is measured for a photo API: its inputs are pixels, not columns. Watch the mix of labels above instead; a label
        that becomes much more or less frequent than in your photos may mean the photos sent look different from the training ones.
      </p>
    </>
  );
}

function DriftSection({ report }: { report: Report }) {
  if (!report.hasReference) {
    return <p className="muted">This model was published without a profile of its training rows (it was trained before Pipelab kept one, or loaded from a file), so drift cannot be measured. Publish it again from a new run to watch for drift.</p>;
  }
  if (report.drift.length === 0) return <p className="muted">No rows scored in this period yet.</p>;
  return (
    <>
      <p className="muted small">
        Each column of the rows scored in this period compared with the {report.trainingRows?.toLocaleString('en-US')} rows the model learned from. PSI below 0.1 is stable, 0.1–0.25 a moderate shift, above 0.25 a major one: predictions may then be less reliable than the evaluation said.
      </p>
      <DriftTable rows={report.drift} testId="monitor-drift" />
      {report.predictionDrift.length > 0 && (
        <>
          <h3>Predictions</h3>
          <DriftTable rows={report.predictionDrift} testId="monitor-prediction-drift" />
        </>
      )}
    </>
  );
}

/** A prediction API's live traffic and drift, refreshed every few seconds. */
export function EndpointMonitor({ endpointId, onClose }: { endpointId: string; onClose(): void }) {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<Window>('hour');
  const monitoring = useQuery(trpc.endpoints.monitoring.queryOptions({ id: endpointId, window: period }, { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData }));
  const report = monitoring.data;
  return (
    <section className={styles.monitor} data-testid="endpoint-monitor">
      <div className="page-head">
        <h2>Monitoring{report ? `: ${report.endpoint.name}` : ''}</h2>
        <div className={styles.windows} role="group" aria-label="Period">
          {WINDOWS.map((option) => (
            <button key={option.value} type="button" className={option.value === period ? 'button primary' : 'button'} aria-pressed={option.value === period} onClick={() => setPeriod(option.value)}>
              {option.label}
            </button>
          ))}
          <button type="button" className="button ghost" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {monitoring.isPending && <p className="muted">Loading…</p>}
      {monitoring.error && <p className="error-text">Monitoring could not be loaded: {errorMessage(monitoring.error)}</p>}
      {report && (
        <>
          <div className={styles.figures}>
            <Figure label="Requests" value={report.totals.requests.toLocaleString('en-US')} testId="monitor-requests" />
            <Figure label="Refused" value={report.totals.refused.toLocaleString('en-US')} testId="monitor-refused" />
            <Figure label={report.endpoint.takesPhotos ? 'Photos answered' : 'Rows scored'} value={report.totals.rowsScored.toLocaleString('en-US')} testId="monitor-rows" />
            <Figure label="Typical answer time (p50)" value={milliseconds(report.totals.p50Ms)} testId="monitor-p50" />
            <Figure label="Slowest 1% (p99)" value={milliseconds(report.totals.p99Ms)} testId="monitor-p99" />
          </div>
          <TrafficCharts report={report} />
          {report.refusals.length > 0 && (
            <>
              <h3>Why requests were refused</h3>
              <table className="data-table" data-testid="monitor-refusals">
                <tbody>
                  {report.refusals.map((refusal) => (
                    <tr key={refusal.reason}>
                      <td>{refusal.reason}</td>
                      <td className="num">{refusal.count.toLocaleString('en-US')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {report.endpoint.takesPhotos ? (
            <PhotoLabels report={report} />
          ) : (
            <>
              <h3>Drift from the training rows</h3>
              <DriftSection report={report} />
            </>
          )}
          <OutcomesSection report={report} formatTime={clock(report.window)} />
        </>
      )}
    </section>
  );
}
