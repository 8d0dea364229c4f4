import { memo, useMemo } from 'react';
import { formatHeadline, formatHeadlineDetail, formatNumber, isLowerBetter, metricHelp, metricLabel } from '../_components/format';
import { bestRun } from './compare-model';
import { ComparedRunsTable } from './RunHead';
import type { Comparison } from './types';
import ui from '../_components/ui.module.css';

/** Scores side by side; the best run for each score is marked. */
export const CompareMetrics = memo(function CompareMetrics({ comparison }: { comparison: Comparison }) {
  const { runs, metricNames, best } = comparison;
  const rows = useMemo(
    () =>
      metricNames.map((name) => {
        const values = runs.map((run) => run.metrics[name]);
        return { name, values, best: bestRun(name, values, best) };
      }),
    [runs, metricNames, best],
  );
  return (
    <section className="compare-section" data-testid="compare-metrics">
      <h2>Scores</h2>
      {rows.length === 0 ? (
        <p className="muted">None of these runs finished an evaluation step, so there are no scores to compare.</p>
      ) : (
        <ComparedRunsTable runs={runs} corner="Score">
          <tr data-testid="compare-headline-row">
            <th scope="row" className={ui.stickyCol} title="The best model's result, in words">
              In words
            </th>
            {runs.map((run) => (
              <td key={run.id} className="small" title={formatHeadlineDetail(run.headline, run.metrics) || undefined}>
                {formatHeadline(run.headline) || '—'}
              </td>
            ))}
          </tr>
          {rows.map((row) => (
            <tr key={row.name} data-testid={`compare-metric-row-${row.name}`}>
              <th scope="row" className={ui.stickyCol} title={metricHelp(row.name)}>
                {metricLabel(row.name)}
                {isLowerBetter(row.name) && <span className="muted small"> (lower is better)</span>}
              </th>
              {row.values.map((value, index) => (
                <td
                  key={runs[index].id}
                  className={`num${row.best === index ? ` ${ui.best}` : ''}`}
                  data-best={row.best === index ? 'true' : undefined}
                >
                  {formatNumber(value)}
                </td>
              ))}
            </tr>
          ))}
        </ComparedRunsTable>
      )}
    </section>
  );
});
