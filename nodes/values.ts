import type { Frame } from '../models/frame';
import type { FittedPreprocessingJSON, StepSpec } from '../models/preprocessing';

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
}

export interface ReportValue {
  task: Task;
  metrics: Record<string, number>;
}
