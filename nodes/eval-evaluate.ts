import { z } from 'zod';
import { classificationMetrics, regressionMetrics } from '../models/metrics';
import { defineNode, NodeInputError, type NodeRunResult } from './define';
import { classIndices, featureMatrix, numericTarget, restorePredictor } from './lib/model-data';
import { requireInput } from './lib/table';
import type { ClassificationReportPreview, RegressionReportPreview } from './preview';
import type { ModelValue, ReportValue, SplitValue } from './values';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export const evalEvaluate = defineNode({
  type: 'eval.evaluate',
  version: 1,
  title: 'Evaluate',
  category: 'Evaluate',
  help: 'Scores a trained model on the test rows it never saw: accuracy and a confusion matrix for categories, R² and errors for numbers.',
  inputs: [
    { name: 'model', type: 'model', label: 'Model' },
    { name: 'data', type: 'split', label: 'Train/test' },
  ],
  outputs: [{ name: 'report', type: 'report', label: 'Report' }],
  params: z.object({}),
  async run({ inputs }) {
    const model = requireInput<ModelValue>(inputs, 'model');
    const split = requireInput<SplitValue>(inputs, 'data');
    if (model.target !== split.target) {
      throw new NodeInputError(`The model predicts "${model.target}" but the test rows are for "${split.target}"; wire both from the same split.`);
    }
    const X = featureMatrix(split.test, model.features);
    return model.task === 'classification' ? evaluateClassifier(model, split, X) : evaluateRegressor(model, split, X);
  },
});

function evaluateClassifier(model: ModelValue, split: SplitValue, X: ReturnType<typeof featureMatrix>): NodeRunResult {
  const predictor = restorePredictor(model);
  const yTrue = classIndices(split.test, split.target, model.classes);
  const proba = predictor.predictProba ? predictor.predictProba(X) : null;
  const yPred = Int32Array.from(predictor.predict(X));
  const result = classificationMetrics(yTrue, yPred, proba, model.classes);
  const metrics: Record<string, number> = {
    accuracy: result.accuracy,
    balancedAccuracy: result.balancedAccuracy,
    macroF1: result.macroF1,
  };
  if (result.rocAuc !== null) metrics.rocAuc = result.rocAuc;
  const counts = model.classes.map((_, k) => yTrue.filter((y) => y === k).length);
  const majority = counts.indexOf(Math.max(...counts));
  const summary = [
    `On ${X.rows.toLocaleString('en-US')} test rows the model is right ${percent(result.accuracy)} of the time.`,
    `Always answering "${model.classes[majority]}" would be right ${percent(counts[majority] / X.rows)} of the time, so also look at balanced accuracy (${percent(result.balancedAccuracy)}).`,
  ];
  if (model.classes.length === 2) {
    const positive = result.perClass[1];
    summary.push(
      `Of the rows it predicts as "${positive.label}", ${percent(positive.precision)} really are (precision); it finds ${percent(positive.recall)} of all "${positive.label}" (recall).`,
    );
  }
  if (result.rocAuc !== null) summary.push(`ROC AUC ${result.rocAuc.toFixed(3)}: 0.5 is guessing, 1 is perfect ranking.`);
  const preview: ClassificationReportPreview = {
    kind: 'evaluation',
    task: 'classification',
    model: model.title,
    testRows: X.rows,
    metrics,
    classes: model.classes,
    perClass: result.perClass,
    confusion: result.confusion,
    summary,
  };
  const report: ReportValue = { task: 'classification', metrics };
  return { outputs: { report }, preview, metrics };
}

function evaluateRegressor(model: ModelValue, split: SplitValue, X: ReturnType<typeof featureMatrix>): NodeRunResult {
  const predictor = restorePredictor(model);
  const yTrue = numericTarget(split.test, split.target);
  const yPred = Float64Array.from(predictor.predict(X));
  const result = regressionMetrics(yTrue, yPred);
  const metrics = { r2: result.r2, mae: result.mae, rmse: result.rmse };
  const step = Math.max(1, Math.ceil(X.rows / 500));
  const points: { actual: number; predicted: number }[] = [];
  for (let i = 0; i < X.rows; i += step) points.push({ actual: yTrue[i], predicted: yPred[i] });
  const preview: RegressionReportPreview = {
    kind: 'evaluation',
    task: 'regression',
    model: model.title,
    testRows: X.rows,
    metrics,
    points,
    summary: [
      `On ${X.rows.toLocaleString('en-US')} test rows the model explains ${percent(Math.max(0, result.r2))} of the variation in "${split.target}" (R² ${result.r2.toFixed(3)}).`,
      `Its predictions are off by ${result.mae.toPrecision(3)} on average (MAE); RMSE ${result.rmse.toPrecision(3)} weighs big misses more.`,
    ],
  };
  const report: ReportValue = { task: 'regression', metrics };
  return { outputs: { report }, preview, metrics };
}
