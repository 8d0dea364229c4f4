import type { Frame } from '../models/frame';
import type { FittedPreprocessingJSON, StepSpec } from '../models/preprocessing/preprocessing';
import type { AugmentationSpec, ImageItem, ImagePreparation, PixelBlock } from '../models/images/types';
import type { ExplanationBackground } from '../models/explain/explainer';

/**
 * Values that travel along wires, one per PortType.
 *
 * A table remembers where it came from (`source`) and which preprocessing steps made it (`steps`),
 * so the split node can fit those steps on the training rows only and apply them unchanged to the
 * test rows: no statistic of the test part leaks into training.
 */
export interface TableValue {
  frame: Frame;
  target: string | null;
  source: Frame;
  /** Target as chosen at the data source, before any step. */
  sourceTarget: string | null;
  steps: StepSpec[];
  /** Name shown in messages, e.g. "bank-marketing.csv". */
  origin: string;
}

export type Task = 'classification' | 'regression';

export interface SplitValue {
  train: Frame;
  test: Frame;
  target: string;
  task: Task;
  /** Class labels in a fixed order (classification only). */
  classes: string[];
  /** Preprocessing fitted on the training rows, to apply to any new raw table. */
  preprocessing: FittedPreprocessingJSON;
  /** The training rows before preprocessing, with the steps and the target they started from: cross-validation refits the steps on each fold. */
  rawTrain: Frame;
  steps: StepSpec[];
  sourceTarget: string | null;
  /** Set by a Balance classes node: how the training rows were rebalanced. */
  balance?: BalanceSpec;
  /** A split of photos: the images behind `train` and `test`, row for row (those frames then hold only the label). */
  images?: { train: ImageSetValue; test: ImageSetValue };
  /** Set by an Image features node: how `train` and `test` were computed from the images. */
  imageFeatures?: FittedImageFeatures;
}

export interface BalanceSpec {
  method: 'oversample' | 'undersample' | 'classWeights';
  seed: number;
}

export interface ModelValue {
  /** Node type that trained it, e.g. "model.logisticRegression". */
  modelType: string;
  /** Id of the node that trained it, to tell models apart in a comparison. */
  nodeId: string;
  /** The node's parameters, to train the same model again (cross-validation). */
  params: Record<string, unknown>;
  title: string;
  task: Task;
  target: string;
  features: string[];
  classes: string[];
  estimator: unknown;
  preprocessing: FittedPreprocessingJSON;
  trainRows: number;
  /** Models trained on photos: how each photo was prepared, then turned into inputs. */
  imagePreparation?: ImagePreparation;
  imageFeatures?: FittedImageFeatures;
  /** Training feature means and a small sample of training rows, to explain answers (absent on models trained before explanations). */
  explanation?: ExplanationBackground;
}

export interface ReportValue {
  task: Task;
  metrics: Record<string, number>;
}

export type { AugmentationSpec, ImageItem, ImagePreparation, PixelBlock } from '../models/images/types';

export interface ImageSetValue {
  items: ImageItem[];
  /** Class labels, sorted. */
  classes: string[];
  /** Decoded pixels, row for row with `items`; null while the images differ in size or channels. */
  pixels: PixelBlock | null;
  /** Why `pixels` is null, e.g. "sizes 28×28 (900 images), 64×48 (99 images)". */
  mixed: string | null;
  preparation: ImagePreparation | null;
  augmentation: AugmentationSpec | null;
  /** Name shown in messages, e.g. "fashion-products sample". */
  origin: string;
}

/** How an Image features node turned pixels into columns, with anything it learned from the training images. */
export interface FittedImageFeatures {
  method: 'pixels' | 'histogram' | 'hog' | 'cnn';
  /** Histogram bins per channel; HOG cell size and orientations. */
  bins?: number;
  cellSize?: number;
  orientations?: number;
  /** A trained CNN whose second-to-last layer gives the features (method "cnn"). */
  cnn?: unknown;
  /** Principal components fitted on the training images' features, when asked for. */
  pca?: unknown;
  /** Column names of the result, e.g. ["hog1", "hog2", ...]. */
  columns: string[];
}
