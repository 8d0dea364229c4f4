import type { z } from 'zod';
import type { Estimator } from '../../models/estimator';
import type { DownloadLink, ModelPreview } from '../preview';
import type { NodeContext, NodeDefinition } from '../define';
import type { ModelValue, SplitValue } from '../values';
import { fitModel, trainingSet, type ModelTraining, type TrainableModel, type TrainingSet } from './training';
import { withSearchSettings, type SearchSettings, type WithSearch } from './search-settings';
import { searchFolds, searchSummary, searchTableModel } from './tuning';
import { explanationBackground } from '../../models/explain/explainer';
import { LIMITS } from '../../models/limits';

export const MODEL_FILE_FORMAT = 'pipelab-model';

/** The downloadable form of a trained model: everything needed to score new raw rows. */
export interface ModelFile {
  format: typeof MODEL_FILE_FORMAT;
  formatVersion: 1;
  model: ModelValue;
}

export interface TrainedModel<Model extends Estimator = Estimator> {
  model: ModelValue;
  estimator: Model;
  set: TrainingSet;
  download: DownloadLink;
  /** The stored profile of the training rows, for watching a published model's traffic drift. */
  reference?: { hash: string };
}

const MODEL_INPUTS = [{ name: 'data', type: 'split', label: 'Train/test' }] as const;
const MODEL_OUTPUTS = [{ name: 'model', type: 'model', label: 'Model' }] as const;

/** A node that trains a model on table rows: a node definition that also declares its training. */
export type ModelNodeDefinition<P extends z.ZodObject = z.ZodObject, Model extends Estimator = Estimator> = NodeDefinition<
  P,
  typeof MODEL_INPUTS,
  typeof MODEL_OUTPUTS
> &
  TrainableModel<P, Model>;

export interface ModelNodeSpec<P extends z.ZodObject, Model extends Estimator> {
  /** Stable id, part of the saved JSON format. */
  type: string;
  version: number;
  title: string;
  /** Plain-language description shown in the palette and the side panel. */
  help: string;
  params: P;
  training: ModelTraining<z.output<P>, Model>;
  /** Shown while the model fits, when fitting gives no progress of its own. */
  fittingMessage?: string;
  /** What the model's result says beyond what every model's says (rows, inputs, target). */
  describe(trained: TrainedModel<Model>, split: SplitValue, params: z.output<P>): Partial<ModelPreview> & { summary: string[] };
}

/**
 * Declares a model node from its params, its training and what its result shows: the node takes a
 * train/test split, fits on the training rows and outputs the model (also stored as a file).
 */
export function defineModelNode<P extends z.ZodObject, Model extends Estimator>(spec: ModelNodeSpec<P, Model>): ModelNodeDefinition<WithSearch<P>, Model> {
  // The final model trains with the node's own settings (the best ones found, when it searched).
  const ownTraining: TrainableModel<P, Model> = { type: spec.type, title: spec.title, params: spec.params, training: spec.training };
  const node: ModelNodeDefinition<WithSearch<P>, Model> = {
    type: spec.type,
    version: spec.version,
    title: spec.title,
    category: 'Model',
    help: spec.help,
    inputs: MODEL_INPUTS,
    outputs: MODEL_OUTPUTS,
    // Every model offers "Search for the best settings" after its own settings.
    params: withSearchSettings(spec.params),
    training: spec.training as ModelTraining<z.output<WithSearch<P>>, Model>,
    async run({ params: given, inputs, ctx }) {
      const params = given as z.output<P> & SearchSettings;
      // A search takes most of the node's time: its tries fill the progress bar up to 95%, the final fit the rest.
      const share = (from: number, to: number): NodeContext => ({ ...ctx, progress: (f, message, live) => ctx.progress(from + (to - from) * f, message, live) });
      const search =
        params.search === 'off' ? null : await searchTableModel(node, params, inputs.data, searchFolds(inputs.data, params.searchFolds), share(0, 0.95));
      const applied = (search?.params ?? params) as z.output<P> & SearchSettings;
      if (search) ctx.progress(0.95, 'Training with the best settings on all training rows');
      else if (spec.fittingMessage) ctx.progress(0.1, spec.fittingMessage);
      const trained = await trainModelNode(ownTraining, applied, inputs.data, search ? share(0.95, 1) : ctx);
      const described = spec.describe(trained, inputs.data, applied);
      const preview = modelPreview(
        trained,
        search ? { ...described, tuning: search.leaderboard, summary: [...searchSummary(search.leaderboard), ...described.summary] } : described,
      );
      return { outputs: { model: trained.model }, preview };
    },
  };
  return node;
}

/** Trains a model node's estimator on the split's training rows and stores it as a downloadable file. */
async function trainModelNode<P extends z.ZodObject, Model extends Estimator>(
  node: TrainableModel<P, Model>,
  params: z.output<P>,
  split: SplitValue,
  ctx: NodeContext,
): Promise<TrainedModel<Model>> {
  const { estimator, set } = await fitModel(node, params, trainingSet(split.train, split, node), {
    signal: ctx.signal,
    onProgress: (fraction, message) => ctx.progress(fraction, message),
  });
  const model: ModelValue = {
    modelType: node.type,
    nodeId: ctx.nodeId,
    params,
    title: ctx.title,
    task: split.task,
    target: split.target,
    features: set.features,
    classes: split.classes,
    estimator: estimator.toJSON(),
    preprocessing: split.preprocessing,
    trainRows: set.X.rows,
    imagePreparation: split.images?.train.preparation ?? undefined,
    imageFeatures: split.imageFeatures,
    explanation: explanationBackground(set.X, LIMITS.explain.backgroundRows),
  };
  // Loaded when first needed: it scores rows through every estimator (TensorFlow.js among them), which a thread
  // that only cross-validates a tree's settings has no use for.
  const { storeTrainingReference, trainingReference } = await import('./training-reference');
  const reference = trainingReference(model, split, estimator);
  return { model, estimator, set, download: storeModelFile(model, ctx), reference: reference && { hash: storeTrainingReference(reference, ctx).hash } };
}

/** Stores a trained model as a file a "Saved model" step can load again. */
export function storeModelFile(model: ModelValue, ctx: NodeContext): DownloadLink {
  const file: ModelFile = { format: MODEL_FILE_FORMAT, formatVersion: 1, model };
  const fileName = `${ctx.nodeId}-${model.modelType.replace('model.', '')}.json`;
  const stored = ctx.artifacts.write(fileName, JSON.stringify(file));
  return { ...stored, label: 'Download model (JSON)' };
}

/** What every model's result shows, whether just trained or loaded from a file. */
export function modelBasics(model: ModelValue): Omit<ModelPreview, 'summary'> {
  return {
    kind: 'model',
    model: model.title,
    task: model.task,
    target: model.target,
    trainRows: model.trainRows,
    features: model.features,
    classes: model.task === 'classification' ? model.classes : undefined,
  };
}

/** The parts of a model preview every model node shares. */
function modelPreview(trained: TrainedModel, extra: Partial<ModelPreview> & { summary: string[] }): ModelPreview {
  const { model, download, reference } = trained;
  return {
    ...modelBasics(model),
    download,
    trainingReference: reference,
    nodeId: model.nodeId,
    ...extra,
    summary: [
      `Trained on ${model.trainRows.toLocaleString('en-US')} rows with ${model.features.length} inputs` +
        (model.task === 'classification' ? ` to predict ${model.classes.length} classes of "${model.target}".` : ` to predict "${model.target}".`),
      ...extra.summary,
    ],
  };
}
