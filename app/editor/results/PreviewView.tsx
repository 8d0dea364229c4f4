import type { RunDetail } from '../../../server/api-types';
import type { NodePreview, TrainingPreview, TuningPreview } from '../../../nodes/preview';
import { EvaluationView } from './EvaluationView';
import { ImagesView } from './ImagesView';
import { ModelView } from './ModelView';
import { SplitView } from './SplitView';
import { TableView } from './TableView';
import { TrainingCurves } from './TrainingCurves';
import { TuningLeaderboard } from './TuningLeaderboard';
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

/** A settings search under way, or one cut short: the tries finished so far. */
function TuningView({ preview, live }: { preview: TuningPreview; live: boolean }) {
  return (
    <div className="preview preview-tuning" data-testid="tuning-preview">
      <p className={resultsStyles.previewLead}>
        {live ? 'Searching for the best settings of' : 'The search for the best settings of'} <strong>{preview.model}</strong>
        {live ? '…' : ' did not finish; these are the tries it made.'}
      </p>
      {preview.summary.length > 0 && (
        <ul className={resultsStyles.summaryList}>
          {preview.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <TuningLeaderboard board={preview.tuning} applied={false} />
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
    case 'tuning':
      return <TuningView preview={preview} live={running} />;
    default:
      return <p className="muted small">This result can't be shown here.</p>;
  }
}
