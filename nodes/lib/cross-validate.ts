import { getColumn, labelsOf, takeRows, type Frame } from '../../models/frame';
import { kFoldIndices, meanAndStd } from '../../models/evaluation/cross-validation';
import { applyPreprocessing, fitPreprocessing } from '../../models/preprocessing/preprocessing';
import { randomOverSample, randomUnderSample } from '../../models/preprocessing/resample';
import { NodeInputError } from '../define';
import type { ModelValue, SplitValue } from '../values';
import { scoreClassifier, scoreRegressor } from './scoring';
import type { FitOptions } from '../../models/estimator';
import { classIndices } from './model-data';
import { fitModel, trainingSet, type TrainableModel, type TrainingSet } from './training';

export interface Fold {
  train: Frame;
  heldOut: Frame;
}

/**
 * Deals the raw training rows into k folds and prepares each one: the preprocessing steps are refitted
 * on the fold's training part only (no leakage into the held-out part), and the training part is
 * rebalanced the way the pipeline does. Done once, shared by every model compared.
 */
export function prepareFolds(split: SplitValue, folds: number, seed: number): Fold[] {
  const labels = split.task === 'classification' ? labelsOf(getColumn(split.rawTrain, split.target)).map((l) => l ?? '(empty)') : undefined;
  let foldRows;
  try {
    foldRows = kFoldIndices(split.rawTrain.rowCount, { folds, seed, stratify: labels });
  } catch (error) {
    throw new NodeInputError(`Cross-validation: ${(error as Error).message}`);
  }
  return foldRows.map((rows) => {
    const { fitted, output } = fitPreprocessing(split.steps, takeRows(split.rawTrain, rows.train), split.sourceTarget);
    const heldOut = applyPreprocessing(fitted, takeRows(split.rawTrain, rows.test));
    if (!split.balance || split.balance.method === 'classWeights') return { train: output, heldOut };
    const resample = split.balance.method === 'oversample' ? randomOverSample : randomUnderSample;
    const labelsInFold = classIndices(output, split.target, split.classes);
    return { train: takeRows(output, resample(labelsInFold, split.balance.seed)), heldOut };
  });
}

/**
 * Trains a fresh model with the same settings on each fold, through the training its node declares,
 * and scores it on the held-out rows: mean ± std per metric.
 */
export async function crossValidate(
  node: TrainableModel,
  model: ModelValue,
  split: SplitValue,
  folds: Fold[],
  options: FitOptions,
): Promise<Record<string, { mean: number; std: number }>> {
  return crossValidateSettings(node, node.params.parse(model.params), model.title, split, folds, options);
}

/** The same, for settings not yet trained into a model (a try of a settings search). */
export async function crossValidateSettings(
  node: TrainableModel,
  params: Record<string, unknown>,
  title: string,
  split: Pick<SplitValue, 'target' | 'task' | 'classes' | 'balance' | 'images' | 'imageFeatures'>,
  folds: Fold[],
  options: FitOptions,
): Promise<Record<string, { mean: number; std: number }>> {
  const perFold: Record<string, number>[] = [];
  for (const [index, fold] of folds.entries()) {
    if (options.signal?.aborted) throw new Error('Cancelled');
    options.onProgress?.(index / folds.length, `Cross-validating ${title}: fold ${index + 1} of ${folds.length}`);
    perFold.push(await scoreFold(node, params, () => trainingSet(fold.train, split, node), () => trainingSet(fold.heldOut, split, node), options));
  }
  return foldSummary(perFold);
}

/** A fold's rows as the model trains on and is scored on them: built once, shared by every try of a search. */
export interface FoldSets {
  train: TrainingSet;
  heldOut: TrainingSet;
}

export function foldSets(
  node: TrainableModel,
  split: Pick<SplitValue, 'target' | 'task' | 'classes' | 'balance' | 'images' | 'imageFeatures'>,
  folds: Fold[],
): FoldSets[] {
  return folds.map((fold) => ({ train: trainingSet(fold.train, split, node), heldOut: trainingSet(fold.heldOut, split, node) }));
}

/** Cross-validation on folds already built into training sets: the same fits and scores as `crossValidateSettings`. */
export async function crossValidateSets(
  node: TrainableModel,
  params: Record<string, unknown>,
  title: string,
  sets: FoldSets[],
  options: FitOptions,
): Promise<Record<string, { mean: number; std: number }>> {
  const perFold: Record<string, number>[] = [];
  for (const [index, fold] of sets.entries()) {
    if (options.signal?.aborted) throw new Error('Cancelled');
    options.onProgress?.(index / sets.length, `Cross-validating ${title}: fold ${index + 1} of ${sets.length}`);
    perFold.push(await scoreFold(node, params, () => fold.train, () => fold.heldOut, options));
  }
  return foldSummary(perFold);
}

/** Trains on one fold's training rows and scores on its held-out rows (built only once the fit is done, as before). */
async function scoreFold(
  node: TrainableModel,
  params: Record<string, unknown>,
  train: () => TrainingSet,
  heldOut: () => TrainingSet,
  options: FitOptions,
): Promise<Record<string, number>> {
  const { estimator } = await fitModel(node, params, train(), options);
  const testSet = heldOut();
  return testSet.task === 'classification'
    ? scoreClassifier(estimator, testSet.X, testSet.y as Int32Array, testSet.classes).metrics
    : scoreRegressor(estimator, testSet.X, testSet.y as Float64Array).metrics;
}

/** Mean ± std of each metric every fold could compute. */
export function foldSummary(perFold: Record<string, number>[]): Record<string, { mean: number; std: number }> {
  const summary: Record<string, { mean: number; std: number }> = {};
  for (const name of Object.keys(perFold[0] ?? {})) {
    const values = perFold.map((m) => m[name]).filter((v) => v !== undefined && Number.isFinite(v));
    if (values.length === perFold.length) summary[name] = meanAndStd(values);
  }
  return summary;
}
