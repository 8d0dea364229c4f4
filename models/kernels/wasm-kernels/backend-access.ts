import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { wasmLoopsFor } from './wasm-loops';

/** The parts of the TensorFlow.js WebAssembly backend the training kernels rely on. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

/** Byte offset of a tensor's data in the backend's heap. */
export function heapOffset(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** The convolution geometry in the order the wasm patch loops take it, channels in bytes. */
export function patchGeometry(info: backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels * 4, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  ];
}

/** Runs one of the backend's registered kernels directly (no engine bookkeeping, no tape). */
export function callKernel(name: string, backend: object, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The wasm backend has no ${name} kernel.`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** A view of a tensor under another shape of the same size (shares the data). */
export function asShape(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/**
 * A float32 [rows, cols] tensor transposed to [cols, rows]: in 4 × 4 tiles by the wasm loop module
 * where it can run (see `transposeSource`), else by the backend's Transpose.
 */
export function transpose2d(wasm: WasmBackendLike, t: TensorInfo, rows: number, cols: number): TensorInfo {
  const loops = wasmLoopsFor(wasm);
  if (!loops) return callKernel('Transpose', wasm, { x: asShape(t, [rows, cols]) }, { perm: [1, 0] });
  const out = wasm.makeOutput([cols, rows], 'float32');
  loops.transpose(heapOffset(wasm, t), heapOffset(wasm, out), rows, cols);
  return out;
}
