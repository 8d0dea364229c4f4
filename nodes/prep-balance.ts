import { z } from 'zod';
import { takeRows } from '../models/frame';
import { randomOverSample, randomUnderSample } from '../models/preprocessing/resample';
import { subsetImageSet } from './lib/image-sets';
import { defineNode, NodeInputError } from './define';
import { classIndices } from './lib/model-data';
import { choice, seedParam } from './lib/params';
import { tablePreview } from './lib/summarize';
import { classBalance } from './lib/class-balance';
import type { SplitPreview } from './preview';
import type { SplitValue } from './values';

export const prepBalance = defineNode({
  type: 'prep.balance',
  version: 1,
  title: 'Balance classes',
  category: 'Prepare',
  help: 'When one answer is rare (11.7% "yes"), models tend to ignore it. This rebalances the training rows only; the test rows stay as they are, so the scores stay honest.',
  inputs: [{ name: 'split', type: 'split', label: 'Train/test' }],
  outputs: [{ name: 'split', type: 'split', label: 'Train/test' }],
  params: z.object({
    method: choice(
      {
        oversample: 'Repeat rows of rare classes (over-sampling)',
        undersample: 'Drop rows of common classes (under-sampling)',
        classWeights: 'Weigh the classes in the model (class weights)',
      },
      {
        default: 'oversample',
        title: 'How to balance',
        description: 'Repeat rare rows, drop common rows, or keep the rows and tell the model to weigh the classes equally.',
      },
    ),
    seed: seedParam('Random seed', 'The same seed picks the same rows every run.'),
  }),
  async run({ params, inputs }) {
    const split = inputs.split;
    if (split.task !== 'classification') {
      throw new NodeInputError(`Balancing is for categories to predict; "${split.target}" holds numbers.`);
    }
    const labels = classIndices(split.train, split.target, split.classes);
    let train = split.train;
    let images = split.images;
    if (params.method !== 'classWeights') {
      const rows = params.method === 'oversample' ? randomOverSample(labels, params.seed) : randomUnderSample(labels, params.seed);
      train = takeRows(split.train, rows);
      if (images) images = { ...images, train: subsetImageSet(images.train, rows) };
    }
    const balanced: SplitValue = { ...split, train, images, balance: { method: params.method, seed: params.seed } };
    const preview: SplitPreview = {
      kind: 'split',
      trainRows: train.rowCount,
      testRows: split.test.rowCount,
      target: split.target,
      task: split.task,
      classBalance: classBalance(train, split.test, split.target, split.classes),
      train: tablePreview(train, split.target, 10, [
        params.method === 'classWeights'
          ? 'Rows unchanged; models wired after this weigh every class equally.'
          : `${split.train.rowCount.toLocaleString('en-US')} training rows became ${train.rowCount.toLocaleString('en-US')}.`,
      ]),
    };
    return { outputs: { split: balanced }, preview };
  },
});
