import { z } from 'zod';
import { addStep, defineTableStep, tableResult } from './lib/table';

export const prepSelectColumns = defineTableStep({
  type: 'prep.selectColumns',
  version: 1,
  title: 'Select columns',
  category: 'Prepare',
  help: 'Keeps only the columns the model should learn from, and names the column to predict.',
  params: z.object({
    features: z.array(z.string()).default([]).meta({
      title: 'Columns to learn from',
      description: 'Leave empty to keep every column except the one to predict. Row ids and free text rarely help.',
      widget: 'columns',
    }),
    target: z.string().default('').meta({
      title: 'Column to predict',
      description: 'Leave empty to keep the one chosen in the data source.',
      widget: 'column',
    }),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    const spec = { kind: 'selectColumns' as const, features: params.features, target: params.target.trim() || null };
    return tableResult(addStep(table, spec));
  },
});
