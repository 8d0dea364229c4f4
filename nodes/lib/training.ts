import type { z } from 'zod';
import type { Estimator, FitOptions } from '../../models/estimator';
import { getColumn, type Frame, type Matrix } from '../../models/frame';
import { trainTestSplit } from '../../models/split';
import { NodeInputError } from '../define';
import type { SplitValue, Task } from '../values';
import { classIndices, featureMatrix, numericTarget } from './model-data';
import { choice } from './params';
import { tensorFlowReady } from './tf-backends';
import type { SearchDeclaration } from './search-settings';

/** What a model is trained on: features, target and the task, plus any class balancing asked for upstream. */
export interface TrainingSet {
  X: Matrix;
  y: Int32Array | Float64Array;
  features: string[];
  classes: string[];
  task: Task;
  /** True when a Balance classes node asked for class weights. */
  weightClasses: boolean;
}

/**
 * How a model node trains on table rows, declared once in its node file: the node's run, cross-validation
 * and anything else that trains the model again (on folds, with other settings) go through it.
 */
export interface ModelTraining<Params, Model extends Estimator = Estimator> {
  /** The tasks this model can learn. */
  tasks: readonly Task[];
  /** An unfitted estimator for these settings and this training set (e.g. squared error for numbers). */
  estimator(params: Params, set: TrainingSet): Model;
  /** Narrows the training rows before fitting (e.g. a sample for models whose cost grows fast with rows). */
  limitRows?(params: Params, set: TrainingSet): TrainingSet;
  /**
   * Which settings "Search for the best settings" tries, and over what values; without it, every setting whose
   * own definition gives candidates (choices, bounded numbers) is searched.
   */
  search?: SearchDeclaration;
  /**
   * The estimator computes on TensorFlow.js (always, or for the training sets this says): its backend is started
   * before it fits, and a thread scoring its search's tries starts the run's backend first. Models without it
   * never load TensorFlow.js (loading it takes a second and ~50-90 MB).
   */
  tensorflow?: boolean | ((set: TrainingSet) => boolean);
}

/** A model node as the rest of the pipeline sees it: a title, a params schema and its training. */
export interface TrainableModel<P extends z.ZodObject = z.ZodObject, Model extends Estimator = Estimator> {
  type: string;
  title: string;
  params: P;
  training: ModelTraining<z.output<P>, Model>;
}

/** Builds the rows a model trains on (after any limit it applies) and fits its estimator on them. */
export async function fitModel<P extends z.ZodObject, Model extends Estimator>(
  model: TrainableModel<P, Model>,
  params: z.output<P>,
  fullSet: TrainingSet,
  options: FitOptions,
): Promise<{ estimator: Model; set: TrainingSet }> {
  const set = model.training.limitRows?.(params, fullSet) ?? fullSet;
  if (needsTensorFlow(model, set)) await tensorFlowReady();
  const estimator = model.training.estimator(params, set);
  const classCount = set.task === 'classification' ? set.classes.length : undefined;
  await estimator.fit(set.X, set.y, { ...options, featureNames: set.features, classCount });
  return { estimator, set };
}

/** Whether the model computes on TensorFlow.js when it fits this set. */
export function needsTensorFlow(model: Pick<TrainableModel, 'training'>, set: TrainingSet): boolean {
  const { tensorflow } = model.training;
  return typeof tensorflow === 'function' ? tensorflow(set) : !!tensorflow;
}

/** The "Rare classes" setting every classifier offers; `description` says what balancing means for this model. */
export function rareClassesParam(description: string) {
  return choice({ none: 'Treat every row the same', balanced: 'Balance the classes' }, { default: 'none', title: 'Rare classes', description });
}

/** "balanced" when the node or a Balance classes node upstream asks for class weights. */
export function classWeightOf(params: { classWeight?: 'none' | 'balanced' }, set: TrainingSet): 'none' | 'balanced' {
  return set.weightClasses || params.classWeight === 'balanced' ? 'balanced' : 'none';
}

/** At most `maxRows` rows, keeping each class's share (same rows every time). */
export function stratifiedSample(set: TrainingSet, maxRows: number): TrainingSet {
  const rows = set.X.rows;
  if (!maxRows || rows <= maxRows) return set;
  const labels = Array.from(set.y as Int32Array, String);
  const { test: kept } = trainTestSplit(rows, { testFraction: maxRows / rows, seed: 7, stratify: labels });
  const cols = set.X.cols;
  const data = new Float64Array(kept.length * cols);
  kept.forEach((row, i) => data.set(set.X.data.subarray(row * cols, (row + 1) * cols), i * cols));
  return { ...set, X: { data, rows: kept.length, cols }, y: Int32Array.from(kept, (row) => set.y[row]) };
}

/** Builds the matrices a model trains on, refusing a task the model cannot do. */
export function trainingSet(
  frame: Frame,
  split: Pick<SplitValue, 'target' | 'task' | 'classes' | 'balance' | 'images' | 'imageFeatures'>,
  model: Pick<TrainableModel, 'title'> & { training: Pick<ModelTraining<never>, 'tasks'> },
): TrainingSet {
  if (!model.training.tasks.includes(split.task)) {
    const hint =
      split.task === 'classification'
        ? `"${split.target}" holds categories; use Logistic regression, a Decision tree or an SVM instead`
        : `"${split.target}" holds numbers to estimate; use Linear regression or a Decision tree instead`;
    throw new NodeInputError(`${model.title} cannot predict this: ${hint}.`);
  }
  const features = frame.columns.map((c) => c.name).filter((name) => name !== split.target);
  if (split.images && !split.imageFeatures) {
    throw new NodeInputError(
      `${model.title} learns from table columns, and this split holds photos. Put an Image features step between the split and this model, or train a Convolutional network on the photos.`,
    );
  }
  if (features.length === 0) throw new NodeInputError('There are no columns left to learn from besides the one to predict.');
  getColumn(frame, split.target);
  return {
    X: featureMatrix(frame, features),
    y: split.task === 'classification' ? classIndices(frame, split.target, split.classes) : numericTarget(frame, split.target),
    features,
    classes: split.classes,
    task: split.task,
    weightClasses: split.balance?.method === 'classWeights',
  };
}
