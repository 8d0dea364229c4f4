import type { SplitPreview } from '../../../nodes/preview';
import { formatPercent } from '../../_components/format';
import { ColumnsTable } from './TableView';
import styles from './SplitView.module.css';
import resultsStyles from './results.module.css';

function percent(value: number): string {
  // Shares may come as fractions (0.12) or as counts; show fractions as percentages.
  return value <= 1 ? formatPercent(value) : value.toLocaleString('en-US');
}

export function SplitView({ preview }: { preview: SplitPreview }) {
  const total = preview.trainRows + preview.testRows;
  const trainShare = total ? preview.trainRows / total : 0;
  return (
    <div className="preview preview-split" data-testid="split-preview">
      <p className={resultsStyles.previewLead}>
        <strong data-testid="train-rows">{preview.trainRows.toLocaleString('en-US')}</strong> rows to train on,{' '}
        {preview.testRows === 0 ? (
          <>none kept aside to test (Evaluate scores by cross-validation).</>
        ) : (
          <>
            <strong data-testid="test-rows">{preview.testRows.toLocaleString('en-US')}</strong> rows kept aside to test.
          </>
        )}
        Predicting <strong>{preview.target}</strong> ({preview.task === 'classification' ? 'a category' : 'a number'}).
      </p>
      <div className={styles.splitBar} aria-hidden>
        <div className={styles.splitTrain} style={{ width: `${trainShare * 100}%` }}>
          Train {Math.round(trainShare * 100)}%
        </div>
        <div className={styles.splitTest}>Test {Math.round((1 - trainShare) * 100)}%</div>
      </div>
      {preview.classBalance && preview.classBalance.length > 0 && (
        <>
          <h5>Class balance</h5>
          <table className="data-table compact" data-testid="class-balance">
            <thead>
              <tr>
                <th>{preview.target}</th>
                <th>Train</th>
                <th>Test</th>
              </tr>
            </thead>
            <tbody>
              {preview.classBalance.map((row) => (
                <tr key={row.label}>
                  <td>{row.label}</td>
                  <td>{percent(row.train)}</td>
                  <td>{percent(row.test)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h5>Columns of the training part</h5>
      <ColumnsTable columns={preview.train.columns} target={preview.target} />
    </div>
  );
}
