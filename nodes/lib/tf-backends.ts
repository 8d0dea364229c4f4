import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../../models/kernels/wasm-kernels';
import { appRoot } from './paths';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * Starts one TensorFlow.js backend in this thread, looked up in Pipelab's own installation whatever folder it
 * is run from. The run's process picks its backend (server/tf-backend.ts); a thread scoring settings-search
 * trials starts the same one, so its numbers are the run thread's to the last bit.
 */
export async function startBackend(name: BackendName): Promise<boolean> {
  const require = createRequire(path.join(appRoot(), 'package.json'));
  try {
    if (name === 'tensorflow-gpu') require('@tensorflow/tfjs-node-gpu');
    if (name === 'tensorflow') require('@tensorflow/tfjs-node');
    if (name === 'wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      // The trailing slash matters: the loader appends file names to this prefix.
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
      // After the backend's own kernels are registered: ours replace some and add the ones it lacks to train CNNs.
      registerWasmTrainingKernels();
    }
    // tfjs-node-gpu registers itself as "tensorflow" too.
    const registered = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    return (await tf.setBackend(registered)) && tf.getBackend() === registered;
  } catch {
    return false;
  }
}
