import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { crossValidate, prepareFolds } from './lib/cross-validate';
import { classIndices, featureMatrix, numericTarget } from './lib/model-data';
import {
  bestByMetric,
  classificationSummary,
  regressionSummary,
  scoreClassifier,
  scoreRegressor,
} from './lib/scoring';
import { imageInputs, misclassifiedPhotos } from './lib/image-evaluation';
import { occlusionMaps } from './lib/image-occlusion';
import { columnImportance } from './lib/explanations';
import type { Estimator } from '../models/estimator';
import { restoreEstimator } from '../models/estimators';
import { seedParam } from './lib/params';
import type { TrainableModel } from './lib/training';
import { tableModelNode } from './model-nodes';
import { REPORTED_METRICS } from '../models/evaluation/metric-vocabulary';
import type { EvaluationPreview, ModelEvaluation } from './preview';
import type { ModelValue, ReportValue, SplitValue } from './values';
import { readyForModels } from './lib/tf-backends';

const MAX_POINTS = 500;
/** The folds setting as the form shows it; messages quote it. */
const FOLDS_TITLE = 'Repeat on parts of the training rows (cross-validation folds)';

export const evalEvaluate = defineNode({
  type: 'eval.evaluate',
  version: 1,
  title: 'Evaluate',
  category: 'Evaluate',
  help: 'Scores trained models on the test rows they never saw and ranks them side by side. For yes/no answers it says how many of the "yes" you reach by calling the 20% the model rates most likely; for several answers, how often it is right; for numbers, how far off it typically is. Wire several models in to compare them.',
  inputs: [
    { name: 'model', type: 'model', label: 'Models', multiple: true },
    { name: 'data', type: 'split', label: 'Train/test' },
  ],
  outputs: [{ name: 'report', type: 'report', label: 'Report' }],
  params: z.object({
    folds: z.number().int().min(0).max(20).default(0).meta({
      title: FOLDS_TITLE,
      description: 'Also retrain each model this many times on parts of the training rows and report the average ± spread (how steady the score is). 0 skips it; 5 is common.',
    }),
    seed: seedParam('Fold seed', 'The same seed deals the same rows into the same folds every run.'),
  }),
  async run({ params, inputs, ctx }) {
    const models = inputs.model;
    const split = inputs.data;
    await readyForModels(models);
    for (const model of models) {
      if (model.target !== split.target) {
        throw new NodeInputError(
          `${model.title} predicts "${model.target}" but the test rows are for "${split.target}"; wire both from the same split.`,
        );
      }
    }
    if (params.folds === 1) throw new NodeInputError('Cross-validation needs at least 2 folds (or 0 to skip it).');
    const noTestRows = split.test.rowCount === 0;
    if (noTestRows && split.images) {
      throw new NodeInputError('The split keeps no test photos, and photos are not scored by cross-validation: keep a share of them for testing in the split.');
    }
    if (noTestRows && params.folds < 2) {
      throw new NodeInputError(`The split keeps no test rows: set "${FOLDS_TITLE}" to 2 or more here to score the models, or keep a share of rows for testing.`);
    }
    const evaluations: ModelEvaluation[] = [];
    const folds = params.folds >= 2 && !split.images ? prepareFolds(split, params.folds, params.seed) : [];
    for (const [index, model] of models.entries()) {
      ctx.progress(index / models.length, `Scoring ${model.title}`);
      const evaluation = noTestRows ? crossValidatedOnly(model, split.train.rowCount, params.folds) : await evaluateModel(model, split, params.seed);
      if (split.images && params.folds >= 2) {
        evaluation.summary.push('Cross-validation is not run on photos: it would train every model again once per fold.');
      }
      if (folds.length) {
        evaluation.crossValidation = await crossValidate(retrainable(model), model, split, folds, {
          signal: ctx.signal,
          onProgress: (fraction, message) => ctx.progress((index + fraction) / models.length, message),
        });
        // Without test rows the cross-validated means are the model's figures.
        if (noTestRows) evaluation.metrics = Object.fromEntries(Object.entries(evaluation.crossValidation).map(([name, { mean }]) => [name, mean]));
      }
      evaluations.push(evaluation);
    }
    const metricNames = REPORTED_METRICS[split.task].filter((name) =>
      evaluations.some((e) => e.metrics[name] !== undefined),
    );
    const best = bestByMetric(metricNames, evaluations.map((e) => e.metrics));
    const preview: EvaluationPreview = {
      kind: 'evaluation',
      task: split.task,
      testRows: split.test.rowCount,
      rowNoun: split.images ? 'photos' : 'rows',
      classes: split.task === 'classification' ? split.classes : undefined,
      metricNames,
      best,
      models: evaluations,
      folds: params.folds >= 2 ? params.folds : undefined,
      headlineSubject: headlineSubject(split),
    };
    // The run's headline is the best model's first metric.
    const leader = evaluations[best[metricNames[0]] ?? 0];
    const report: ReportValue = { task: split.task, metrics: leader.metrics };
    return { outputs: { report }, preview, metrics: leader.metrics, headlineSubject: preview.headlineSubject };
  },
});

