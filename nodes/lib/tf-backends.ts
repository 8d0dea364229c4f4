import { createRequire } from 'node:module';
import path from 'node:path';
import { loadTensorFlow } from '../../models/tensorflow';
import type { ModelValue } from '../values';
import { appRoot } from './paths';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * Starts one TensorFlow.js backend in this thread, looked up in Pipelab's own installation whatever folder it
 * is run from. The run's process picks its backend (`tensorFlowReady`); a thread scoring settings-search
 * trials starts the same one, so its numbers are the run thread's to the last bit.
 */
export async function startBackend(name: BackendName): Promise<boolean> {
  const require = createRequire(path.join(appRoot(), 'package.json'));
  try {
    const tf = await loadTensorFlow();
    if (name === 'tensorflow-gpu') require('@tensorflow/tfjs-node-gpu');
    if (name === 'tensorflow') require('@tensorflow/tfjs-node');
    if (name === 'wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      // The trailing slash matters: the loader appends file names to this prefix.
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
      // After the backend's own kernels are registered: ours replace some and add the ones it lacks to train CNNs.
      const { registerWasmTrainingKernels } = await import('../../models/kernels/wasm-kernels');
      registerWasmTrainingKernels();
    }
    // tfjs-node-gpu registers itself as "tensorflow" too.
    const registered = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    return (await tf.setBackend(registered)) && tf.getBackend() === registered;
  } catch {
    return false;
  }
}

/** Order of preference: native GPU, native CPU, WebAssembly, plain JavaScript. */
export const PREFERENCE: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** Why `name` cannot be asked for (PIPELAB_BACKEND, --backend), or null: checked before any run needs it. */
export function unknownBackendProblem(name: string): string | null {
  return PREFERENCE.includes(name as BackendName) ? null : `"${name}" is not a TensorFlow.js backend Pipelab knows; use one of ${PREFERENCE.join(', ')}.`;
}

let selecting: Promise<string> | null = null;
const listeners = new Set<(backend: string) => void>();

/**
 * Loads TensorFlow.js and starts the fastest backend that loads here (PIPELAB_BACKEND forces one), once per
 * thread, and resolves to a name for people, e.g. "wasm" or "tensorflow (native)". Whatever computes on
 * TensorFlow.js awaits this first; runs of table models alone never do, so they never load it. Each call is
 * told to `whenTensorFlowUsed` listeners: a run records the backend only when one of its steps needed it.
 */
export async function tensorFlowReady(forced = process.env.PIPELAB_BACKEND): Promise<string> {
  selecting ??= selectBackend(forced);
  const pending = selecting;
  try {
    const name = await pending;
    for (const listener of listeners) listener(name);
    return name;
  } catch (error) {
    // A later call may try again (another --backend, or a backend that failed for a passing reason).
    if (selecting === pending) selecting = null;
    throw error;
  }
}

/** TensorFlow.js's own name for the backend `tensorFlowReady` started (what `startBackend` takes in a thread). */
export async function startedBackend(): Promise<BackendName> {
  await tensorFlowReady();
  return (await loadTensorFlow()).getBackend() as BackendName;
}

/** Calls `listener` each time something in this thread needs TensorFlow.js; returns the way to stop. */
export function whenTensorFlowUsed(listener: (backend: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function selectBackend(forced: string | undefined): Promise<string> {
  const problem = forced ? unknownBackendProblem(forced) : null;
  if (problem) throw new Error(problem);
  const candidates = forced ? [forced as BackendName] : PREFERENCE;
  for (const name of candidates) {
    if (await startBackend(name)) {
      await (await loadTensorFlow()).ready();
      return name === 'tensorflow-gpu' ? 'tensorflow-gpu (native)' : name === 'tensorflow' ? 'tensorflow (native)' : name;
    }
  }
  throw new Error(
    forced
      ? `The TensorFlow.js backend "${forced}" (--backend or PIPELAB_BACKEND) could not start here; use one of ${PREFERENCE.join(', ')}, or leave it out to use the fastest one that starts.`
      : 'No TensorFlow.js backend could start.',
  );
}

/** Scoring with this model computes on TensorFlow.js: a network, or a model reading a network's photo features. */
export function modelNeedsTensorFlow(model: Pick<ModelValue, 'modelType' | 'imageFeatures'> | undefined): boolean {
  return !!model && (model.modelType === 'model.cnn' || model.imageFeatures?.method === 'cnn');
}

/** Starts the backend when any of these models computes on TensorFlow.js (steps that score, evaluate or explain them). */
export async function readyForModels(models: readonly (ModelValue | undefined)[]): Promise<void> {
  if (models.some(modelNeedsTensorFlow)) await tensorFlowReady();
}
