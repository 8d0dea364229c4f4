/**
 * TensorFlow.js for the model files that compute on it (the network, the softmax objective on mid-sized
 * tables), loaded when one of them first computes rather than when the file is imported: importing it costs
 * ~50-90 MB of resident memory and a second of start-up, which runs of table models alone never need.
 *
 * `tf` stands for the package itself (the same module instance anything else imports). Before the first
 * computation the caller awaits `loadTensorFlow()` and starts its backend (nodes/lib/tf-backends.ts does
 * both); a process that promised to do so (`requireStartedTensorFlow`) gets an error rather than a silent
 * load on TensorFlow.js's default backend, whose float32 numbers differ from the chosen one's. Elsewhere
 * (tests, scripts) the first use loads it synchronously, as a static import did.
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';

let loaded: typeof TF | null = null;
let strict = false;

function loadedOrRequired(): typeof TF {
  if (loaded) return loaded;
  if (strict) {
    throw new Error('TensorFlow.js was used before its backend started; the caller must await the backend first (a Pipelab bug).');
  }
  loaded = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof TF;
  return loaded;
}

/** TensorFlow.js's exports, reached on first use. */
export const tf: typeof TF = new Proxy({} as typeof TF, {
  get: (_target, key) => Reflect.get(loadedOrRequired(), key),
});

/** Loads TensorFlow.js (once per thread) and returns it. */
export async function loadTensorFlow(): Promise<typeof TF> {
  loaded ??= await import('@tensorflow/tfjs');
  return loaded;
}

/** Whether this thread has loaded TensorFlow.js through this module. */
export function tensorFlowLoaded(): boolean {
  return loaded !== null;
}

/** From now on, using TensorFlow.js before `loadTensorFlow()` is an error (processes that start a backend). */
export function requireStartedTensorFlow(): void {
  strict = true;
}
