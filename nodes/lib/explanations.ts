import { columnGroups } from '../../models/explain/column-groups';
import { explainRows, type ExplanationMethod } from '../../models/explain/explainer';
import { permutationImportance } from '../../models/explain/permutation-importance';
import { describeColumnValue, topReasons, type ExplainedOutcome } from '../../models/explain/reasons';
import { accuracyOf } from '../../models/explain/scores';
import type { Estimator } from '../../models/estimator';
import { regressionMetrics, rocAuc } from '../../models/evaluation/metrics';
import { isMissing, readRow, takeRows, type Frame, type Matrix } from '../../models/frame';
import { LIMITS } from '../../models/limits';
import { seededRandom } from '../../models/split';
import { applyPreprocessing } from '../../models/preprocessing/preprocessing';
import type { ColumnImportancePreview } from '../preview';
import type { ModelValue } from '../values';
import { featureMatrix } from './model-data';
import { NodeInputError } from '../define';

/**
 * Which original columns a model leans on, by permutation importance on (a seeded sample of) the
 * test rows: the drop of the problem's metric (ROC AUC for yes/no with probabilities, accuracy for
 * other classifiers, R² for numbers) when the column's values are shuffled between rows.
 */
export function columnImportance(model: ModelValue, estimator: Estimator, X: Matrix, y: Int32Array | Float64Array, seed: number): ColumnImportancePreview {
  const kernel = (estimator.toJSON() as { kind?: string }).kind === 'supportVectorClassifier';
  const rows = sampleRows(X.rows, kernel ? LIMITS.explain.importanceKernelRows : LIMITS.explain.importanceRows, seed);
  const sample = rows ? pickRows(X, rows) : X;
  const truth = rows ? (y instanceof Int32Array ? Int32Array.from(rows, (i) => y[i]) : Float64Array.from(rows, (i) => y[i])) : y;
  const { metric, score } = scorerFor(model, estimator, truth);
  const repeats = LIMITS.explain.importanceRepeats;
  const { importances } = permutationImportance(sample, columnGroups(model.preprocessing, model.features), score, { repeats, seed });
  return {
    metric,
    rows: sample.rows,
    repeats,
    columns: importances.map(({ column, mean, std }) => ({ column, mean, std })).sort((a, b) => b.mean - a.mean),
  };
}

function scorerFor(model: ModelValue, estimator: Estimator, y: Int32Array | Float64Array): { metric: string; score: (X: Matrix) => number } {
  if (model.task === 'regression') return { metric: 'r2', score: (X) => regressionMetrics(y as Float64Array, Float64Array.from(estimator.predict(X))).r2 };
  const labels = y as Int32Array;
  const hasBoth = labels.includes(0) && labels.includes(1);
  if (model.classes.length === 2 && hasBoth && canGiveProbabilities(estimator, model)) {
    return {
      metric: 'rocAuc',
      score: (X) => {
        const proba = estimator.predictProba!(X);
        return rocAuc(labels, Float64Array.from({ length: X.rows }, (_, i) => proba[i * 2 + 1]));
      },
    };
  }
  return { metric: 'accuracy', score: (X) => accuracyOf(labels, estimator.predict(X)) };
}

function canGiveProbabilities(estimator: Estimator, model: ModelValue): boolean {
  if (!estimator.predictProba) return false;
  try {
    estimator.predictProba({ data: new Float64Array(model.features.length), rows: 1, cols: model.features.length });
    return true;
  } catch {
    return false;
  }
}

/** A seeded sample of `limit` row indices in their order, or null when every row fits. */
function sampleRows(count: number, limit: number, seed: number): Int32Array | null {
  if (count <= limit) return null;
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, limit).sort();
}

/** The rows of X, row-major; a matrix over a table's columns is read from them, without its row-major copy of every row. */
function pickRows(X: Matrix, rows: Int32Array): Matrix {
  const data = new Float64Array(rows.length * X.cols);
  rows.forEach((row, i) => readRow(X, row, data.subarray(i * X.cols, (i + 1) * X.cols)));
  return { data, rows: rows.length, cols: X.cols };
}

export interface RowReasons {
  /** Up to three sentences per row; empty for rows left unexplained (dropped by cleaning, or past the limit). */
  reasons: string[][];
  method: ExplanationMethod;
  /** Rows that got reasons. */
  explained: number;
}

/**
 * The top three reasons of each row of a raw table, in terms of its own columns ("age 67 raises the
 * chance of “yes”"): for yes/no models the chance of the second class, for several classes the chance
 * of the predicted one, for numbers the forecast. A sampled estimate explains the first `sampledRows`.
 */
export function reasonsForRows(model: ModelValue, estimator: Estimator, frame: Frame, seed = 0): RowReasons {
  // A tree explains itself by its path; the other models compare with what the training rows looked like.
  const isTree = (estimator.toJSON() as { kind?: string }).kind === 'decisionTree';
  const background = model.explanation ?? (isTree ? { means: [], rows: [] } : undefined);
  if (!background) throw new NodeInputError(`${model.title} was trained before Pipelab could explain its answers; run the pipeline that trains it again to get reasons.`);
  const groups = columnGroups(model.preprocessing, model.features);
  const reasons: string[][] = Array.from({ length: frame.rowCount }, () => []);
  const limit = isTreeOrLinear(estimator) ? frame.rowCount : Math.min(frame.rowCount, LIMITS.explain.sampledRows);
  const rows = Array.from({ length: limit }, (_, i) => i).filter((row) => !frame.columns.some((c) => isMissing(c, row)) || preparesAlone(model, frame, row));
  if (!rows.length) return { reasons, method: 'sampled', explained: 0 };
  const raw = takeRows(frame, rows);
  const X = featureMatrix(applyPreprocessing(model.preprocessing, raw, { hasTarget: false }), model.features);
  const predicted = model.task === 'classification' && model.classes.length > 2 ? estimator.predict(X) : null;
  const classOfRow = (i: number) => (predicted ? predicted[i] : 1);
  const { method, rows: explained } = explainRows(estimator, X, groups, background, { task: model.task, classOfRow, samples: LIMITS.explain.shapleySamples, seed });
  const rawColumn = new Map(raw.columns.map((c) => [c.name, c]));
  explained.forEach((contributions, i) => {
    const outcome: ExplainedOutcome = model.task === 'classification' ? { kind: 'class', label: model.classes[classOfRow(i)] } : { kind: 'value', target: model.target };
    const describe = (g: number) => {
      const column = rawColumn.get(groups[g].column);
      return describeColumnValue(groups[g].column, column ? column.values[i] : X.data[i * X.cols + groups[g].features[0]]);
    };
    reasons[rows[i]] = topReasons(contributions, describe, outcome);
  });
  return { reasons, method, explained: rows.length };
}

/** Trees and linear models explain every row exactly; the others get a sampled estimate for the first `sampledRows` rows only. */
export function isTreeOrLinear(estimator: Estimator): boolean {
  const json = estimator.toJSON() as { kind?: string; params?: { degree?: number } };
  return json.kind === 'decisionTree' || json.kind === 'logisticRegression' || (json.kind === 'linearRegression' && json.params?.degree === 1);
}

/** A row with an empty cell is explained only when the model's cleaning keeps it (fills rather than drops). */
function preparesAlone(model: ModelValue, frame: Frame, row: number): boolean {
  try {
    return applyPreprocessing(model.preprocessing, takeRows(frame, [row]), { hasTarget: false }).rowCount === 1;
  } catch {
    return false;
  }
}
