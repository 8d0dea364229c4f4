import { z } from 'zod';
import { takeRows, type Frame } from '../models/frame';
import { defineNode, type NodeContext } from './define';
import { frameToCsvPieces } from './lib/csv-write';
import { tableResult } from './lib/table';
import { predictColumns, refusePhotoModel, withReasons } from './lib/score-rows';
import { scoreRowBlocks, type ScoreOptions } from './lib/score-blocks';
import { rowBlocksOf } from './lib/stored-table';
import type { ModelValue, TableValue } from './values';
import { scoredFrame } from './lib/score-stream';
import { readyForModels } from './lib/tf-backends';

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
    const { model, table } = inputs;
    await readyForModels([model]);
    const fileName = `scored-${model.target}.csv`;
    const blocks = rowBlocksOf(table);
    if (blocks) {
      // Straight from a data source: the rows are read, scored and written a block at a time.
      refusePhotoModel(model);
      const streamed = scoreRowBlocks(model, blocks, params, { artifacts: ctx.artifacts, fileName }, ctx);
      // A step wired after this one gets the whole scored table, computed when it first reads it (after this
      // step has finished, so without progress messages).
      let scored: Frame | null = null;
      const load = () => (scored ??= scoreTable(model, table.frame, params, { progress: () => {} }).scored);
      const output: TableValue = {
        get frame() {
          return load();
        },
        get source() {
          return load();
        },
        target: null,
        sourceTarget: null,
        steps: [],
        origin: table.origin,
      };
      const preview = { ...streamed.preview, download: { ...streamed.stored, label: 'Download scored list (CSV)' } };
      return { outputs: { table: output }, preview };
    }
    const { scored, notes } = scoreTable(model, table.frame, params, ctx);
    const result = tableResult({ ...table, frame: scored, source: scored, steps: [], target: null, sourceTarget: null }, notes);
    const stored = ctx.artifacts.write(fileName, frameToCsvPieces(scored));
    if (result.preview.kind === 'table') result.preview.download = { ...stored, label: 'Download scored list (CSV)' };
    return result;
  },
});

/** The whole table scored at once: sorted by probability and with reasons when asked, and the notes on it. */
export function scoreTable(model: ModelValue, frame: Frame, params: ScoreOptions, ctx: Pick<NodeContext, 'progress'>): { scored: Frame; notes: string[] } {
  const { columns, unscored } = predictColumns(model, frame);
  let scored: Frame = scoredFrame(frame, columns);
  const probabilityColumn = model.classes.length === 2 ? columns[1] : undefined;
  if (params.sortByProbability && probabilityColumn?.type === 'number') {
    const p = probabilityColumn.values;
    const order = Array.from({ length: scored.rowCount }, (_, i) => i).sort((a, b) => (Number.isNaN(p[b]) ? -1 : p[b]) - (Number.isNaN(p[a]) ? -1 : p[a]));
    scored = takeRows(scored, order);
  }
  const notes = [
    `${(frame.rowCount - unscored).toLocaleString('en-US')} rows scored by ${model.title}.`,
    ...(unscored ? [`${unscored.toLocaleString('en-US')} rows were not scored: they have empty cells the model's cleaning step drops.`] : []),
  ];
  if (params.addReasons) {
    ctx.progress(0.5, 'Finding the reasons behind each prediction');
    const explained = withReasons(model, scored);
    scored = explained.frame;
    notes.push(explained.note);
  }
  return { scored, notes };
}
