/**
 * Evaluation metrics with the same definitions as sklearn.metrics, so numbers shown in the app
 * can be checked against a notebook.
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows of this class in yTrue. */
  support: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  /** Mean recall over the classes that occur in yTrue. */
  balancedAccuracy: number;
  /** Mean F1 over the classes that occur in yTrue or yPred (sklearn's default label set). */
  macroF1: number;
  /** Binary: AUC of P(class 1). Multiclass: macro one-vs-rest. Null without probabilities or when a class is absent from yTrue. */
  rocAuc: number | null;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
}

export interface RegressionMetrics {
  r2: number;
  mae: number;
  rmse: number;
}

export function classificationMetrics(
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: Float64Array | null,
  classes: string[],
): ClassificationMetrics {
  const n = yTrue.length;
  const K = classes.length;
  if (n === 0) throw new Error('There are no rows to score.');
  if (yPred.length !== n) throw new Error(`Got ${yPred.length} predictions for ${n} rows.`);
  if (proba && proba.length !== n * K) throw new Error(`Expected ${n}×${K} probabilities, got ${proba.length} values.`);

  const confusion = confusionMatrix(yTrue, yPred, K);
  const perClass = classes.map((label, k) => {
    const truePositives = confusion[k][k];
    const support = confusion[k].reduce((sum, count) => sum + count, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[k], 0);
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = truePositives === 0 ? 0 : (2 * truePositives) / (support + predicted);
    return { label, precision, recall, f1, support, predicted };
  });

  const correct = confusion.reduce((sum, row, k) => sum + row[k], 0);
  const present = perClass.filter((c) => c.support > 0);
  const seen = perClass.filter((c) => c.support > 0 || c.predicted > 0);
  return {
    accuracy: correct / n,
    balancedAccuracy: mean(present.map((c) => c.recall)),
    macroF1: mean(seen.map((c) => c.f1)),
    rocAuc: proba && present.length === K && K >= 2 ? multiclassRocAuc(yTrue, proba, K) : null,
    perClass: perClass.map(({ label, precision, recall, f1, support }) => ({ label, precision, recall, f1, support })),
    confusion,
  };
}

function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, K: number): number[][] {
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const actual = yTrue[i];
    const predicted = yPred[i];
    if (actual < 0 || actual >= K || predicted < 0 || predicted >= K) {
      throw new Error(`Row ${i + 1} has a class index outside 0..${K - 1}.`);
    }
    confusion[actual][predicted]++;
  }
  return confusion;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Binary: AUC of the class-1 column. Multiclass: unweighted mean of one-vs-rest AUCs. */
function multiclassRocAuc(yTrue: Int32Array, proba: Float64Array, K: number): number {
  const n = yTrue.length;
  const classAuc = (k: number) => {
    const isClass = Int32Array.from(yTrue, (label) => (label === k ? 1 : 0));
    const scores = Float64Array.from({ length: n }, (_, i) => proba[i * K + k]);
    return rocAuc(isClass, scores);
  };
  if (K === 2) return classAuc(1);
  let total = 0;
  for (let k = 0; k < K; k++) total += classAuc(k);
  return total / K;
}

/**
 * Cumulative false and true positive counts at each distinct score threshold, highest first,
 * starting at (0, 0). Rows with equal scores form one threshold, as in sklearn's roc_curve.
 */
