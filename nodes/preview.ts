import type { EpochReport } from '../models/cnn/cnn-training';

/**
 * What the results panel shows for a node's output. Plain JSON: it is stored with the run
 * and rendered by the browser without any server code.
 */
export interface ColumnSummary {
  name: string;
  type: 'number' | 'category';
  missing: number;
  /**
   * How many different values: always for text columns; for number columns only when there are at most
   * 20 (FEW_DISTINCT_NUMBERS in lib/summarize.ts: enough for a 0/1 answer column), since counting every price of a large table costs memory.
   */
  distinct?: number;
  min?: number;
  max?: number;
  mean?: number;
}

/** A file the results panel offers to download: GET /api/artifacts/<hash>?name=<fileName>. */
export interface DownloadLink {
  hash: string;
  fileName: string;
  sizeBytes: number;
  /** Button text, e.g. "Download scored list (CSV)". */
  label: string;
}

export interface TablePreview {
  kind: 'table';
  rowCount: number;
  columns: ColumnSummary[];
  /** First rows, values as displayed (numbers as numbers, missing as null). */
  rows: (string | number | null)[][];
  target: string | null;
  notes?: string[];
  download?: DownloadLink;
  /** features.select: every candidate column with its score, best first. */
  ranking?: { feature: string; score: number; pValue: number | null; kept: boolean }[];
  /** features.pca: share of the variance each component explains. */
  explainedVariance?: { component: string; ratio: number; cumulative: number; topLoadings: string }[];
}

export interface SplitPreview {
  kind: 'split';
  trainRows: number;
  testRows: number;
  target: string;
  task: 'classification' | 'regression';
  /** Share of each class in train and test (classification only). */
  classBalance?: { label: string; train: number; test: number }[];
  train: TablePreview;
}

export interface ModelPreview {
  kind: 'model';
  model: string;
  task: 'classification' | 'regression';
  target: string;
  trainRows: number;
  features: string[];
  classes?: string[];
  /** Coefficients, one row per feature (and the intercept); column headers in coefficientHeaders. */
  coefficients?: { name: string; values: number[] }[];
  coefficientHeaders?: string[];
  summary: string[];
  warnings?: string[];
  /** Share of the model's decisions owed to each feature, largest first (trees). */
  importances?: { feature: string; importance: number }[];
  /** Decision tree: nodes by id; node 0 is the root. */
  tree?: TreeNodePreview[];
  /** The trained model as a file, loadable by a "Saved model" node in another pipeline. */
  download?: DownloadLink;
  /** The stored profile of the training rows, kept with the model when it is published (to watch for drift). */
  trainingReference?: { hash: string };
  /** Identifies the model for publishing it as a prediction endpoint. */
  nodeId?: string;
  /** Networks: loss and accuracy per epoch. */
  training?: TrainingCurves;
  /** Networks: layers in order with their output shape and number of weights. */
  layers?: { name: string; outputShape: string; params: number }[];
  /** When the node searched for its settings: every try, the best one marked (and applied). */
  tuning?: TuningLeaderboard;
}

/** One try of a settings search: its settings and its cross-validated score, or why it failed. */
export interface TuningTrial {
  /** 1, 2, … in the order tried. */
  trial: number;
  settings: Record<string, string | number>;
  /** Mean score over the folds (the leaderboard's metric); null when the try failed. */
  score: number | null;
  /** Standard deviation of the score over the folds. */
  std: number | null;
  seconds: number;
  /** Why the try failed, in plain words. */
  error?: string;
}

/** A settings search: the tries so far, scored by k-fold cross-validation on the training rows. */
export interface TuningLeaderboard {
  method: 'grid' | 'random';
  /** The metric that ranks the tries (a key of the metrics vocabulary), e.g. captureAt20 or mae. */
  metric: string | null;
  folds: number;
  /** Tries the search set out to make. */
  planned: number;
  trials: TuningTrial[];
  /** The trial whose settings won (and were applied); null while none succeeded. */
  bestTrial: number | null;
  /** Column header for each searched setting, e.g. { maxDepth: 'depth' }, in the order shown. */
  settingLabels: Record<string, string>;
  /** Words for the values of settings with named choices, e.g. { criterion: { gini: 'Gini' } }. */
  valueLabels: Record<string, Record<string, string>>;
  notes: string[];
}

/** One setting's value as the leaderboard and the summary show it: its choice's words, or a short number. */
export function formatSetting(value: string | number, labels?: Record<string, string>): string {
  if (typeof value === 'string') return labels?.[value] ?? value;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(Number(value.toPrecision(3)));
}

/** "depth 6, leaf size 20, criterion Gini": a try's settings as the summary and the canvas say them. */
export function describeSettings(settings: Record<string, string | number>, words: Pick<TuningLeaderboard, 'settingLabels' | 'valueLabels'>): string {
  return Object.keys(words.settingLabels)
    .filter((name) => name in settings)
    .map((name) => `${words.settingLabels[name]} ${formatSetting(settings[name], words.valueLabels[name])}`)
    .join(', ');
}

