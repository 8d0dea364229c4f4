import { z } from 'zod';
import type { SelectBestStepState } from '../models/preprocessing/feature-steps';
import { SelectKBest } from '../models/preprocessing/feature-selection';
import { choice } from './lib/params';
import { addStepWithState, defineTableStep, tableResult } from './lib/table';

export const featuresSelect = defineTableStep({
  type: 'features.select',
  version: 1,
  title: 'Keep the best columns',
  category: 'Features',
  help: 'Ranks the number columns by how much they tell about the column to predict and keeps the top ones. Learned from the training rows only; the ranking is shown.',
  params: z.object({
    k: z.number().int().min(1).default(10).meta({
      title: 'Columns to keep (k)',
      description: 'The number of best-ranked columns to keep; text columns are kept as they are.',
    }),
    score: choice(
      {
        auto: 'Automatic',
        anova: 'How far apart the answers sit (ANOVA F test, categories)',
        mutualInfo: 'Any link, curved too (mutual information, categories)',
        fRegression: 'How well a straight line fits (F test, numbers)',
      },
      {
        default: 'auto',
        title: 'How to rank',
        description:
          'Automatic ranks a column higher the more its values differ between the answers (categories) or follow the number to predict in a straight line (numbers). "Any link" also catches curved relationships.',
      },
    ),
  }),
  async run({ params, inputs }) {
    const table = inputs.table;
    const { table: selected, state } = addStepWithState(table, { kind: 'selectBest', ...params });
    const selector = SelectKBest.fromJSON((state as SelectBestStepState).selector);
    const ranking = selector.ranking.map(({ feature, score, pValue, kept }) => ({ feature, score, pValue, kept }));
    const result = tableResult(selected, [`Kept ${selector.selected.length} of ${ranking.length} number columns: ${selector.selected.join(', ')}.`]);
    if (result.preview.kind === 'table') result.preview.ranking = ranking;
    return result;
  },
});
