import { z } from 'zod';
import { LIMITS } from '../../models/limits';
import { modelCnn } from '../model-cnn';
import { modelDecisionTree } from '../model-decision-tree';
import { modelLinearRegression } from '../model-linear-regression';
import { modelLogisticRegression } from '../model-logistic-regression';
import { modelSvm } from '../model-svm';
import { decisionTreeJson, linearRegressionJson, logisticRegressionJson, pcaJson, supportVectorJson } from './model-file-estimators';
import { convNetJson, networkLayout } from './model-file-network';
import { count, type Ctx, describeValue, listOf, nameList, nameText, numberList, passOn, plural, problem, uniqueNames, valueText, whole } from './model-file-parts';
import { preprocessingJson } from './model-file-preprocessing';

/**
 * The schema of a whole model file's model: each part's own schema, then what must agree between
 * the parts (the estimator against the model's type, task, columns and classes).
 */

/** Per model type: the node that trains it (its parameters are reused to train again), the estimator kind and the task. */
const MODEL_TYPES = {
  'model.linearRegression': { node: modelLinearRegression, kind: 'linearRegression', task: 'regression' },
  'model.logisticRegression': { node: modelLogisticRegression, kind: 'logisticRegression', task: 'classification' },
  'model.decisionTree': { node: modelDecisionTree, kind: 'decisionTree', task: null },
  'model.svm': { node: modelSvm, kind: 'supportVectorClassifier', task: 'classification' },
  'model.cnn': { node: modelCnn, kind: 'convNet', task: 'classification' },
} as const;

type ModelType = keyof typeof MODEL_TYPES;

const estimatorJson = z.discriminatedUnion('kind', [linearRegressionJson, logisticRegressionJson, decisionTreeJson, supportVectorJson, convNetJson]);
type EstimatorJson = z.output<typeof estimatorJson>;

const imagePreparation = z.object({
  size: whole.min(1).max(1024),
  color: z.enum(['grayscale', 'rgb']),
  scale: z.boolean(),
  denoise: z.enum(['none', 'median', 'gaussian']),
});

const imageFeatures = z
  .object({
    method: z.enum(['pixels', 'histogram', 'hog', 'cnn']),
    bins: whole.min(1).max(1024).optional(),
    cellSize: whole.min(1).max(1024).optional(),
    orientations: whole.min(1).max(360).optional(),
    cnn: convNetJson.optional(),
    pca: pcaJson.optional(),
    columns: nameList,
  })
  .superRefine((features, ctx) => {
    const needs = { pixels: [], histogram: ['bins'], hog: ['cellSize', 'orientations'], cnn: ['cnn'] } as const;
    const lacking = needs[features.method].find((field) => features[field] === undefined);
    if (lacking) return problem(ctx, [lacking], `is missing; "${features.method}" features need it.`);
    let width: number | null = null;
    if (features.cnn) {
      const layout = networkLayout(features.cnn);
      if (!('field' in layout)) width = layout.hidden;
    }
    if (features.pca) {
      const { featureNames, components } = features.pca;
      if (width !== null && featureNames.length !== width) {
        return problem(ctx, ['pca', 'featureNames'], `has ${plural(featureNames.length, 'name')} but the network gives ${plural(width, 'feature')}.`);
      }
      width = components.length;
    }
    if (width !== null && features.columns.length !== width) {
      problem(ctx, ['columns'], `has ${plural(features.columns.length, 'name')} but the features make ${plural(width, 'column')}.`);
    }
  });

