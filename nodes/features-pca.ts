import { z } from 'zod';
import type { PcaStepState } from '../models/preprocessing/feature-steps';
import { formatPercent } from '../models/evaluation/metric-vocabulary';
import { PCA } from '../models/preprocessing/pca';
import { columnsParam } from './lib/params';
import { addStepWithState, defineTableStep, tableResult } from './lib/table';

export const featuresPca = defineTableStep({
  type: 'features.pca',
  version: 1,
  title: 'PCA (compress columns)',
  category: 'Features',
  help: 'Summarizes many related number columns into a few new ones (principal components) that keep most of the information. Scale the columns first (Normalize); learned from the training rows only.',
  params: z.object({
    components: z.number().int().min(1).max(500).default(5).meta({
      title: 'New columns to keep (components)',
      description: 'How many new columns to keep. The chart shows how much of the variation each one keeps.',
    }),
    columns: columnsParam('Columns to compress', 'Leave empty to use every number column except the one to predict.'),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    const { table: compressed, state } = addStepWithState(table, { kind: 'pca', ...params });
    const pca = PCA.fromJSON((state as PcaStepState).pca);
    let cumulative = 0;
    const explainedVariance = pca.explainedVarianceRatio.map((ratio, i) => {
      cumulative += ratio;
      const loadings = pca.topLoadings(i, 3).map((l) => `${l.feature} ${l.weight >= 0 ? '+' : '−'}${Math.abs(l.weight).toFixed(2)}`);
      return { component: pca.componentNames()[i], ratio, cumulative, topLoadings: loadings.join(', ') };
    });
    const result = tableResult(compressed, [
      `${(state as PcaStepState).columns.length} number columns became ${params.components} components keeping ${formatPercent(cumulative)} of their variation.`,
    ]);
    if (result.preview.kind === 'table') result.preview.explainedVariance = explainedVariance;
    return result;
  },
});
