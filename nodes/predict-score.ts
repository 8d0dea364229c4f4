import { z } from 'zod';
import { takeRows, type Frame } from '../models/frame';
import { defineNode } from './define';
import { frameToCsvPieces } from './lib/csv-write';
import { tableResult } from './lib/table';
import { predictColumns, withReasons } from './lib/score-rows';
import { scoredFrame } from './lib/score-stream';

export const predictScore = defineNode({
  type: 'predict.score',
  version: 1,
  title: 'Score new rows',
  category: 'Evaluate',
  help: 'Applies a trained model, with all the preparation it learned, to a new table such as this week\'s customer list, and adds its prediction to every row. Download the result as CSV.',
  inputs: [
    { name: 'model', type: 'model', label: 'Model' },
    { name: 'table', type: 'table', label: 'New rows' },
  ],
  outputs: [{ name: 'table', type: 'table', label: 'Scored table' }],
  params: z.object({
    sortByProbability: z.boolean().default(true).meta({
      title: 'Most likely first',
      description: 'For yes/no predictions: sort the list so the rows most likely to be the second class (e.g. "yes") come first.',
    }),
    addReasons: z.boolean().default(false).meta({
      title: 'Add the top three reasons',
      description: 'Adds, for every row, the three columns that weigh most on its prediction, in words (e.g. "age 67 raises the chance of “yes”").',
    }),
  }),
  async run({ params, inputs, ctx }) {
    const model = inputs.model;
    const table = inputs.table;
    const { columns, unscored } = predictColumns(model, table.frame);
    let scored: Frame = scoredFrame(table.frame, columns);
    const probabilityColumn = model.classes.length === 2 ? columns[1] : undefined;
    if (params.sortByProbability && probabilityColumn?.type === 'number') {
      const p = probabilityColumn.values;
      const order = Array.from({ length: scored.rowCount }, (_, i) => i).sort((a, b) => (Number.isNaN(p[b]) ? -1 : p[b]) - (Number.isNaN(p[a]) ? -1 : p[a]));
      scored = takeRows(scored, order);
    }
    const notes = [
      `${(table.frame.rowCount - unscored).toLocaleString('en-US')} rows scored by ${model.title}.`,
      ...(unscored ? [`${unscored.toLocaleString('en-US')} rows were not scored: they have empty cells the model's cleaning step drops.`] : []),
    ];
    if (params.addReasons) {
      ctx.progress(0.5, 'Finding the reasons behind each prediction');
      const explained = withReasons(model, scored);
      scored = explained.frame;
      notes.push(explained.note);
    }
    const result = tableResult({ ...table, frame: scored, source: scored, steps: [], target: null, sourceTarget: null }, notes);
    const stored = ctx.artifacts.write(`scored-${model.target}.csv`, frameToCsvPieces(scored));
    if (result.preview.kind === 'table') result.preview.download = { ...stored, label: 'Download scored list (CSV)' };
    return result;
  },
});
