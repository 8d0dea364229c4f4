import type { RunDetail } from '../../../server/api-types';
import type { NodePreview } from '../../../nodes/preview';
import { EvaluationView } from './EvaluationView';
import { ModelView } from './ModelView';
import { SplitView } from './SplitView';
import { TableView } from './TableView';

export function PreviewView({ preview, run }: { preview: NodePreview; run?: RunDetail | null }) {
  switch (preview.kind) {
    case 'table':
      return <TableView preview={preview} />;
    case 'split':
      return <SplitView preview={preview} />;
    case 'model':
      return <ModelView preview={preview} run={run} />;
    case 'evaluation':
      return <EvaluationView preview={preview} />;
    default:
      return <p className="muted small">This result can't be shown here.</p>;
  }
}