function rocCounts(yTrueBinary: Int32Array, scores: Float64Array): { falsePositives: number[]; truePositives: number[] } {
  const n = yTrueBinary.length;
  if (scores.length !== n) throw new Error(`Got ${scores.length} scores for ${n} rows.`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const falsePositives = [0];
  const truePositives = [0];
  let start = 0;
  while (start < n) {
    let end = start;
    let tp = truePositives[truePositives.length - 1];
    let fp = falsePositives[falsePositives.length - 1];
    while (end < n && scores[order[end]] === scores[order[start]]) {
      if (yTrueBinary[order[end]] === 1) tp++;
      else fp++;
      end++;
    }
    truePositives.push(tp);
    falsePositives.push(fp);
    start = end;
  }
  return { falsePositives, truePositives };
}

/**
 * Area under the ROC curve for 0/1 labels. Ties add a diagonal segment (trapezoid), as in sklearn.
 * NaN when only one class is present.
 */
export function rocAuc(yTrueBinary: Int32Array, scores: Float64Array): number {
  const { falsePositives, truePositives } = rocCounts(yTrueBinary, scores);
  const positives = truePositives[truePositives.length - 1];
  const negatives = falsePositives[falsePositives.length - 1];
  if (positives === 0 || negatives === 0) return Number.NaN;
  let area = 0;
  for (let i = 1; i < truePositives.length; i++) {
    area += ((falsePositives[i] - falsePositives[i - 1]) * (truePositives[i] + truePositives[i - 1])) / 2;
  }
  return area / (positives * negatives);
}

/**
 * Share of the actual positives found among the `share` of rows scored highest (the cumulative
 * gains curve at that share, e.g. "calling the top 20% finds 62% of the yes"). Rows tied at the cut
 * count in proportion, the expected share under a random tie-break. NaN when there are no positives.
 */
export function captureAtTop(yTrueBinary: Int32Array, scores: Float64Array, share: number): number {
  const { falsePositives, truePositives } = rocCounts(yTrueBinary, scores);
  const positives = truePositives[truePositives.length - 1];
  if (positives === 0) return Number.NaN;
  const called = share * yTrueBinary.length;
  for (let i = 1; i < truePositives.length; i++) {
    const before = truePositives[i - 1] + falsePositives[i - 1];
    const after = truePositives[i] + falsePositives[i];
    if (after < called) continue;
    const partOfTies = (called - before) / (after - before);
    return (truePositives[i - 1] + partOfTies * (truePositives[i] - truePositives[i - 1])) / positives;
  }
  return 1;
}

/** The ROC curve as rates, thinned to at most `maxPoints` for drawing (first and last kept). */
export function rocCurve(yTrueBinary: Int32Array, scores: Float64Array, maxPoints = 200): { fpr: number[]; tpr: number[] } {
  const { falsePositives, truePositives } = rocCounts(yTrueBinary, scores);
  const positives = truePositives[truePositives.length - 1] || 1;
  const negatives = falsePositives[falsePositives.length - 1] || 1;
  const step = Math.max(1, Math.ceil(truePositives.length / maxPoints));
  const fpr: number[] = [];
  const tpr: number[] = [];
  for (let i = 0; i < truePositives.length; i += step) {
    fpr.push(falsePositives[i] / negatives);
    tpr.push(truePositives[i] / positives);
  }
  if (fpr[fpr.length - 1] !== 1 || tpr[tpr.length - 1] !== 1) {
    fpr.push(falsePositives[falsePositives.length - 1] / negatives);
    tpr.push(truePositives[truePositives.length - 1] / positives);
  }
  return { fpr, tpr };
}

export function regressionMetrics(yTrue: Float64Array, yPred: Float64Array): RegressionMetrics {
  const n = yTrue.length;
  if (n === 0) throw new Error('There are no rows to score.');
  if (yPred.length !== n) throw new Error(`Got ${yPred.length} predictions for ${n} rows.`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yTrue[i];
  const average = sum / n;
  let squaredError = 0;
  let absoluteError = 0;
  let totalSquares = 0;
  for (let i = 0; i < n; i++) {
    const error = yTrue[i] - yPred[i];
    squaredError += error * error;
    absoluteError += Math.abs(error);
    totalSquares += (yTrue[i] - average) ** 2;
  }
  return {
    r2: rSquared(squaredError, totalSquares, n),
    mae: absoluteError / n,
    rmse: Math.sqrt(squaredError / n),
  };
}

/** sklearn's r2_score: undefined below two rows; for a constant target 1 if perfect, else 0. */
function rSquared(residualSquares: number, totalSquares: number, n: number): number {
  if (n < 2) return Number.NaN;
  if (totalSquares === 0) return residualSquares === 0 ? 1 : 0;
  return 1 - residualSquares / totalSquares;
}
