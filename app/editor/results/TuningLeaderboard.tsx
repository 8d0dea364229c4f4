import { useState } from 'react';
import { formatSetting, type TuningLeaderboard as Board, type TuningTrial } from '../../../nodes/preview';
import { formatMetricValue, isLowerBetter, metricHelp, metricLabel, metricShortLabel } from '../../_components/format';
import ui from '../../_components/ui.module.css';
import styles from './TuningLeaderboard.module.css';

type Order = 'tried' | 'score';

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Best first (failed tries last), by the board's metric and its direction. */
function byScore(board: Board) {
  const lower = board.metric ? isLowerBetter(board.metric) : false;
  return (a: TuningTrial, b: TuningTrial) => {
    if (a.score === null || b.score === null) return (a.score === null ? 1 : 0) - (b.score === null ? 1 : 0) || a.trial - b.trial;
    return (lower ? a.score - b.score : b.score - a.score) || a.trial - b.trial;
  };
}

function ScoreHeader({ board, order, onOrder }: { board: Board; order: Order; onOrder(order: Order): void }) {
  const metric = board.metric;
  const title = metric ? [metricLabel(metric), metricHelp(metric), `Mean ± spread over ${board.folds} folds.`].filter(Boolean).join(' — ') : undefined;
  return (
    <th className="num" scope="col" title={title} aria-sort={order === 'score' ? (metric && isLowerBetter(metric) ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className={styles.sortButton} onClick={() => onOrder(order === 'score' ? 'tried' : 'score')} data-testid="tuning-sort">
        {metric ? metricShortLabel(metric) : 'Score'} {order === 'score' ? '▼' : '⇅'}
      </button>
    </th>
  );
}

/** Every try of a settings search: its settings, its cross-validated score and time; the best one marked (and applied). */
export function TuningLeaderboard({ board, applied = true }: { board: Board; applied?: boolean }) {
  const [order, setOrder] = useState<Order>('tried');
  const settings = Object.keys(board.settingLabels);
  const trials = order === 'score' ? [...board.trials].sort(byScore(board)) : board.trials;
  const format = (value: number) => (board.metric ? formatMetricValue(board.metric, value) : String(value));
  return (
    <section className={styles.tuning} data-testid="tuning-leaderboard" aria-label="Settings tried">
      <h5>Settings tried</h5>
      <p className="muted small">
        {board.method === 'grid' ? 'A grid search' : 'A random search'}: each try was trained {board.folds} times and scored on the
        training rows it had not seen (cross-validation); the test rows stay untouched. {board.notes.join(' ')}
      </p>
      <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Leaderboard of the settings tried">
        <table className={`data-table compact ${ui.leaderboard}`}>
          <thead>
            <tr>
              <th scope="col" className="num">Try</th>
              {settings.map((name) => (
                <th key={name} scope="col">
                  {capitalized(board.settingLabels[name])}
                </th>
              ))}
              <ScoreHeader board={board} order={order} onOrder={setOrder} />
              <th scope="col" className="num">Time</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {trials.map((trial) => {
              const best = trial.trial === board.bestTrial;
              return (
                <tr key={trial.trial} data-testid="tuning-trial" data-best={best || undefined} className={best ? styles.bestRow : undefined}>
                  <td className="num">{trial.trial}</td>
                  {settings.map((name) => (
                    <td key={name}>{name in trial.settings ? formatSetting(trial.settings[name], board.valueLabels[name]) : ''}</td>
                  ))}
                  <td className={`num${best ? ` ${ui.best}` : ''}`}>
                    {trial.score !== null ? `${format(trial.score)} ± ${format(trial.std ?? 0)}` : '—'}
                  </td>
                  <td className="num">{trial.seconds < 10 ? trial.seconds.toFixed(1) : Math.round(trial.seconds)} s</td>
                  <td className={trial.error ? styles.failed : undefined}>
                    {trial.error ? `Failed: ${trial.error}` : best ? (applied ? 'Best, applied' : 'Best so far') : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
