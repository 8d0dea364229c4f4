import type { ColumnSummary, TablePreview } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';
import { DownloadButton } from './DownloadButton';
import { ExplainedVariance } from './ExplainedVariance';
import { FeatureRanking } from './FeatureRanking';
import styles from './TableView.module.css';
import resultsStyles from './results.module.css';

function ColumnStats({ column }: { column: ColumnSummary }) {
  if (column.type === 'number') {
    if (column.min === undefined && column.max === undefined) return null;
    return (
      <span className="muted">
        {formatNumber(column.min)} – {formatNumber(column.max)}
        {column.mean !== undefined && <> · avg {formatNumber(column.mean)}</>}
      </span>
    );
  }
  return column.distinct !== undefined ? <span className="muted">{column.distinct} different values</span> : null;
}

export function ColumnsTable({ columns, target }: { columns: ColumnSummary[]; target: string | null }) {
  return (
    <table className="data-table compact" data-testid="columns-table">
      <thead>
        <tr>
          <th>Column</th>
          <th>Type</th>
          <th>Missing</th>
          <th>Values</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column) => (
          <tr key={column.name}>
            <td>
              {column.name}
              {column.name === target && <span className="tag">target</span>}
            </td>
            <td>{column.type === 'number' ? 'Number' : 'Category'}</td>
            <td className={column.missing ? 'warn-text' : 'muted'}>{column.missing.toLocaleString('en-US')}</td>
            <td>
              <ColumnStats column={column} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function cell(value: string | number | null) {
  if (value === null) return <span className={styles.missing}>missing</span>;
  return typeof value === 'number' ? formatNumber(value, 4) : value;
}

export function RowsGrid({ preview }: { preview: TablePreview }) {
  if (preview.rows.length === 0) return <p className="muted small">No rows to show.</p>;
  return (
    <div className={styles.gridScroll} tabIndex={0} role="region" aria-label="Table rows">
      <table className={`data-table ${styles.rowsGrid}`} data-testid="rows-grid">
        <thead>
          <tr>
            {preview.columns.map((column) => (
              <th key={column.name}>{column.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, index) => (
            <tr key={index}>
              {row.map((value, column) => (
                <td key={column} className={typeof value === 'number' ? 'num' : undefined}>
                  {cell(value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TableView({ preview }: { preview: TablePreview }) {
  return (
    <div className="preview preview-table" data-testid="table-preview">
      <div className={resultsStyles.previewLeadRow}>
        <p className={resultsStyles.previewLead}>
          <strong data-testid="row-count">{preview.rowCount.toLocaleString('en-US')} rows</strong>,{' '}
          {preview.columns.length} columns
          {preview.target && <> · predicting <strong>{preview.target}</strong></>}
        </p>
        {preview.download && (
          <div className={resultsStyles.previewActions}>
            <DownloadButton link={preview.download} testId="download-table" fallbackLabel="Download table (CSV)" />
          </div>
        )}
      </div>
      {preview.notes && preview.notes.length > 0 && (
        <ul className={styles.notes}>
          {preview.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {preview.ranking && preview.ranking.length > 0 && (
        <>
          <h5>Column ranking</h5>
          <FeatureRanking ranking={preview.ranking} />
        </>
      )}
      {preview.explainedVariance && preview.explainedVariance.length > 0 && (
        <>
          <h5>Variation kept by each component</h5>
          <ExplainedVariance components={preview.explainedVariance} />
        </>
      )}
      <div className={styles.previewColumns}>
        <div>
          <h5>Columns</h5>
          <ColumnsTable columns={preview.columns} target={preview.target} />
        </div>
        <div className="preview-rows">
          <h5>First rows</h5>
          <RowsGrid preview={preview} />
        </div>
      </div>
    </div>
  );
}
