/**
 * What the results panel shows for a node's output. Plain JSON: it is stored with the run
 * and rendered by the browser without any server code.
 */
export interface ColumnSummary {
  name: string;
  type: 'number' | 'category';
  missing: number;
  /** Distinct values for text columns (up to 20), min/max/mean for numbers. */
  distinct?: number;
  min?: number;
  max?: number;
  mean?: number;
}

export interface TablePreview {
  kind: 'table';
  rowCount: number;
  columns: ColumnSummary[];
  /** First rows, values as displayed (numbers as numbers, missing as null). */
  rows: (string | number | null)[][];
  target: string | null;
  notes?: string[];
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
  /** Coefficients, one row per feature (and the intercept). */
  coefficients?: { name: string; values: number[] }[];
  summary: string[];
}

export interface ClassificationReportPreview {
  kind: 'evaluation';
  task: 'classification';
  model: string;
  testRows: number;
  metrics: Record<string, number>;
  classes: string[];
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** confusion[i][j] = test rows of true class i predicted as class j */
  confusion: number[][];
  summary: string[];
}

export interface RegressionReportPreview {
  kind: 'evaluation';
  task: 'regression';
  model: string;
  testRows: number;
  metrics: Record<string, number>;
  /** Up to 500 test points. */
  points: { actual: number; predicted: number }[];
  summary: string[];
}

export type NodePreview =
  | TablePreview
  | SplitPreview
  | ModelPreview
  | ClassificationReportPreview
  | RegressionReportPreview;
