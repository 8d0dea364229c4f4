import { z } from 'zod';
import { distinctValues, getColumn, labelsOf, takeRowsReleasing, type Column, type Frame } from '../models/frame';
import { applyPreprocessing, fitPreprocessing, PreprocessingError } from '../models/preprocessing/preprocessing';
import { trainTestSplit } from '../models/split';
import type { SplitPreview } from './preview';
import { defineNode, NodeInputError } from './define';
import { classBalance } from './lib/class-balance';
import { choice, seedParam } from './lib/params';
import { tablePreview } from './lib/summarize';
import { checkTarget } from './lib/table';
import { isImageSet } from './lib/image-sets';
import { splitImages } from './lib/image-split';
import type { SplitValue, TableValue, Task } from './values';

/** Text targets, and whole-number targets with few values, are categories to classify. */
export function inferTask(frame: Frame, target: string): Task {
  const column = getColumn(frame, target);
  if (column.type === 'category') return 'classification';
  const values = distinctValues(column) as number[];
  return values.length <= 10 && values.every(Number.isInteger) ? 'classification' : 'regression';
}

export const prepSplit = defineNode({
  type: 'prep.split',
  version: 1,
  title: 'Train/test split',
  category: 'Prepare',
  help: 'Holds back part of the rows (or photos) to test the model on data it never saw. Every preparation step before it is learned from the training rows only.',
  inputs: [{ name: 'table', type: 'table', label: 'Table or photos', accepts: ['images'] }],
  outputs: [{ name: 'split', type: 'split', label: 'Train/test' }],
  params: z.object({
    testFraction: z
      .number()
      .min(0)
      .max(0.9)
      .refine((share) => share === 0 || share >= 0.05, 'Keep at least 5% of the rows for testing, or 0 to train on every row.')
      .default(0.2)
      .meta({
        title: 'Share of rows for testing',
        description:
          '0.2 keeps 20% of the rows aside to test the model. 0 trains on every row (the usual last step once a model is chosen): Evaluate then scores with cross-validation only.',
      }),
    seed: seedParam('Shuffle seed', 'The same seed picks the same rows every run, so results can be compared.'),
    stratify: z.boolean().default(true).meta({
      title: 'Keep class shares equal',
      description: 'For categories to predict: train and test get the same share of each class (e.g. 11.7% "yes" in both).',
    }),
    task: choice(
      { auto: 'Detect', classification: 'Categories (classification)', regression: 'Numbers (regression)' },
      {
        default: 'auto',
        title: 'Kind of prediction',
        description: 'Detected from the column to predict: text means categories, other numbers mean a quantity.',
      },
    ),
  }),
  async run({ params, inputs }) {
    const input = inputs.table;
    if (isImageSet(input)) return splitImages(input, params);
    const table = input;
    if (!table.target) {
      throw new NodeInputError('No column to predict is chosen: set it in the data source or in a Select columns node.');
    }
    checkTarget(table.frame, table.target);
    const task = params.task === 'auto' ? inferTask(table.frame, table.target) : params.task;
    if (task === 'regression' && getColumn(table.frame, table.target).type !== 'number') {
      throw new NodeInputError(`The column to predict "${table.target}" holds text, so it cannot be predicted as a number.`);
    }
    const stratify =
      params.stratify && task === 'classification'
        ? labelsOf(getColumn(table.source, table.target)).map((l) => l ?? '(empty)')
        : undefined;
    let rows;
    try {
      rows = trainTestSplit(table.source.rowCount, { testFraction: params.testFraction, seed: params.seed, stratify });
    } catch (error) {
      throw new NodeInputError((error as Error).message);
    }
    const [rawTrain, rawTest] = await takeSplitRows([...table.source.columns], rows);
    const { train, test, fitted } = fitOnTrain(table, rawTrain, rawTest);
    const classes = task === 'classification' ? classLabels([train, test], table.target) : [];
    const value: SplitValue = {
      train,
      test,
      target: table.target,
      task,
      classes,
      preprocessing: fitted,
      rawTrain,
      steps: table.steps,
      sourceTarget: table.sourceTarget,
    };
    const preview: SplitPreview = {
      kind: 'split',
      trainRows: train.rowCount,
      testRows: test.rowCount,
      target: table.target,
      task,
      classBalance: task === 'classification' ? classBalance(train, test, table.target, classes) : undefined,
      train: tablePreview(train, table.target, 10),
    };
    return { outputs: { split: value }, preview };
  },
});

/**
 * The train and test rows, copied one column at a time from `columns`, which the caller hands over (it must not
 * read the table again). A table read from its columns file is held only weakly by its value (storedTableValue),
 * and a weakly held object read during a job lives until that job ends: waiting for the next one leaves this
 * list as the table's last reference, so each column goes once its rows are copied, and the table, its train
 * rows and its test rows are never all in memory together. A table something else holds is copied as before.
 */
async function takeSplitRows(columns: (Column | undefined)[], rows: { train: Int32Array; test: Int32Array }): Promise<[Frame, Frame]> {
  await new Promise((resolve) => setImmediate(resolve));
  const [train, test] = takeRowsReleasing(columns, [rows.train, rows.test]);
  return [train, test];
}

function classLabels(frames: Frame[], target: string): string[] {
  const labels = new Set<string>();
  for (const frame of frames) for (const label of labelsOf(getColumn(frame, target))) if (label !== null) labels.add(label);
  return [...labels].sort();
}

function fitOnTrain(table: TableValue, rawTrain: Frame, rawTest: Frame) {
  try {
    const { fitted, output: train } = fitPreprocessing(table.steps, rawTrain, table.sourceTarget);
    const test = applyPreprocessing(fitted, rawTest);
    return { train, test, fitted };
  } catch (error) {
    if (error instanceof PreprocessingError) throw new NodeInputError(error.message);
    throw error;
  }
}
