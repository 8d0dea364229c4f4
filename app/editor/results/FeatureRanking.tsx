import type { TablePreview } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';
import styles from './FeatureRanking.module.css';

type Ranking = NonNullable<TablePreview['ranking']>;

function pValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value < 0.001 ? '< 0.001' : value.toFixed(3);
}

/** Every candidate column with how strongly it relates to the target, best first, and whether it was kept. */
export function FeatureRanking({ ranking }: { ranking: Ranking }) {
  const max = Math.max(...ranking.map((row) => (Number.isFinite(row.score) ? Math.abs(row.score) : 0)), 1e-12);
  const kept = ranking.filter((row) => row.kept).length;
  return (
    <div className="feature-ranking">
      <p className="muted small">
        Kept {kept} of {ranking.length} columns. The score measures how strongly a column relates to the target (higher is
        stronger); the p-value is the chance of a link this strong appearing by luck alone (small means the link is real).
      </p>
      <table className={`data-table compact ${styles.rankingTable}`} data-testid="feature-ranking">
        <thead>
          <tr>
            <th>#</th>
            <th>Column</th>
            <th className="num">Score</th>
            <th className="num" title="Chance of a link this strong by luck alone">p-value</th>
            <th>Kept</th>
          </tr>
        </thead>
        <tbody>
          {ranking.map((row, index) => (
            <tr key={row.feature} className={row.kept ? 'kept' : styles.dropped} data-feature={row.feature} data-kept={String(row.kept)}>
              <td className="muted">{index + 1}</td>
              <td>{row.feature}</td>
              <td className={`num ${styles.scoreCell}`}>
                <span className={styles.scoreBar} style={{ width: `${(Math.abs(row.score) / max) * 100}%` }} aria-hidden />
                <span className={styles.scoreText}>{formatNumber(row.score)}</span>
              </td>
              <td className="num">{pValue(row.pValue)}</td>
              <td className={row.kept ? styles.keptMark : 'muted'}>{row.kept ? '✓' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
