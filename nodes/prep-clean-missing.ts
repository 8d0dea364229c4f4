import { z } from 'zod';
import { missingCount } from '../models/frame';
import { choice, columnsParam } from './lib/params';
import { addStep, defineTableStep, tableResult } from './lib/table';

export const prepCleanMissing = defineTableStep({
  type: 'prep.cleanMissing',
  version: 1,
  title: 'Clean missing values',
  category: 'Prepare',
  help: 'Deals with empty cells: drop the rows that have them, or fill them with a typical value. Rows with no value to predict are always dropped.',
  params: z.object({
    strategy: choice(
      {
        dropRows: 'Drop rows with empty cells',
        mean: 'Fill with the average',
        median: 'Fill with the middle value (median)',
        mode: 'Fill with the most common value',
        constant: 'Fill with a fixed value',
      },
      {
        default: 'dropRows',
        title: 'How to clean',
        description: 'Filling keeps every row; the typical value is learned from the training rows only.',
      },
    ),
    columns: columnsParam('Columns', 'Leave empty to clean every column.'),
    fillValue: z.string().default('').meta({
      title: 'Fixed value',
      description: 'Used when filling with a fixed value, e.g. 0 or "unknown".',
    }),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    const before = table.frame.rowCount;
    const missingBefore = table.frame.columns.reduce((sum, c) => sum + missingCount(c), 0);
    const cleaned = addStep(table, { kind: 'cleanMissing', ...params });
    const notes = [
      `${missingBefore.toLocaleString('en-US')} empty cells found; ${(before - cleaned.frame.rowCount).toLocaleString('en-US')} rows dropped.`,
    ];
    return tableResult(cleaned, notes);
  },
});
