import { z } from 'zod';
import { columnsParam } from './lib/params';
import { addStep, defineTableStep, tableResult } from './lib/table';

export const prepOneHot = defineTableStep({
  type: 'prep.oneHot',
  version: 1,
  title: 'One-hot encode',
  category: 'Prepare',
  help: 'Turns text columns (job, month, ...) into yes/no number columns, one per value, so models can use them.',
  params: z.object({
    columns: columnsParam('Columns', 'Leave empty to encode every text column except the one to predict.'),
    dropFirst: z.boolean().default(false).meta({
      title: 'Leave out one value per column (drop first)',
      description: 'The left-out value reads as "none of the others". Only matters for a linear regression that does not shrink its weights; other models do not need it.',
    }),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    const encoded = addStep(table, { kind: 'oneHot', ...params });
    const added = encoded.frame.columns.length - table.frame.columns.length;
    return tableResult(encoded, [`${table.frame.columns.length} columns became ${encoded.frame.columns.length} (${added >= 0 ? '+' : ''}${added}).`]);
  },
});
