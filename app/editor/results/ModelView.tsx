import type { RunDetail } from '../../../server/api-types';
import type { ModelPreview } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';
import { useEditor } from '../store';
import { DownloadButton } from './DownloadButton';
import { ImportancesChart } from './ImportancesChart';
import { PublishModel } from './PublishModel';
import { TreeView } from './TreeView';

function coefficientHeaders(preview: ModelPreview, columnCount: number): string[] {
  if (preview.coefficientHeaders && preview.coefficientHeaders.length === columnCount) return preview.coefficientHeaders;
  const classes = preview.classes ?? [];
  if (columnCount <= 1) return ['Weight'];
  if (classes.length === columnCount) return classes.map((label) => `Weight for ${label}`);
  return Array.from({ length: columnCount }, (_, i) => `Weight ${i + 1}`);
}

/** Weights push up when positive; ratios (odds ratios) push up when above 1. */
function direction(value: number, header: string): 'pos' | 'neg' {
  return (/ratio/i.test(header) ? value < 1 : value < 0) ? 'neg' : 'pos';
}

function Coefficients({ preview }: { preview: ModelPreview }) {
  const rows = preview.coefficients ?? [];
  if (rows.length === 0) return null;
  const headers = coefficientHeaders(preview, rows[0]?.values.length ?? 0);
  return (
    <>
      <h5>What the model learned</h5>
      <p className="muted small">
        Each weight says how much a column pushes the prediction up (positive, green) or down (negative, red).
      </p>
      <table className="data-table compact coefficients" data-testid="coefficients-table">
        <thead>
          <tr>
            <th>Column</th>
            {headers.map((header, index) => (
              <th key={`${header}:${index}`} className="num">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <td>{row.name}</td>
              {row.values.map((value, index) => (
                <td key={index} className={`num ${direction(value, headers[index] ?? '')}`}>
                  {formatNumber(value, 4)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

interface ModelViewProps {
  preview: ModelPreview;
  /** The recorded run this result belongs to; publishing needs one. */
  run?: RunDetail | null;
}

export function ModelView({ preview, run }: ModelViewProps) {
  const nodeId = preview.nodeId;
  // A shared, read-only pipeline shows its models but does not publish them.
  const readOnly = useEditor((state) => state.readOnly);
  const canPublish = Boolean(nodeId && run?.id) && !readOnly;
  return (
    <div className="preview preview-model" data-testid="model-preview">
      <div className="preview-lead-row">
        <p className="preview-lead">
          <strong>{preview.model}</strong> trained on {preview.trainRows.toLocaleString('en-US')} rows to predict{' '}
          <strong>{preview.target}</strong> from {preview.features.length} columns.
        </p>
        {(preview.download || canPublish) && (
          <div className="preview-actions">
            {preview.download && <DownloadButton link={preview.download} testId="download-model" fallbackLabel="Download model" />}
            {canPublish && nodeId && run && <PublishModel preview={{ ...preview, nodeId }} runId={run.id} run={run} />}
          </div>
        )}
      </div>
      {preview.warnings && preview.warnings.length > 0 && (
        <ul className="warning-list notice-warning" data-testid="model-warnings" role="note">
          {preview.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {preview.summary.length > 0 && (
        <ul className="summary-list" data-testid="model-summary">
          {preview.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {preview.importances && preview.importances.length > 0 && (
        <>
          <h5>Which columns matter</h5>
          <p className="muted small">The share of the model’s decisions that rests on each column.</p>
          <ImportancesChart importances={preview.importances} />
        </>
      )}
      {preview.tree && preview.tree.length > 0 && (
        <>
          <h5>The decision tree</h5>
          <TreeView nodes={preview.tree} task={preview.task} classes={preview.classes} />
        </>
      )}
      <Coefficients preview={preview} />
    </div>
  );
}
