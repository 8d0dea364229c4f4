import type { Estimator } from '../estimator';
import type { Matrix } from '../frame';
import type { LinearRegressionJSON } from '../linear/linear-regression';
import type { LogisticRegressionJSON } from '../linear/logistic-regression';
import { seededRandom } from '../split';
import type { DecisionTreeJSON } from '../tree/decision-tree';
import type { ColumnGroup } from './column-groups';
import { linearContributions, sampledShapley, treeContributions, type RowContributions } from './contributions';

/** What an explanation compares a row with: the training rows' feature means, and a small sample of them. */
export interface ExplanationBackground {
  means: number[];
  rows: number[][];
}

/** How the contributions were found, and on which scale they add up. */
export type ExplanationMethod = 'linear' | 'logistic' | 'tree' | 'sampled';
export const EXPLANATION_SCALE: Record<ExplanationMethod, string> = {
  linear: 'the predicted value',
  logistic: 'the log-odds',
  tree: 'the predicted probability or value',
  sampled: 'the predicted probability or value',
};

export interface ExplainOptions {
  task: 'classification' | 'regression';
  /** Per row, the class whose chance is explained (ignored for a regression). */
  classOfRow: (row: number) => number;
  /** Permutations per row for a sampled estimate. */
  samples: number;
  seed: number;
}

/**
 * Contributions of each original column to each row's answer: exact for linear and logistic
 * regressions, the decision path for a tree, a sampled Shapley estimate for anything else (a support
 * vector machine, a polynomial regression). X holds the model's features, row for row.
 */
export function explainRows(
  estimator: Estimator,
  X: Matrix,
  groups: readonly ColumnGroup[],
  background: ExplanationBackground,
  options: ExplainOptions,
): { method: ExplanationMethod; rows: RowContributions[] } {
  const json = estimator.toJSON() as { kind?: string };
  const rowOf = (i: number) => X.data.subarray(i * X.cols, (i + 1) * X.cols);
  const each = (explain: (x: Float64Array, i: number) => RowContributions) => Array.from({ length: X.rows }, (_, i) => explain(rowOf(i), i));
  if (json.kind === 'linearRegression' && (json as LinearRegressionJSON).params.degree === 1) {
    const linear = json as LinearRegressionJSON;
    return { method: 'linear', rows: each((x) => linearContributions(linear.coefficients, linear.intercept, background.means, x, groups)) };
  }
  if (json.kind === 'logisticRegression') {
    const logistic = json as LogisticRegressionJSON;
    return { method: 'logistic', rows: each((x, i) => linearContributions(...logisticScore(logistic, options.classOfRow(i)), background.means, x, groups)) };
  }
  if (json.kind === 'decisionTree') {
    const tree = json as DecisionTreeJSON;
    return { method: 'tree', rows: each((x, i) => treeContributions(tree.nodes, x, options.task === 'classification' ? options.classOfRow(i) : 0, options.task, groups, X.cols)) };
  }
  if (background.rows.length === 0) throw new Error('No training rows were kept to compare with; train the model again to explain it.');
  const backgroundMatrix: Matrix = { data: Float64Array.from(background.rows.flat()), rows: background.rows.length, cols: X.cols };
  const random = seededRandom(options.seed);
  const answer = answerFunction(estimator, options.task);
  return { method: 'sampled', rows: each((x, i) => sampledShapley((batch) => answer(batch, options.classOfRow(i)), x, backgroundMatrix, groups, { samples: options.samples, random })) };
}

/** The linear score of one class: binary models hold the weights of class 1, so class 0's score is their negation. */
function logisticScore(json: LogisticRegressionJSON, k: number): [number[], number] {
  if (json.nClasses === 2) {
    const sign = k === 1 ? 1 : -1;
    return [json.coefficients[0].map((w) => sign * w), sign * json.intercepts[0]];
  }
  return [json.coefficients[k], json.intercepts[k]];
}

/** The number a sampled estimate explains: the class's probability, the 0/1 vote where there is none, or the predicted value. */
function answerFunction(estimator: Estimator, task: 'classification' | 'regression'): (X: Matrix, k: number) => Float64Array {
  if (task === 'regression') return (X) => Float64Array.from(estimator.predict(X));
  return (X, k) => {
    const proba = probabilities(estimator, X);
    if (!proba) return Float64Array.from(estimator.predict(X), (label) => (label === k ? 1 : 0));
    const K = proba.length / X.rows;
    return Float64Array.from({ length: X.rows }, (_, i) => proba[i * K + k]);
  };
}

function probabilities(estimator: Estimator, X: Matrix): Float64Array | null {
  if (!estimator.predictProba) return null;
  try {
    return estimator.predictProba(X);
  } catch {
    // A support vector machine trained without probability estimates says so by throwing.
    return null;
  }
}

/** The training rows' feature means and an evenly spaced sample of at most `sampleRows` of them. */
export function explanationBackground(X: Matrix, sampleRows: number): ExplanationBackground {
  const means = new Array<number>(X.cols).fill(0);
  const count = Math.min(sampleRows, X.rows);
  const sampled = Array.from({ length: count }, (_, s) => Math.floor((s * X.rows) / count));
  if (X.columns) {
    // Column by column, rows in the same order as below: the same sums, without the row-major copy.
    X.columns.forEach((values, j) => {
      let sum = 0;
      for (let i = 0; i < X.rows; i++) sum += values[i];
      means[j] = sum;
    });
  } else {
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) means[j] += X.data[i * X.cols + j];
  }
  for (let j = 0; j < X.cols; j++) means[j] /= Math.max(1, X.rows);
  const columns = X.columns;
  const rows = sampled.map((i) => (columns ? columns.map((values) => values[i]) : Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))));
  return { means, rows };
}
