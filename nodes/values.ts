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
}

export interface ModelValue {
  /** Node type that trained it, e.g. "model.logisticRegression". */
  modelType: string;
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
