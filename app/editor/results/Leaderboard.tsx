import type { EvaluationPreview } from '../../../nodes/preview';
import { bestIndex, formatNumber, isLowerBetter, metricHelp, metricLabel, metricShortLabel } from '../../_components/format';
import { seriesColor } from './palette';
import ui from '../../_components/ui.module.css';
import styles from './Leaderboard.module.css';

interface LeaderboardProps {
  preview: EvaluationPreview;
  selected: string;
  onSelect(nodeId: string): void;
}

function MetricHeader({ metric }: { metric: string }) {
  const help = metricHelp(metric);
  const title = [metricLabel(metric), help, isLowerBetter(metric) ? 'Lower is better.' : null].filter(Boolean).join(' — ');
  return (
    <th className="num" title={title} data-metric={metric} scope="col">
      {metricShortLabel(metric)}
      {isLowerBetter(metric) && <span className={styles.lowerBetter}> ↓</span>}
    </th>
  );
}

/** One line per metric: what it measures, in plain words. */
function MetricNotes({ metrics }: { metrics: string[] }) {
  const notes = metrics.filter((metric) => metricHelp(metric));
  if (notes.length === 0) return null;
  return (
    <dl className={styles.metricNotes} data-testid="metric-notes">
      {notes.map((metric) => (
        <div key={metric}>
          <dt>{metricShortLabel(metric)}</dt>
          <dd>
            {metricHelp(metric)}
            {isLowerBetter(metric) && ' Lower is better.'}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Every model's test scores side by side; the best value of each column is highlighted. */
export function Leaderboard({ preview, selected, onSelect }: LeaderboardProps) {
  const several = preview.models.length > 1;
  return (
    <div className={styles.leaderboardWrap} tabIndex={0} role="region" aria-label="Scores on the test rows">
      <table className={`data-table compact ${ui.leaderboard}`} data-testid="leaderboard">
        <thead>
          <tr>
            <th scope="col">Model</th>
            {preview.metricNames.map((metric) => (
              <MetricHeader key={metric} metric={metric} />
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.models.map((model, index) => (
            <tr
              key={model.nodeId}
              className={`${several ? ui.clickable : ''}${several && model.nodeId === selected ? ' current' : ''}`}
              onClick={several ? () => onSelect(model.nodeId) : undefined}
              data-testid={`leaderboard-row-${model.nodeId}`}
              title={several ? 'Show the details of this model' : undefined}
            >
              <td className="model-cell">
                <span className="swatch" style={{ background: seriesColor(index) }} aria-hidden />
                {model.model}
              </td>
              {preview.metricNames.map((metric) => {
                const best = several && preview.best[metric] === index;
                return (
                  <td
                    key={metric}
                    className={`num${best ? ` ${ui.best}` : ''}`}
                    data-metric={metric}
                    data-best={best ? 'true' : undefined}
                    title={best ? `Best ${metricLabel(metric)} of the models compared` : undefined}
                  >
                    {formatNumber(model.metrics[metric])}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <MetricNotes metrics={preview.metricNames} />
    </div>
  );
}

function spread(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

/** Mean ± standard deviation of each metric over the cross-validation folds of the training rows. */
export function CrossValidationTable({ preview }: { preview: EvaluationPreview }) {
  const models = preview.models.filter((model) => model.crossValidation);
  if (models.length === 0) return null;
  const metrics = preview.metricNames.filter((metric) => models.some((model) => model.crossValidation?.[metric]));
  const bestOf = (metric: string): string | null => {
    const index = bestIndex(metric, models.map((model) => model.crossValidation?.[metric]?.mean));
    return index === null ? null : models[index].nodeId;
  };
  const bests = Object.fromEntries(metrics.map((metric) => [metric, bestOf(metric)]));
  const folds = preview.folds;
  return (
    <div className={styles.cvWrap} tabIndex={0} role="region" aria-label="Cross-validation scores">
      <h5>Cross-validation ({folds ? `${folds} folds, ` : ''}training rows)</h5>
      <table className={`data-table compact ${ui.leaderboard} ${ui.cvTable}`} data-testid="cv-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            {metrics.map((metric) => (
              <MetricHeader key={metric} metric={metric} />
            ))}
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.nodeId} data-testid={`cv-row-${model.nodeId}`}>
              <td className="model-cell">
                <span
                  className="swatch"
                  style={{ background: seriesColor(preview.models.indexOf(model)) }}
                  aria-hidden
                />
                {model.model}
              </td>
              {metrics.map((metric) => {
                const score = model.crossValidation?.[metric];
                const best = models.length > 1 && bests[metric] === model.nodeId;
                return (
                  <td key={metric} className={`num${best ? ` ${ui.best}` : ''}`} data-metric={metric} data-best={best ? 'true' : undefined}>
                    {score ? (
                      <>
                        <span className={styles.cvMean}>{formatNumber(score.mean)}</span>{' '}
                        <span className={styles.cvSpread}>± {spread(score.std)}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Each model was trained {folds ? `${folds} times` : 'several times'}, each time leaving out a different part of the
        training rows and scoring it on that part. The number after ± is how much the score moved between rounds: a small
        spread means the score can be trusted.
      </p>
    </div>
  );
}
