/**
 * Sum for the WebAssembly backend with a fast path for reducing every axis but the last, which is
 * what a bias gradient asks for (the gradient of a broadcast add sums dY over batch, height and
 * width). The backend moves the reduced axes last with a full transpose and then sums rows: 3.5 ms
 * for the first conv layer's [64, 26, 26, 32] gradient of the reference CNN. Adding the rows up in
 * place, four channels at a time, reads the tensor once instead. Every other reduction goes to the
 * backend's own kernel.
 */
import { util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapOffset, type WasmBackendLike } from './backend-access';
import { wasmLoopsFor } from './wasm-loops';

/** True when `axes` (any order, negatives allowed) names exactly the leading rank − 1 axes of `shape`. */
export function reducesAllButLast(axis: number | number[], shape: number[]): boolean {
  if (shape.length < 2) return false;
  const axes = [...new Set(util.parseAxisParam(axis, shape))].sort((a, b) => a - b);
  return axes.length === shape.length - 1 && axes.every((a, i) => a === i);
}

export function leadingAxesSum(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const channels = x.shape[x.shape.length - 1];
    const loops = wasmLoopsFor(backend);
    if (x.dtype !== 'float32' || !loops || !reducesAllButLast(axis, x.shape) || util.sizeFromShape(x.shape) === 0) {
      return original(args);
    }
    const wasm = backend as unknown as WasmBackendLike;
    const shape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
    const out = wasm.makeOutput(shape, 'float32');
    wasm.typedArrayFromHeap(out).fill(0);
    loops.sumRows(heapOffset(wasm, x), heapOffset(wasm, out), util.sizeFromShape(x.shape) / channels, channels * 4);
    return out;
  };
}

export function leadingAxesSumConfig(original: KernelConfig): KernelConfig {
  return { ...original, kernelFunc: leadingAxesSum(original.kernelFunc) };
}
