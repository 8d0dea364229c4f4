import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { MODEL_FILE_FORMAT, type ModelFile } from './lib/model-node';
import { restoreEstimator } from './lib/trainers';
import type { ModelPreview } from './preview';

/** Checks an uploaded model file and returns its model, with plain errors for anything else. */
export function readModelFile(bytes: Uint8Array): ModelFile {
  let file: Partial<ModelFile>;
  try {
    file = JSON.parse(new TextDecoder().decode(bytes)) as Partial<ModelFile>;
  } catch {
    throw new NodeInputError('This is not a Pipelab model file (it is not JSON).');
  }
  if (file?.format !== MODEL_FILE_FORMAT || !file.model) {
    throw new NodeInputError('This is not a Pipelab model file; download one with "Download model" from a trained model.');
  }
  if (file.formatVersion !== 1) throw new NodeInputError(`This model file has format version ${file.formatVersion}, which this Pipelab cannot read.`);
  restoreEstimator(file.model.estimator);
  return file as ModelFile;
}

export const dataModel = defineNode({
  type: 'data.model',
  version: 1,
  title: 'Saved model',
  category: 'Data',
  help: 'Loads a model trained in another pipeline (its "Download model" file), ready to score new rows with "Score new rows".',
  inputs: [],
  outputs: [{ name: 'model', type: 'model', label: 'Model' }],
  params: z.object({
    model: z.string().default('').meta({
      title: 'Model file',
      description: 'Upload a model file downloaded from a trained model in Pipelab.',
      widget: 'model',
    }),
  }),
  async run({ params, ctx }) {
    if (!params.model) throw new NodeInputError('No model file chosen yet: upload one in this node.');
    const { model } = readModelFile(ctx.artifacts.read(params.model));
    const preview: ModelPreview = {
      kind: 'model',
      model: model.title,
      task: model.task,
      target: model.target,
      trainRows: model.trainRows,
      features: model.features,
      classes: model.task === 'classification' ? model.classes : undefined,
      summary: [`${model.title} trained on ${model.trainRows.toLocaleString('en-US')} rows to predict "${model.target}", loaded from a file.`],
    };
    return { outputs: { model }, preview };
  },
});
