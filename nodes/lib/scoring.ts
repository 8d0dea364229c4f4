import { captureAtTop, classificationMetrics, regressionMetrics, rocCurve } from '../../models/evaluation/metrics';
import type { Matrix } from '../../models/frame';
import type { ModelEvaluation } from '../preview';
import { bestIndex, CALLED_SHARE, formatMetricValue, formatPercent as percent, formatUnits } from '../../models/evaluation/metric-vocabulary';
import type { Estimator } from '../../models/estimator';

/** Metrics a classifier gets on labelled rows; the ROC curve and the top-20% capture too for yes/no targets. */
export function scoreClassifier(estimator: Estimator, X: Matrix, yTrue: Int32Array, classes: string[]) {
  const proba = estimator.predictProba ? estimator.predictProba(X) : null;
  const yPred = Int32Array.from(estimator.predict(X));
  const result = classificationMetrics(yTrue, yPred, proba, classes);
  const metrics: Record<string, number> = {};
  if (result.rocAuc !== null && Number.isFinite(result.rocAuc)) metrics.rocAuc = result.rocAuc;
  metrics.balancedAccuracy = result.balancedAccuracy;
  metrics.accuracy = result.accuracy;
  metrics.macroF1 = result.macroF1;
  let roc: ModelEvaluation['roc'];
  if (proba && classes.length === 2) {
    const positive = Float64Array.from({ length: X.rows }, (_, i) => proba[i * 2 + 1]);
    roc = rocCurve(yTrue, positive);
    const captured = captureAtTop(yTrue, positive, CALLED_SHARE);
    if (Number.isFinite(captured)) metrics.captureAt20 = captured;
  }
  return { result, metrics, roc, yPred, proba };
}

export function scoreRegressor(estimator: Estimator, X: Matrix, yTrue: Float64Array) {
  const yPred = Float64Array.from(estimator.predict(X));
  const result = regressionMetrics(yTrue, yPred);
  return { yPred, metrics: { r2: result.r2, mae: result.mae, rmse: result.rmse } };
}

export function classificationSummary(
  metrics: Record<string, number>,
  result: ReturnType<typeof scoreClassifier>['result'],
  yTrue: Int32Array,
  classes: string[],
  rowNoun: 'rows' | 'photos' = 'rows',
): string[] {
  const rows = yTrue.length;
  const counts = classes.map((_, k) => yTrue.filter((y) => y === k).length);
  const majority = counts.indexOf(Math.max(...counts));
  const summary = [
    `On ${rows.toLocaleString('en-US')} test ${rowNoun} the model is right ${percent(metrics.accuracy)} of the time.`,
    `Always answering "${classes[majority]}" would be right ${percent(counts[majority] / rows)} of the time, so also look at balanced accuracy (${percent(metrics.balancedAccuracy)}).`,
  ];
  if (classes.length === 2) {
    const positive = result.perClass[1];
    summary.push(
      `Of the rows it predicts as "${positive.label}", ${percent(positive.precision)} really are (precision); it finds ${percent(positive.recall)} of all "${positive.label}" (recall).`,
    );
  }
  if (metrics.captureAt20 !== undefined) {
    const answer = classes[1];
    summary.push(
      `Calling the ${percent(CALLED_SHARE, 0)} of ${rowNoun} it scores most likely to be "${answer}" finds ${percent(metrics.captureAt20, 0)} of all "${answer}"; calling ${percent(CALLED_SHARE, 0)} at random would find ${percent(CALLED_SHARE, 0)}.`,
    );
  }
  if (metrics.rocAuc !== undefined) summary.push(`ROC AUC ${formatMetricValue('rocAuc', metrics.rocAuc)}: 0.5 is guessing, 1 is perfect ranking.`);
  return summary;
}

export function regressionSummary(metrics: Record<string, number>, rows: number, target: string): string[] {
  return [
    `On ${rows.toLocaleString('en-US')} test rows its predictions of "${target}" are typically off by ±${formatUnits(metrics.mae)} (mean absolute error, in the units of "${target}"); RMSE ${formatMetricValue('rmse', metrics.rmse)} weighs big misses more.`,
    `It explains ${percent(Math.max(0, metrics.r2))} of the variation in "${target}" (R² ${formatMetricValue('r2', metrics.r2)}: 1 is perfect, 0 is no better than always guessing the average).`,
  ];
}

/** For each metric, the index of the model with the best value (ties go to the first). */
export function bestByMetric(metricNames: readonly string[], rows: Record<string, number>[]): Record<string, number> {
  const best: Record<string, number> = {};
  for (const name of metricNames) {
    const index = bestIndex(name, rows.map((metrics) => metrics[name]));
    if (index !== null) best[name] = index;
  }
  return best;
}
