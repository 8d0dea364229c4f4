import type { RunDetail } from '../../../server/api-types';
import type { ModelPreview } from '../../../nodes/preview';
import { useCanEdit } from '../../_components/accounts/useAccount';
import { formatNumber } from '../../_components/format';
import { useEditor } from '../store';
import { DownloadButton } from './DownloadButton';
import { ImportancesChart } from '../../../charts/ImportancesChart';
import { PublishModel } from './PublishModel';
import { TrainingCurves } from './TrainingCurves';
import { TreeView } from './TreeView';
import { TuningLeaderboard } from './TuningLeaderboard';
import ui from '../../_components/ui.module.css';
import editorStyles from '../editor.module.css';
import styles from './ModelView.module.css';
import resultsStyles from './results.module.css';

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
      <table className={`data-table compact ${styles.coefficients}`} data-testid="coefficients-table">
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

function LayersTable({ layers }: { layers: NonNullable<ModelPreview['layers']> }) {
  const total = layers.reduce((sum, layer) => sum + layer.params, 0);
  return (
    <>
      <h5>Layers of the network</h5>
      <p className="muted small">
        Each image passes through these layers in order. The weights are the numbers the network learned while training.
      </p>
      <table className={`data-table compact ${styles.cnnLayers}`} data-testid="cnn-layers">
        <thead>
          <tr>
            <th>Layer</th>
            <th>Output shape</th>
            <th className="num">Weights</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer, index) => (
            <tr key={`${layer.name}:${index}`}>
              <td>{layer.name}</td>
              <td className={styles.shape}>{layer.outputShape}</td>
              <td className="num">{layer.params.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={2}>Total</td>
            <td className="num">{total.toLocaleString('en-US')}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

/** Networks learn from images, other models from the columns of a table. */
function Lead({ preview }: { preview: ModelPreview }) {
  const rows = preview.trainRows.toLocaleString('en-US');
  if (preview.layers) {
    return (
      <p className={resultsStyles.previewLead}>
        <strong>{preview.model}</strong> trained on {rows} images to predict <strong>{preview.target}</strong>.
      </p>
    );
  }
  return (
    <p className={resultsStyles.previewLead}>
      <strong>{preview.model}</strong> trained on {rows} rows to predict <strong>{preview.target}</strong> from{' '}
      {preview.features.length} columns.
    </p>
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
  const canEdit = useCanEdit();
  const canPublish = Boolean(nodeId && run?.id) && !readOnly && canEdit;
  return (
    <div className="preview preview-model" data-testid="model-preview">
      <div className={resultsStyles.previewLeadRow}>
        <Lead preview={preview} />
        {(preview.download || canPublish) && (
          <div className={resultsStyles.previewActions}>
            {preview.download && <DownloadButton link={preview.download} testId="download-model" fallbackLabel="Download model" />}
            {canPublish && nodeId && run && <PublishModel preview={{ ...preview, nodeId }} runId={run.id} run={run} />}
          </div>
        )}
      </div>
      {preview.warnings && preview.warnings.length > 0 && (
        <ul className={`${editorStyles.warningList} ${ui.noticeWarning}`} data-testid="model-warnings" role="note">
          {preview.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {preview.summary.length > 0 && (
        <ul className={resultsStyles.summaryList} data-testid="model-summary">
          {preview.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {preview.tuning && <TuningLeaderboard board={preview.tuning} />}
      {preview.training && (
        <>
          <h5>How training went</h5>
          <TrainingCurves curves={preview.training} />
        </>
      )}
      {preview.layers && preview.layers.length > 0 && <LayersTable layers={preview.layers} />}
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
