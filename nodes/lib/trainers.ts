import type { FitOptions } from '../../models/fit-options';
import { getColumn, type Frame, type Matrix } from '../../models/frame';
import { ConvNet } from '../../models/cnn/cnn';
import { DecisionTree } from '../../models/tree/decision-tree';
import { LinearRegression } from '../../models/linear/linear-regression';
import { LogisticRegression } from '../../models/linear/logistic-regression';
import { SupportVectorClassifier } from '../../models/svm/svm';
import { trainTestSplit } from '../../models/split';
import { NodeInputError } from '../define';
import type { SplitValue, Task } from '../values';
import { classIndices, featureMatrix, numericTarget } from './model-data';

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

export interface Estimator {
  predict(X: Matrix): Int32Array | Float64Array;
  predictProba?(X: Matrix): Float64Array;
  toJSON(): unknown;
  /** Frees memory held outside JavaScript (a network's tensors). */
  dispose?(): void;
}

export type { FitOptions };

interface Trainer {
  title: string;
  tasks: Task[];
  /** Narrows the training rows before fitting (e.g. a sample for models whose cost grows fast with rows). */
  limitRows?(params: Record<string, unknown>, set: TrainingSet): TrainingSet;
  fit(params: Record<string, unknown>, set: TrainingSet, options: FitOptions): Promise<Estimator>;
}

const classWeightOf = (params: Record<string, unknown>, set: TrainingSet) =>
  set.weightClasses || params.classWeight === 'balanced' ? 'balanced' : 'none';

/** Every trainable model type, so a model can be trained again on other rows (cross-validation). */
export const TRAINERS: Record<string, Trainer> = {
  'model.linearRegression': {
    title: 'Linear regression',
    tasks: ['regression'],
    async fit(params, set) {
      return new LinearRegression(params as never).fit(set.X, set.y as Float64Array, set.features);
    },
  },
  'model.logisticRegression': {
    title: 'Logistic regression',
    tasks: ['classification'],
    async fit(params, set, options) {
      const model = new LogisticRegression({ ...(params as object), classWeight: classWeightOf(params, set) });
      return model.fit(set.X, set.y as Int32Array, set.classes.length, set.features, options);
    },
  },
  'model.decisionTree': {
    title: 'Decision tree',
    tasks: ['classification', 'regression'],
    async fit(params, set) {
      const tree = new DecisionTree({
        task: set.task,
        criterion: set.task === 'regression' ? 'squared_error' : (params.criterion as 'gini' | 'entropy'),
        maxDepth: (params.maxDepth as number) || null,
        minSamplesLeaf: params.minSamplesLeaf as number,
        classWeight: classWeightOf(params, set),
      });
      return tree.fit(set.X, set.y, set.features, set.classes.length || undefined);
    },
  },
  'model.svm': {
    title: 'Support vector machine',
    tasks: ['classification'],
    limitRows: (params, set) => stratifiedSample(set, params.maxTrainRows as number),
    async fit(params, set, options) {
      const gamma = params.gamma === 'scale' || params.gamma === 'auto' ? params.gamma : Number(params.gammaValue);
      const svm = new SupportVectorClassifier({
        kernel: params.kernel as 'linear' | 'rbf',
        C: params.C as number,
        gamma,
        classWeight: classWeightOf(params, set),
        probability: true,
      });
      return svm.fit(set.X, set.y as Int32Array, set.classes.length, set.features, options);
    },
  },
};

/** At most `maxRows` rows, keeping each class's share (same rows every time). */
function stratifiedSample(set: TrainingSet, maxRows: number): TrainingSet {
  const rows = set.X.rows;
  if (!maxRows || rows <= maxRows) return set;
  const labels = Array.from(set.y as Int32Array, String);
  const { test: kept } = trainTestSplit(rows, { testFraction: maxRows / rows, seed: 7, stratify: labels });
  const cols = set.X.cols;
  const data = new Float64Array(kept.length * cols);
  kept.forEach((row, i) => data.set(set.X.data.subarray(row * cols, (row + 1) * cols), i * cols));
  return { ...set, X: { data, rows: kept.length, cols }, y: Int32Array.from(kept, (row) => set.y[row]) };
}

/** The rows a model type actually trains on, after any limit it applies. */
export function rowsForTraining(modelType: string, params: Record<string, unknown>, set: TrainingSet): TrainingSet {
  return TRAINERS[modelType].limitRows?.(params, set) ?? set;
}

/** Rebuilds a trained estimator from its saved JSON. */
export function restoreEstimator(json: unknown): Estimator {
  const kind = (json as { kind?: string } | null)?.kind;
  if (kind === 'linearRegression') return LinearRegression.fromJSON(json as never);
  if (kind === 'logisticRegression') return LogisticRegression.fromJSON(json as never);
  if (kind === 'decisionTree') return DecisionTree.fromJSON(json as never);
  if (kind === 'supportVectorClassifier') return SupportVectorClassifier.fromJSON(json as never);
  if (kind === 'convNet') return ConvNet.fromJSON(json as never);
  throw new NodeInputError(`This Pipelab cannot use a model of kind "${kind ?? 'unknown'}".`);
}

/** Builds the matrices a model trains on, refusing a task the model cannot do. */
export function trainingSet(
  frame: Frame,
  split: Pick<SplitValue, 'target' | 'task' | 'classes' | 'balance' | 'images' | 'imageFeatures'>,
  modelType: string,
): TrainingSet {
  const trainer = TRAINERS[modelType];
  if (!trainer.tasks.includes(split.task)) {
    const hint =
      split.task === 'classification'
        ? `"${split.target}" holds categories; use Logistic regression, a Decision tree or an SVM instead`
        : `"${split.target}" holds numbers to estimate; use Linear regression or a Decision tree instead`;
    throw new NodeInputError(`${trainer.title} cannot predict this: ${hint}.`);
  }
  const features = frame.columns.map((c) => c.name).filter((name) => name !== split.target);
  if (split.images && !split.imageFeatures) {
    throw new NodeInputError(
      `${trainer.title} learns from table columns, and this split holds photos. Put an Image features step between the split and this model, or train a Convolutional network on the photos.`,
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