const modelValue = z
  .object({
    modelType: z.enum(Object.keys(MODEL_TYPES) as [ModelType, ...ModelType[]]),
    nodeId: z.string().max(LIMITS.text.idLength),
    params: z.record(z.string(), z.unknown()),
    title: nameText,
    task: z.enum(['classification', 'regression']),
    target: nameText,
    features: nameList,
    classes: listOf(valueText),
    estimator: estimatorJson,
    preprocessing: preprocessingJson,
    trainRows: count,
    imagePreparation: imagePreparation.optional(),
    imageFeatures: imageFeatures.optional(),
    explanation: z.object({ means: numberList, rows: listOf(numberList, LIMITS.explain.backgroundRows) }).optional(),
  })
  .superRefine((model, ctx) => {
    const type = MODEL_TYPES[model.modelType];
    const { estimator } = model;
    if (estimator.kind !== type.kind) {
      return problem(ctx, ['estimator', 'kind'], `is "${estimator.kind}" but a "${model.modelType}" model holds a "${type.kind}".`);
    }
    const task = type.task ?? (estimator.kind === 'decisionTree' ? estimator.params.task : model.task);
    if (model.task !== task) return problem(ctx, ['task'], `is "${model.task}" but this model does ${task}.`);
    checkParams(ctx, model.modelType, model.params);
    // New rows come without the target; the preprocessing must leave out the same column the model predicts.
    if (model.preprocessing.target !== model.target) {
      return problem(ctx, ['preprocessing', 'target'], `is ${describeValue(model.preprocessing.target)} but the model predicts "${model.target}".`);
    }
    if (model.task === 'classification') {
      if (model.classes.length < 2) return problem(ctx, ['classes'], `has ${plural(model.classes.length, 'class', 'es')}; a classifier needs at least 2.`);
      uniqueNames(ctx, ['classes'], model.classes, 'class');
      const classCount = estimatorClassCount(estimator);
      if (classCount !== model.classes.length) {
        return problem(ctx, ['estimator', estimator.kind === 'convNet' ? 'classCount' : 'nClasses'], `is ${classCount} but "classes" lists ${model.classes.length}.`);
      }
    }
    checkFeatures(ctx, model.features, estimator, model);
    const explanation = model.explanation;
    if (explanation && [explanation.means, ...explanation.rows].some((row) => row.length !== model.features.length)) {
      problem(ctx, ['explanation'], `holds rows that are not ${plural(model.features.length, 'number')} long, one per feature.`);
    }
  });

function estimatorClassCount(estimator: EstimatorJson): number | null {
  if (estimator.kind === 'convNet') return estimator.classCount;
  return 'nClasses' in estimator ? estimator.nClasses : null;
}

/** The parameters must be ones the model's node accepts: cross-validation trains with them again. */
function checkParams(ctx: Ctx, modelType: ModelType, params: Record<string, unknown>): void {
  const result = MODEL_TYPES[modelType].node.params.safeParse(params);
  if (!result.success) passOn(ctx, ['params'], result.error.issues);
}

/** The columns the estimator reads must be the model's features, made by its preprocessing (or its image features). */
function checkFeatures(ctx: Ctx, features: string[], estimator: EstimatorJson, model: z.output<typeof modelValue>): void {
  if (estimator.kind === 'convNet') {
    if (features.length > 0) problem(ctx, ['features'], 'lists columns, but a network reads the pixels of photos.');
    return;
  }
  const names = estimator.featureNames;
  if (names.length !== features.length) {
    return problem(ctx, ['estimator', 'featureNames'], `has ${plural(names.length, 'name')} but "model.features" has ${features.length}.`);
  }
  const differs = names.findIndex((name, j) => name !== features[j]);
  if (differs >= 0) {
    return problem(ctx, ['estimator', 'featureNames', differs], `is "${names[differs]}" but "model.features" has "${features[differs]}" there.`);
  }
  uniqueNames(ctx, ['features'], features, 'column');
  if (model.imageFeatures) {
    const columns = model.imageFeatures.columns;
    if (columns.length !== features.length || columns.some((name, j) => name !== features[j])) {
      return problem(ctx, ['imageFeatures', 'columns'], 'differs from "model.features", the columns the model was trained on.');
    }
  }
  const outputs = new Map(model.preprocessing.outputColumns.map((column) => [column.name, column.type]));
  for (let j = 0; j < features.length; j++) {
    const type = outputs.get(features[j]);
    if (features[j] === model.target || type === undefined) {
      return problem(ctx, ['features', j], `is "${features[j]}", which is not among the columns the preprocessing makes.`);
    }
    if (type !== 'number') return problem(ctx, ['features', j], `is "${features[j]}", a text column; models read numbers.`);
  }
}

/** The whole file: format, version and the model. */
export const modelFileJson = z.object({
  format: z.literal('pipelab-model'),
  formatVersion: z.literal(1),
  model: modelValue,
});
