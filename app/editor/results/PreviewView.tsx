import type { RunDetail } from '../../../server/api-types';
import type { NodePreview, TrainingPreview } from '../../../nodes/preview';
import { EvaluationView } from './EvaluationView';
import { ImagesView } from './ImagesView';
import { ModelView } from './ModelView';
import { SplitView } from './SplitView';
import { TableView } from './TableView';
import { TrainingCurves } from './TrainingCurves';
import resultsStyles from './results.module.css';

/** A network still training, or one whose training was cut short (cancelled or failed). */
function TrainingView({ preview, live }: { preview: TrainingPreview; live: boolean }) {
  return (
    <div className="preview preview-training" data-testid="training-preview">
      <p className={resultsStyles.previewLead}>
        {live ? 'Training' : 'Training of'} <strong>{preview.model}</strong>
        {live ? '…' : ' did not finish.'}
      </p>
      <TrainingCurves curves={preview.curves} live={live} />
      {preview.summary.length > 0 && (
        <ul className={resultsStyles.summaryList} data-testid="training-summary">
          {preview.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface PreviewViewProps {
  preview: NodePreview;
  run?: RunDetail | null;
  /** False once the step stopped (finished, cancelled or failed); a training preview then shows no progress. */
  running?: boolean;
}

export function PreviewView({ preview, run, running = true }: PreviewViewProps) {
  switch (preview.kind) {
    case 'table':
      return <TableView preview={preview} />;
    case 'split':
      return <SplitView preview={preview} />;
    case 'model':
      return <ModelView preview={preview} run={run} />;
    case 'evaluation':
      return <EvaluationView preview={preview} />;
    case 'images':
      return <ImagesView preview={preview} />;
    case 'training':
      return <TrainingView preview={preview} live={running} />;
    default:
      return <p className="muted small">This result can't be shown here.</p>;
  }
}
