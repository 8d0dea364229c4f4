import type { ClassificationReportPreview, RegressionReportPreview } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';
import { ConfusionMatrix } from './ConfusionMatrix';
import { MetricsTable } from './MetricsTable';
import { ScatterPlot } from './ScatterPlot';

function Summary({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <ul className="summary-list" data-testid="evaluation-summary">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

function ClassificationView({ preview }: { preview: ClassificationReportPreview }) {
  return (
    <div className="preview preview-evaluation" data-testid="evaluation-preview" data-task="classification">
      <p className="preview-lead">
        <strong>{preview.model}</strong> checked on {preview.testRows.toLocaleString('en-US')} test rows it never saw
        while training.
      </p>
      <Summary lines={preview.summary} />
      <div className="evaluation-grid">
        <MetricsTable metrics={preview.metrics}>
          {preview.perClass.length > 0 && (
            <table className="data-table compact per-class" data-testid="per-class-table">
              <thead>
                <tr>
                  <th>Class</th>
                  <th title="Of the rows predicted as this class, the share that were right">Precision</th>
                  <th title="Of the rows that really are this class, the share found">Recall</th>
                  <th title="Balance of precision and recall">F1</th>
                  <th title="Test rows of this class">Rows</th>
                </tr>
              </thead>
              <tbody>
                {preview.perClass.map((row) => (
                  <tr key={row.label}>
                    <td>{row.label}</td>
                    <td className="num">{formatNumber(row.precision)}</td>
                    <td className="num">{formatNumber(row.recall)}</td>
                    <td className="num">{formatNumber(row.f1)}</td>
                    <td className="num">{row.support.toLocaleString('en-US')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </MetricsTable>
        <div>
          <h5>Confusion matrix</h5>
          <ConfusionMatrix classes={preview.classes} matrix={preview.confusion} />
        </div>
      </div>
    </div>
  );
}

function RegressionView({ preview }: { preview: RegressionReportPreview }) {
  return (
    <div className="preview preview-evaluation" data-testid="evaluation-preview" data-task="regression">
      <p className="preview-lead">
        <strong>{preview.model}</strong> checked on {preview.testRows.toLocaleString('en-US')} test rows it never saw
        while training.
      </p>
      <Summary lines={preview.summary} />
      <div className="evaluation-grid">
        <MetricsTable metrics={preview.metrics} />
        <div>
          <h5>Predicted vs actual</h5>
          <ScatterPlot points={preview.points} />
        </div>
      </div>
    </div>
  );
}

export function EvaluationView({ preview }: { preview: ClassificationReportPreview | RegressionReportPreview }) {
  return preview.task === 'classification' ? <ClassificationView preview={preview} /> : <RegressionView preview={preview} />;
}
