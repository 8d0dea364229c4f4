import type { ColumnImportancePreview, OcclusionMap } from '../../../nodes/preview';
import { formatNumber, metricShortLabel } from '../../_components/format';
import styles from './SeeWhy.module.css';

const SHOWN = 12;

/** Permutation importance: how much the score drops when a column's values are shuffled, largest first, with the spread over the shuffles. */
export function ColumnImportanceList({ importance }: { importance: ColumnImportancePreview }) {
  // Columns the model never reads (every shuffle changes nothing) are named in one line, not drawn as empty bars.
  const used = importance.columns.filter((c) => c.mean !== 0 || c.std !== 0);
  const unused = importance.columns.filter((c) => c.mean === 0 && c.std === 0).map((c) => c.column);
  const shown = used.slice(0, SHOWN);
  const largest = Math.max(...shown.map((c) => c.mean + c.std), 1e-12);
  const width = (value: number) => `${Math.max(0, Math.min(100, (value / largest) * 100))}%`;
  const metric = metricShortLabel(importance.metric);
  return (
    <figure className={styles.importance} data-testid="column-importance" data-metric={importance.metric}>
      <ol className={styles.importanceList}>
        {shown.map((column) => (
          <li key={column.column} className={styles.importanceRow} data-column={column.column}>
            <span className={styles.importanceName} title={column.column}>
              {column.column}
            </span>
            <span className={styles.importanceTrack} aria-hidden>
              <span className={styles.importanceBar} style={{ width: width(column.mean) }} />
              {column.std > 0 && (
                <span className={styles.importanceSpread} style={{ left: width(column.mean - column.std), width: width(2 * Math.min(column.std, column.mean + column.std)) }} />
              )}
            </span>
            <span className={styles.importanceValue}>
              {formatNumber(column.mean)} <span className="muted">± {formatNumber(column.std)}</span>
            </span>
          </li>
        ))}
      </ol>
      <figcaption className="muted small">
        How much {metric} drops when a column&apos;s values are shuffled between the {importance.rows.toLocaleString('en-US')} test rows (mean ± spread over{' '}
        {importance.repeats} shuffles). Near zero: the model hardly uses it.
        {used.length > shown.length && ` ${used.length - shown.length} more columns matter less.`}
      </figcaption>
      {unused.length > 0 && (
        <p className="muted small" data-testid="unused-columns">
          Shuffling changes nothing for {unused.length === 1 ? 'this column' : `these ${unused.length} columns`}: {unused.join(', ')}.
        </p>
      )}
    </figure>
  );
}

/** Test photos with a heat-map of the parts that, greyed out, lower the chance of the predicted label most. */
export function OcclusionGallery({ maps }: { maps: OcclusionMap[] }) {
  return (
    <div className={styles.occlusionGallery} data-testid="occlusion-maps">
      {maps.map((map, index) => {
        const strongest = Math.max(...map.drops, 1e-9);
        return (
          <figure key={`${map.name}:${index}`} className={styles.occlusionCard} data-testid="occlusion-map">
            <div className={styles.occlusionPhoto}>
              <img src={map.src} alt={map.name} width={112} height={112} />
              <div className={styles.occlusionGrid} style={{ gridTemplateColumns: `repeat(${map.grid}, 1fr)` }} aria-hidden>
                {map.drops.map((drop, cell) => (
                  <span key={cell} style={{ opacity: (0.7 * Math.max(0, drop)) / strongest }} title={`Hidden here: −${Math.round(drop * 100)} points`} />
                ))}
              </div>
            </div>
            <figcaption>
              {map.predicted} ({Math.round(map.confidence * 100)}%)
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
