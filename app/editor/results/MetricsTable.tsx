import type { ReactNode } from 'react';
import { formatNumber, metricHelp, metricLabel } from '../../_components/format';
import styles from './MetricsTable.module.css';

/** Headline metrics, one per row, with a plain-language note; `children` adds more tables inside. */
export function MetricsTable({ metrics, children }: { metrics: Record<string, number>; children?: ReactNode }) {
  return (
    <div className={styles.metrics} data-testid="metrics-table">
      <table className="data-table compact metrics-main">
        <thead>
          <tr>
            <th>Measure</th>
            <th>Value</th>
            <th>What it means</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(metrics).map(([key, value]) => (
            <tr key={key} data-metric={key}>
              <td>{metricLabel(key)}</td>
              <td className={`num ${styles.metricValue}`}>{formatNumber(value)}</td>
              <td className="muted small">{metricHelp(key) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {children}
    </div>
  );
}
