import type { DownloadLink, ModelPreview } from '../preview';
import type { NodeContext } from '../define';
import type { ModelValue, SplitValue } from '../values';
import { rowsForTraining, TRAINERS, trainingSet, type Estimator, type TrainingSet } from './trainers';

export const MODEL_FILE_FORMAT = 'pipelab-model';

/** The downloadable form of a trained model: everything needed to score new raw rows. */
export interface ModelFile {
  format: typeof MODEL_FILE_FORMAT;
  formatVersion: 1;
  model: ModelValue;
}

export interface TrainedModel {
  model: ModelValue;
  estimator: Estimator;
  set: TrainingSet;
  download: DownloadLink;
}

/** Trains a model node's estimator on the split's training rows and stores it as a downloadable file. */
export async function trainModelNode(
  modelType: string,
  params: Record<string, unknown>,
  split: SplitValue,
  ctx: NodeContext,
): Promise<TrainedModel> {
  const set = rowsForTraining(modelType, params, trainingSet(split.train, split, modelType));
  const estimator = await TRAINERS[modelType].fit(params, set, {
    signal: ctx.signal,
    onProgress: (fraction, message) => ctx.progress(fraction, message),
  });
  const model: ModelValue = {
    modelType,
    nodeId: ctx.nodeId,
    params,
    title: TRAINERS[modelType].title,
    task: split.task,
    target: split.target,
    features: set.features,
    classes: split.classes,
    estimator: estimator.toJSON(),
    preprocessing: split.preprocessing,
    trainRows: set.X.rows,
    imagePreparation: split.images?.train.preparation ?? undefined,
    imageFeatures: split.imageFeatures,
  };
  return { model, estimator, set, download: storeModelFile(model, ctx) };
}

/** Stores a trained model as a file a "Saved model" step can load again. */
export function storeModelFile(model: ModelValue, ctx: NodeContext): DownloadLink {
  const file: ModelFile = { format: MODEL_FILE_FORMAT, formatVersion: 1, model };
  const fileName = `${ctx.nodeId}-${model.modelType.replace('model.', '')}.json`;
  const stored = ctx.artifacts.write(fileName, JSON.stringify(file));
  return { ...stored, label: 'Download model (JSON)' };
}

/** The parts of a model preview every model node shares. */
export function modelPreview(trained: TrainedModel, extra: Partial<ModelPreview> & { summary: string[] }): ModelPreview {
  const { model, download } = trained;
  return {
    kind: 'model',
    model: model.title,
    task: model.task,
    target: model.target,
    trainRows: model.trainRows,
    features: model.features,
    classes: model.task === 'classification' ? model.classes : undefined,
    download,
    nodeId: model.nodeId,
    ...extra,
    summary: [
      `Trained on ${model.trainRows.toLocaleString('en-US')} rows with ${model.features.length} inputs` +
        (model.task === 'classification' ? ` to predict ${model.classes.length} classes of "${model.target}".` : ` to predict "${model.target}".`),
      ...extra.summary,
    ],
  };
}
