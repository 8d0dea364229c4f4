import { fitPreprocessing } from '../../models/preprocessing/preprocessing';
import { trainTestSplit } from '../../models/split';
import type { Frame } from '../../models/frame';
import { NodeInputError, type NodeRunResult } from '../define';
import { classBalance } from './class-balance';
import type { SplitPreview } from '../preview';
import type { ImageSetValue, SplitValue } from '../values';
import { requirePixels, subsetImageSet } from './image-sets';
import { tablePreview } from './summarize';

export const IMAGE_LABEL = 'label';

/** The labels of a set of photos as a one-column table, row for row. */
export function labelFrame(set: ImageSetValue): Frame {
  return { columns: [{ name: IMAGE_LABEL, type: 'category', values: set.items.map((item) => item.label) }], rowCount: set.items.length };
}

/** Splits photos into training and test photos, keeping each label's share in both. */
export function splitImages(set: ImageSetValue, params: { testFraction: number; seed: number; stratify: boolean }): NodeRunResult<{ split: SplitValue }> {
  requirePixels(set, 'Train/test split');
  const labels = set.items.map((item) => item.label);
  let rows;
  try {
    rows = trainTestSplit(labels.length, { testFraction: params.testFraction, seed: params.seed, stratify: params.stratify ? labels : undefined });
  } catch (error) {
    throw new NodeInputError((error as Error).message);
  }
  const images = { train: subsetImageSet(set, rows.train), test: subsetImageSet(set, rows.test) };
  const train = labelFrame(images.train);
  const test = labelFrame(images.test);
  const { fitted } = fitPreprocessing([], train, IMAGE_LABEL);
  const value: SplitValue = {
    train,
    test,
    target: IMAGE_LABEL,
    task: 'classification',
    classes: set.classes,
    preprocessing: fitted,
    rawTrain: train,
    steps: [],
    sourceTarget: IMAGE_LABEL,
    images,
  };
  const preview: SplitPreview = {
    kind: 'split',
    trainRows: train.rowCount,
    testRows: test.rowCount,
    target: IMAGE_LABEL,
    task: 'classification',
    classBalance: classBalance(train, test, IMAGE_LABEL, set.classes),
    train: tablePreview(train, IMAGE_LABEL, 10, [`Photos: ${train.rowCount} to train on, ${test.rowCount} kept aside to test.`]),
  };
  return { outputs: { split: value }, preview };
}
