import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { modelFileProblem } from './lib/model-file-check';
import { modelBasics, type ModelFile } from './lib/model-node';
import { storedFileParam } from './lib/params';
import { modelNeedsTensorFlow, tensorFlowReady } from './lib/tf-backends';
import { restoreEstimator } from '../models/estimators';
import type { ModelPreview } from './preview';

const refusal = (reason: string) => new NodeInputError(`This file is not a Pipelab model: ${reason}`);

/**
 * Checks an uploaded model file against the model-file schema and returns its model. Anything else
 * it is handed is refused with a NodeInputError naming what is wrong, never another kind of error:
 * uploads, saved-model steps and prediction endpoints all read files through here.
 */
export function readModelFile(bytes: Uint8Array): ModelFile {
  return refusingOthers(() => rebuilt(checkedModelFile(bytes)));
}

/** `readModelFile` in a run: a network is rebuilt on TensorFlow.js, whose backend starts first. */
async function readModelFileInRun(bytes: Uint8Array): Promise<ModelFile> {
  const file = refusingOthers(() => checkedModelFile(bytes));
  if (modelNeedsTensorFlow(file.model)) await tensorFlowReady();
  return refusingOthers(() => rebuilt(file));
}

function checkedModelFile(bytes: Uint8Array): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refusal('it is not JSON text.');
  }
  const problem = modelFileProblem(json);
  if (problem) throw refusal(problem);
  return json as ModelFile;
}

/** The schema covers what fromJSON trusts; rebuilding once more catches anything it could still miss. */
function rebuilt(file: ModelFile): ModelFile {
  restoreEstimator(file.model.estimator).dispose?.();
  return file;
}

function refusingOthers<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof NodeInputError && error.message.startsWith('This file is not a Pipelab model')) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw refusal(`its model could not be rebuilt (${detail.slice(0, 300)}).`);
  }
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
    model: storedFileParam('Model file', 'Upload a model file downloaded from a trained model in Pipelab.', 'model'),
  }),
  async run({ params, ctx }) {
    if (!params.model) throw new NodeInputError('No model file chosen yet: upload one in this node.');
    const { model } = await readModelFileInRun(ctx.artifacts.read(params.model));
    const preview: ModelPreview = {
      ...modelBasics(model),
      summary: [`${model.title} trained on ${model.trainRows.toLocaleString('en-US')} rows to predict "${model.target}", loaded from a file.`],
    };
    return { outputs: { model }, preview };
  },
});
