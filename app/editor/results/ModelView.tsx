import type { ModelPreview } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';

export function ModelView({ preview }: { preview: ModelPreview }) {
  const classes = preview.classes ?? [];
  const columnCount = preview.coefficients?.[0]?.values.length ?? 0;
  const headers =
    columnCount <= 1 ? ['Weight'] : classes.length === columnCount ? classes.map((label) => `Weight for ${label}`) : [];
  return (
    <div className="preview preview-model" data-testid="model-preview">
      <p className="preview-lead">
        <strong>{preview.model}</strong> trained on {preview.trainRows.toLocaleString('en-US')} rows to predict{' '}
        <strong>{preview.target}</strong> from {preview.features.length} columns.
      </p>
      {preview.summary.length > 0 && (
        <ul className="summary-list" data-testid="model-summary">
          {preview.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {preview.coefficients && preview.coefficients.length > 0 && (
        <>
          <h5>What the model learned</h5>
          <p className="muted small">
            Each weight says how much a column pushes the prediction up (positive) or down (negative).
          </p>
          <table className="data-table compact" data-testid="coefficients-table">
            <thead>
              <tr>
                <th>Column</th>
                {(headers.length ? headers : Array.from({ length: columnCount }, (_, i) => `Weight ${i + 1}`)).map(
                  (header) => (
                    <th key={header}>{header}</th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {preview.coefficients.map((row) => (
                <tr key={row.name}>
                  <td>{row.name}</td>
                  {row.values.map((value, index) => (
                    <td key={index} className={`num ${value < 0 ? 'neg' : 'pos'}`}>
                      {formatNumber(value, 4)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
