'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useId, useState, type ChangeEvent } from 'react';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart';
import { seriesColor } from '../../charts/theme';
import type { AppRouter } from '../../server/routers/app';
import { errorMessage, useTRPC } from '../trpc';
import { useCanEdit } from './accounts/useAccount';
import styles from './EndpointsPage.module.css';

type Report = inferRouterOutputs<AppRouter>['endpoints']['monitoring'];
type Summary = inferRouterOutputs<AppRouter>['endpoints']['postOutcomes'];

/** Accuracy as a percentage on the chart; an error in the target's own units. */
const chartValue = (metric: Report['accuracy']['metric'], value: number | null) => (value === null ? null : metric === 'accuracy' ? Number((value * 100).toFixed(1)) : value);

function AccuracyChart({ report, formatTime }: { report: Report; formatTime(ms: number): string }) {
  const { metric, series, training } = report.accuracy;
  const lines = [
    { id: 'live', label: metric === 'accuracy' ? 'Live accuracy (%)' : 'Live mean absolute error', color: seriesColor(4), values: series.map((p) => chartValue(metric, p.value)) },
  ];
  if (training !== null) {
    lines.push({ id: 'training', label: 'Measured at training', color: seriesColor(5), values: series.map(() => chartValue(metric, training)) });
  }
  return (
    <TimeSeriesChart
      testId="monitor-accuracy-chart"
      times={series.map((p) => p.at)}
      yTitle={metric === 'accuracy' ? 'Right (%)' : 'Mean absolute error'}
      formatTime={formatTime}
      series={lines}
    />
  );
}

/** Upload of a CSV of real outcomes (columns predictionId,actual), for editors; shows what was recorded and each refusal. */
function OutcomeUpload({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [summary, setSummary] = useState<Summary | null>(null);
  const post = useMutation(
    trpc.endpoints.postOutcomes.mutationOptions({
      onSuccess: async (result) => {
        setSummary(result);
        await queryClient.invalidateQueries({ queryKey: trpc.endpoints.monitoring.queryKey() });
      },
    }),
  );
  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setSummary(null);
    post.mutate({ id: endpointId, csv: await file.text() });
  }
  return (
    <div className={styles.outcomeUpload}>
      <label htmlFor={inputId}>Upload real outcomes (CSV with columns predictionId,actual)</label>
      <input id={inputId} type="file" accept=".csv,text/csv" onChange={onFile} disabled={post.isPending} data-testid="outcomes-file" />
      {post.isPending && <p className="muted small">Recording…</p>}
      {post.error && (
        <p className="error-text" role="alert" data-testid="outcomes-error">
          {errorMessage(post.error)}
        </p>
      )}
      {summary && (
        <div data-testid="outcomes-summary" role="status">
          <p>{summary.message}</p>
          {summary.refused.length > 0 && (
            <table className="data-table" data-testid="outcomes-refused">
              <tbody>
                {summary.refused.map((refusal) => (
                  <tr key={refusal.where}>
                    <td>{refusal.error}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {summary.refusedCount > summary.refused.length && <p className="muted small">…and {summary.refusedCount - summary.refused.length} more refused.</p>}
        </div>
      )}
    </div>
  );
}

/** Live accuracy (or error) from posted outcomes, the figure measured at training, and the upload of outcomes. */
export function OutcomesSection({ report, formatTime }: { report: Report; formatTime(ms: number): string }) {
  const canEdit = useCanEdit();
  const { accuracy } = report;
  return (
    <section data-testid="monitor-outcomes">
      <h3>{accuracy.metric === 'accuracy' ? 'Live accuracy' : 'Live error'}</h3>
      {accuracy.sentence ? (
        <p data-testid="monitor-accuracy" data-worse={String(accuracy.worseThanTraining)} className={accuracy.worseThanTraining ? 'error-text' : undefined}>
          {accuracy.sentence}
        </p>
      ) : (
        <p className="muted" data-testid="monitor-accuracy">
          No outcomes posted for predictions of this period yet. Each answer carries a predictionId; post what really happened to{' '}
          <code className={styles.outcomesAddress}>{`/api/predict/${report.endpoint.id}/outcomes`}</code> or upload a CSV below, and live accuracy appears here.
        </p>
      )}
      {accuracy.outcomes > 0 && <AccuracyChart report={report} formatTime={formatTime} />}
      {canEdit && <OutcomeUpload endpointId={report.endpoint.id} />}
    </section>
  );
}
