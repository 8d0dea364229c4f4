import { z } from 'zod';
import { choice, columnsParam } from './lib/params';
import { addStep, defineTableStep, tableResult } from './lib/table';

export const prepNormalize = defineTableStep({
  type: 'prep.normalize',
  version: 1,
  title: 'Normalize',
  category: 'Prepare',
  help: 'Puts number columns on a common scale, so a balance in euros does not outweigh an age in years.',
  params: z.object({
    method: choice(
      { zscore: 'Standardize (average 0, spread 1)', minmax: 'Rescale to 0–1 (min-max)' },
      { default: 'zscore', title: 'How to scale', description: 'Standardize suits most models; 0–1 keeps every value inside a fixed range. The scale is learned from the training rows only.' },
    ),
    columns: columnsParam('Columns', 'Leave empty to scale every number column except the one to predict.'),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    return tableResult(addStep(table, { kind: 'normalize', ...params }));
  },
});