/** Sent after each try of a settings search, then replaced by the model's preview (kept if the run is cancelled). */
export interface TuningPreview {
  kind: 'tuning';
  model: string;
  tuning: TuningLeaderboard;
  summary: string[];
}

/** One finished epoch of network training, as the results show it. */
export type EpochStats = Omit<EpochReport, 'imagesPerSecond'>;

export interface TrainingCurves {
  epochs: EpochStats[];
  totalEpochs: number;
  /** Training images per second over the last epoch. */
  imagesPerSecond?: number;
  /** Estimated seconds left (live only). */
  etaSeconds?: number;
  /** Epoch whose weights were kept (lowest validation loss), when early stopping is on. */
  bestEpoch?: number;
  /** Why training ended before the last epoch, in plain words. */
  stoppedEarly?: string;
}

/** Sent while a network trains, then replaced by the model's preview. */
export interface TrainingPreview {
  kind: 'training';
  model: string;
  curves: TrainingCurves;
  summary: string[];
}

/** A small picture for the results panel, as a data: URL. */
export interface Thumbnail {
  src: string;
  label: string;
  name: string;
}

export interface ImagesPreview {
  kind: 'images';
  count: number;
  classes: { label: string; count: number }[];
  /** Common size when every image has it, e.g. { width: 28, height: 28, channels: 1 }. */
  size: { width: number; height: number; channels: number } | null;
  /** When sizes differ: the sizes found with their counts. */
  mixed: string | null;
  /** A few images per class. */
  thumbnails: Thumbnail[];
  summary: string[];
  /** Skipped files and other things to know, counted. */
  warnings: string[];
}

/** A test image the model got wrong. */
export interface MisclassifiedImage {
  src: string;
  name: string;
  trueLabel: string;
  predicted: string;
  /** Probability the model gave its (wrong) answer. */
  confidence: number;
}

export interface TreeNodePreview {
  id: number;
  depth: number;
  samples: number;
  /** Classification: weighted count per class; regression: [mean value]. */
  value: number[];
  impurity: number;
  /** e.g. "duration ≤ 521.5"; absent on leaves. */
  rule?: string;
  left?: number;
  right?: number;
  /** Plain words: "predicts \"yes\" (72%)" or "predicts 14.2". */
  prediction: string;
}

/** One trained model scored on the test rows. */
export interface ModelEvaluation {
  /** e.g. "Logistic regression (model)" */
  model: string;
  nodeId: string;
  metrics: Record<string, number>;
  summary: string[];
  /** Classification: per class, and confusion[i][j] = test rows of true class i predicted as class j. */
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion?: number[][];
  /** Binary classification with probabilities: the ROC curve (up to ~200 points). */
  roc?: { fpr: number[]; tpr: number[] };
  /** Regression: up to 500 test points. */
  points?: { actual: number; predicted: number }[];
  /** k-fold cross-validation on the training rows: mean and standard deviation per metric. */
  crossValidation?: Record<string, { mean: number; std: number }>;
  /** Photos: up to 24 test images the model got wrong, most confident first. */
  misclassified?: MisclassifiedImage[];
  /** Table models: which original columns matter most (permutation importance on the test rows). */
  importance?: ColumnImportancePreview;
  /** Photo models: which part of a few test photos drove the answer. */
  occlusion?: OcclusionMap[];
}

/** Permutation importance: the drop of `metric` when a column's values are shuffled between the test rows. */
export interface ColumnImportancePreview {
  /** Metric key from the metric vocabulary, e.g. "rocAuc", "accuracy", "r2". */
  metric: string;
  /** Test rows scored (a seeded sample beyond the limit) and shuffles per column. */
  rows: number;
  repeats: number;
  /** Largest mean drop first; std over the repeats. */
  columns: { column: string; mean: number; std: number }[];
}

/** A test photo with, per cell of a grid, how much greying that part out lowers the chance of the predicted label. */
export interface OcclusionMap {
  src: string;
  name: string;
  predicted: string;
  confidence: number;
  /** grid × grid drops in probability, row by row from the top left (negative: greying it out raises the chance). */
  grid: number;
  drops: number[];
}

export interface EvaluationPreview {
  kind: 'evaluation';
  task: 'classification' | 'regression';
  testRows: number;
  /** What a test row is, in words: "rows" for tables, "photos" for images. */
  rowNoun?: 'rows' | 'photos';
  classes?: string[];
  /** Metrics in display order, e.g. ["rocAuc", "balancedAccuracy", "accuracy", "macroF1"]. */
  metricNames: string[];
  /** For each metric, the index in `models` of the best value (highest, or lowest for errors). */
  best: Record<string, number>;
  models: ModelEvaluation[];
  /** Number of folds when cross-validation ran. */
  folds?: number;
  /** What the headline speaks of: the answer a yes/no model looks for, or the predicted column. */
  headlineSubject?: string;
}

export type NodePreview =
  | TablePreview
  | SplitPreview
  | ModelPreview
  | EvaluationPreview
  | TrainingPreview
  | TuningPreview
  | ImagesPreview;
