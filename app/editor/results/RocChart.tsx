// The ROC plot is drawn by the chart kit, the same as in the HTML report (server/teams/report-charts.tsx).
import type { ModelEvaluation } from '../../../nodes/preview';
import { ROC_EXPLAINED, RocPlot, rocCurvesOfModels } from '../../../charts/RocChart';


interface RocChartProps {
  models: ModelEvaluation[];
  selected: string;
  onSelect(nodeId: string): void;
}

/** ROC curves of every model of one evaluation; clicking a curve or its legend entry picks the model. */
export function RocChart({ models, selected, onSelect }: RocChartProps) {
  return (
    <RocPlot curves={rocCurvesOfModels(models)} selected={selected} onSelect={onSelect} ariaLabel="ROC curves of the models" caption={ROC_EXPLAINED} />
  );
}