/** The yes/no answer looked for, or the predicted column; several classes have none. */
function headlineSubject(split: SplitValue): string | undefined {
  if (split.task === 'regression') return split.target;
  return split.classes.length === 2 ? split.classes[1] : undefined;
}

/** The node that can train this model again on each fold. */
function retrainable(model: ModelValue): TrainableModel {
  const node = tableModelNode(model.modelType);
  if (!node) throw new NodeInputError(`${model.title} cannot be cross-validated: it does not train on table rows. Set "${FOLDS_TITLE}" to 0.`);
  return node;
}

/** A model trained on every row: its figures come from cross-validation (filled in by the caller). */
function crossValidatedOnly(model: ModelValue, rows: number, folds: number): ModelEvaluation {
  return {
    model: model.title,
    nodeId: model.nodeId,
    metrics: {},
    summary: [`Trained on all ${rows.toLocaleString('en-US')} rows (no test rows); the figures are the means of ${folds}-fold cross-validation.`],
  };
}

async function evaluateModel(model: ModelValue, split: SplitValue, seed: number): Promise<ModelEvaluation> {
  const estimator = restoreEstimator(model.estimator);
  try {
    return await scoreModel(model, estimator, split, seed);
  } finally {
    estimator.dispose?.();
  }
}

async function scoreModel(model: ModelValue, estimator: Estimator, split: SplitValue, seed: number): Promise<ModelEvaluation> {
  const X = split.images ? imageInputs(model, split.images.test) : featureMatrix(split.test, model.features);
  const label = model.title;
  if (model.task === 'classification') {
    const yTrue = classIndices(split.test, split.target, model.classes);
    const { result, metrics, roc, yPred, proba } = scoreClassifier(estimator, X, yTrue, model.classes);
    return {
      model: label,
      nodeId: model.nodeId,
      metrics,
      summary: classificationSummary(metrics, result, yTrue, model.classes, split.images ? 'photos' : 'rows'),
      perClass: result.perClass,
      confusion: result.confusion,
      roc,
      misclassified: split.images ? await misclassifiedPhotos(split.images.test, yTrue, yPred, proba, model.classes) : undefined,
      // Which columns matter (tables) or which part of a photo drove the answer (photos).
      importance: split.images ? undefined : columnImportance(model, estimator, X, yTrue, seed),
      occlusion: split.images ? await occlusionMaps(model, estimator, split.images.test, yPred, proba) : undefined,
    };
  }
  const yTrue = numericTarget(split.test, split.target);
  const { yPred, metrics } = scoreRegressor(estimator, X, yTrue);
  const step = Math.max(1, Math.ceil(X.rows / MAX_POINTS));
  const points: { actual: number; predicted: number }[] = [];
  for (let i = 0; i < X.rows; i += step) points.push({ actual: yTrue[i], predicted: yPred[i] });
  const importance = columnImportance(model, estimator, X, yTrue, seed);
  return { model: label, nodeId: model.nodeId, metrics, summary: regressionSummary(metrics, X.rows, split.target), points, importance };
}
