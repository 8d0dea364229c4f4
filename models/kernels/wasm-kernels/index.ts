/**
 * Kernels that let the TensorFlow.js WebAssembly backend train convolutional networks at speed.
 * Call `registerWasmTrainingKernels()` after importing '@tensorflow/tfjs-backend-wasm' (importing it
 * registers the backend's kernels, which would overwrite ours) and before the first `model.fit`;
 * before or after `tf.setBackend('wasm')` does not matter.
 *
 * - Conv2DBackpropFilter: missing from the backend; without it a Conv2D layer cannot train.
 * - Conv2DBackpropInput: replaces the backend's direct loop with an XNNPACK matrix product.
 * - MaxPoolGrad: replaces the backend's per-pixel loop with one pass over the pooled outputs.
 * - BatchMatMul: the backend's kernel, with transposed operands materialised first so they take
 *   its fast path (every matMul gradient asks for a transposed operand).
 * - Sum: the backend's kernel, except that reducing every axis but the last (bias gradients) adds
 *   rows up in place instead of transposing the whole tensor first.
 * - Identity and same-dtype Cast: share the data instead of copying it (the engine clones every
 *   tensor it keeps for the backward pass).
 *
 * The patch copying and gradient routing run in a small WebAssembly SIMD module sharing the
 * backend's memory (`wasm-loops.ts`), with JavaScript loops where that module cannot run.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { fastTransposeBatchMatMulConfig } from './batch-mat-mul';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input';
import { maxPoolGradWasmConfig } from './max-pool-grad';
import { sharedCastConfig, sharedIdentityConfig } from './shared-identity';
import { leadingAxesSumConfig } from './sum';

export { conv2DBackpropFilterWasm } from './conv2d-backprop-filter';
export { conv2DBackpropInputWasm } from './conv2d-backprop-input';
export { fastTransposeBatchMatMul } from './batch-mat-mul';
export { maxPoolGradWasm } from './max-pool-grad';
export { im2colTransposed, col2imAdd, maxPoolGradInto } from './js-loops';
export { leadingAxesSum, reducesAllButLast } from './sum';
export { sharedIdentity, sharedSameTypeCast } from './shared-identity';
export { wasmLoopsFor } from './wasm-loops';

const ours = new WeakSet<KernelFunc>();

function install(kernelName: string, make: (original: KernelConfig | undefined) => KernelConfig): void {
  const current = tf.getKernel(kernelName, 'wasm');
  if (current && ours.has(current.kernelFunc)) return;
  const config = make(current);
  ours.add(config.kernelFunc);
  if (current) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(config);
}

/**
 * Registers the wasm training kernels. Idempotent: calling it again changes nothing. A
 * Conv2DBackpropFilter that the backend itself provides (a later release) is kept. The replaced
 * kernels keep the backend's setup functions, so the backend may be initialised later.
 */
export function registerWasmTrainingKernels(): void {
  const filterGrad = tf.getKernel('Conv2DBackpropFilter', 'wasm');
  if (!filterGrad) {
    ours.add(conv2DBackpropFilterWasmConfig.kernelFunc);
    tf.registerKernel(conv2DBackpropFilterWasmConfig);
  }
  install('Conv2DBackpropInput', (original) => conv2DBackpropInputWasmConfig(original));
  install('MaxPoolGrad', (original) => maxPoolGradWasmConfig(original));
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul) install('BatchMatMul', (original) => fastTransposeBatchMatMulConfig(original!));
  if (tf.getKernel('Sum', 'wasm')) install('Sum', (original) => leadingAxesSumConfig(original!));
  if (tf.getKernel('Identity', 'wasm')) install('Identity', (original) => sharedIdentityConfig(original!));
  if (tf.getKernel('Cast', 'wasm')) install('Cast', (original) => sharedCastConfig(original!));
}
