/**
 * MaxPoolGrad for the WebAssembly backend: one pass over the pooled outputs, routing each output's
 * gradient to the first maximum of its window (row-major order, the same tie rule as the cpu
 * backend). The backend's own kernel loops over every input pixel and every window covering it,
 * which costs about 20× the forward pooling on the reference CNN. The pass runs in the wasm loop
 * module, four channels at a time; `maxPoolGradInto` is its JavaScript twin for where that module
 * cannot run.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapOffset, type WasmBackendLike } from './backend-access';
import { maxPoolGradInto } from './js-loops';
import { wasmLoopsFor } from './wasm-loops';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export const maxPoolGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const wasm = backend as unknown as WasmBackendLike;
  if (dy.dtype !== 'float32' || input.dtype !== 'float32') {
    throw new Error(`MaxPoolGrad on wasm needs float32 tensors, got ${dy.dtype} and ${input.dtype}.`);
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = wasm.makeOutput([...input.shape], 'float32');
  const loops = wasmLoopsFor(wasm);
  if (!loops) {
    // Views after the allocation: growing WebAssembly memory detaches older ones.
    maxPoolGradInto(wasm.typedArrayFromHeap(input), wasm.typedArrayFromHeap(dy), wasm.typedArrayFromHeap(dx), info);
    return dx;
  }
  wasm.typedArrayFromHeap(dx).fill(0);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  loops.maxPoolGrad(
    heapOffset(wasm, input), heapOffset(wasm, dy), heapOffset(wasm, dx),
    batchSize, inHeight, inWidth, inChannels * 4, outHeight, outWidth,
    filterHeight, filterWidth, strideHeight, strideWidth, info.padInfo.top, info.padInfo.left,
  );
  return dx;
};

export function maxPoolGradWasmConfig(original?: KernelConfig): KernelConfig {
  return { kernelName: 'MaxPoolGrad', backendName: 'wasm', setupFunc: original?.setupFunc, kernelFunc: maxPoolGradWasm };
}
