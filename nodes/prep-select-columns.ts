import { z } from 'zod';
import { columnsParam, targetParam } from './lib/params';
import { addStep, defineTableStep, tableResult } from './lib/table';

export const prepSelectColumns = defineTableStep({
  type: 'prep.selectColumns',
  version: 1,
  title: 'Select columns',
  category: 'Prepare',
  help: 'Keeps only the columns the model should learn from, and names the column to predict.',
  params: z.object({
    features: columnsParam('Columns to learn from', 'Leave empty to keep every column except the one to predict. Row ids and free text rarely help.'),
    target: targetParam('Leave empty to keep the one chosen in the data source.'),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    const spec = { kind: 'selectColumns' as const, features: params.features, target: params.target.trim() || null };
    return tableResult(addStep(table, spec));
  },
});
