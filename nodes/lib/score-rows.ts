import { isMissing, takeRows, type Column, type Frame } from '../../models/frame';
import { applyPreprocessing, PreprocessingError } from '../../models/preprocessing/preprocessing';
import { NodeInputError } from '../define';
import type { ModelValue } from '../values';
import { featureMatrix } from './model-data';
import type { Estimator } from '../../models/estimator';
import { restoreEstimator } from '../../models/estimators';
import { LIMITS } from '../../models/limits';
import { reasonsForRows, type RowReasons } from './explanations';
import type { ExplanationMethod } from '../../models/explain/explainer';

/**
 * `predictColumns`, `part` rows at a time, joined: the preprocessed rows and the feature matrix never hold more
 * than `part` rows (the prediction API's requests are scored this way).
 */
export function predictColumnsInParts(model: ModelValue, frame: Frame, estimator: Estimator, part: number): Column[] {
  if (frame.rowCount <= part) return predictColumns(model, frame, estimator).columns;
  const parts: Column[][] = [];
  for (let start = 0; start < frame.rowCount; start += part) {
    const rows = Array.from({ length: Math.min(part, frame.rowCount - start) }, (_, i) => start + i);
    parts.push(predictColumns(model, takeRows(frame, rows), estimator).columns);
  }
  return parts[0].map((first, c): Column => {
    if (first.type === 'number') {
      const values = new Float64Array(frame.rowCount);
      let at = 0;
      for (const columns of parts) {
        values.set(columns[c].values as Float64Array, at);
        at += columns[c].values.length;
      }
      return { name: first.name, type: 'number', values };
    }
    return { name: first.name, type: 'category', values: parts.flatMap((columns) => columns[c].values as (string | null)[]) };
  });
}

/**
 * Prediction columns for every input row of a raw table: the model's fitted preprocessing, then the
 * estimator. Rows the preprocessing drops (empty cells under a "drop rows" cleaning) stay empty.
 */
export function predictColumns(
  model: ModelValue,
  frame: Frame,
  estimator: Estimator = restoreEstimator(model.estimator),
): { columns: Column[]; unscored: number } {
  refusePhotoModel(model);
  const K = model.classes.length;
  const predicted = model.task === 'classification' ? new Array<string | null>(frame.rowCount).fill(null) : new Float64Array(frame.rowCount).fill(NaN);
  const probabilities = model.task === 'classification' ? model.classes.map(() => new Float64Array(frame.rowCount).fill(NaN)) : [];
  const score = (rows: number[]) => {
    if (!rows.length) return;
    const features = prepare(model, takeRows(frame, rows));
    if (features.rowCount !== rows.length) return false;
    const X = featureMatrix(features, model.features);
    const labels = estimator.predict(X);
    // Regression trees have no probabilities and say so by throwing.
    const proba = model.task === 'classification' ? estimator.predictProba?.(X) : undefined;
    rows.forEach((row, i) => {
      if (model.task === 'classification') {
        (predicted as (string | null)[])[row] = model.classes[labels[i]];
        for (let k = 0; k < K; k++) probabilities[k][row] = proba ? proba[i * K + k] : NaN;
      } else (predicted as Float64Array)[row] = labels[i];
    });
    return true;
  };
  // Only rows with an empty cell can be dropped by a cleaning step, so the others go in one batch.
  const complete: number[] = [];
  const incomplete: number[] = [];
  for (let row = 0; row < frame.rowCount; row++) (frame.columns.some((c) => isMissing(c, row)) ? incomplete : complete).push(row);
  if (score(complete) === false) throw new NodeInputError('The model dropped rows that have no empty cells; this model cannot score row by row.');
  let unscored = 0;
  for (const row of incomplete) if (score([row]) === false) unscored++;
  const name = `predicted ${model.target}`;
  const columns: Column[] =
    model.task === 'classification'
      ? [
          { name, type: 'category', values: predicted as (string | null)[] },
          ...(K === 2
            ? [{ name: `probability of ${model.classes[1]}`, type: 'number' as const, values: probabilities[1] }]
            : model.classes.map((label, k) => ({ name: `probability of ${label}`, type: 'number' as const, values: probabilities[k] }))),
        ]
      : [{ name, type: 'number', values: predicted as Float64Array }];
  return { columns, unscored };
}

function prepare(model: ModelValue, frame: Frame): Frame {
  try {
    return applyPreprocessing(model.preprocessing, frame, { hasTarget: false });
  } catch (error) {
    if (error instanceof PreprocessingError) throw new NodeInputError(`The new rows do not fit the model: ${error.message}`);
    throw error;
  }
}

/** Scoring works on table rows; a model trained on photos says so plainly instead of failing on missing columns. */
export function refusePhotoModel(model: ModelValue, advice = 'Test it on photos with an Evaluate step instead.'): void {
  if (model.modelType === 'model.cnn' || model.imageFeatures) {
    throw new NodeInputError(`${model.title} was trained on photos, and scoring works on table rows. ${advice}`);
  }
}

/** The scored list with "reason 1", "reason 2", "reason 3" columns, and a note on how they were found. */
export function withReasons(model: ModelValue, scored: Frame, estimator: Estimator = restoreEstimator(model.estimator)): { frame: Frame; note: string; found: RowReasons } {
  const found = reasonsForRows(model, estimator, scored);
  const columns = reasonColumns(found.reasons);
  return { frame: { columns: [...withoutReasonColumns(scored.columns), ...columns], rowCount: scored.rowCount }, note: reasonsNote(found.method, scored.rowCount, found.explained), found };
}

/** The three reason columns from each row's reasons. */
export function reasonColumns(reasons: string[][]): Column[] {
  return [0, 1, 2].map((k) => ({ name: `reason ${k + 1}`, type: 'category', values: reasons.map((row) => row[k] ?? null) }));
}

/** A table's columns less any "reason 1/2/3" of its own, which the added reasons replace. */
export function withoutReasonColumns(columns: Column[]): Column[] {
  return columns.filter((c) => !/^reason [123]$/.test(c.name));
}

/** How the reasons were found, and how many rows have none. */
export function reasonsNote(method: ExplanationMethod, rowCount: number, explained: number): string {
  const how = { linear: 'exact, from the coefficients', logistic: 'exact, from the coefficients', tree: 'from the decisions along each row\'s path in the tree', sampled: `estimated by sampling (${LIMITS.explain.shapleySamples} orders of the columns per row)` }[method];
  const skipped = rowCount - explained;
  return `Reasons ${how}.` + (skipped ? ` ${skipped.toLocaleString('en-US')} rows have none: they were not scored, or come after the first ${LIMITS.explain.sampledRows.toLocaleString('en-US')} a sampled estimate explains.` : '');
}
