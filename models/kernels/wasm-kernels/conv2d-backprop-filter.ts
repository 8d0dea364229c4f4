/**
 * Conv2DBackpropFilter for the TensorFlow.js WebAssembly backend.
 *
 * The filter gradient of a 2-D convolution is itself a matrix product:
 *
 *   dW[kh, kw, ci, co] = Σ_{b, y, x} X[b, y·sh + kh·dh − padTop, x·sw + kw·dw − padLeft, ci] · dY[b, y, x, co]
 *
 * We gather the input patches ("im2col") directly in the WebAssembly heap and hand the product to
 * the backend's own BatchMatMul (XNNPACK). That kernel repacks its second operand on every call, and
 * the repacking of a tall matrix costs more than the product itself (24 ms against 9 ms for a
 * 7744 × 288 operand), so the smaller of the two tall operands goes second:
 *
 * - Cout < K (deeper layers): dW[K, Cout] = colsᵀ[K, N] · dY[N, Cout]; the product is already
 *   [fh, fw, Cin, Cout].
 * - otherwise (a first layer on few channels): dWᵀ[Cout, K] = dYᵀ[Cout, N] · cols[N, K], and the
 *   small result transposed.
 *
 * The patches are always gathered as colsᵀ (one row per filter tap and channel): for few channels
 * that copies whole runs of image rows, three times faster than a row per output pixel, which
 * would move one float per tap. A tiled transpose turns it into cols where needed.
 *
 * N = batch·outH·outW and K = fh·fw·Cin. Operands are transposed explicitly because the backend's
 * product is only fast without transpose flags.
 */
import { backend_util, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asShape, callKernel, heapOffset, patchGeometry, transpose2d, type WasmBackendLike } from './backend-access';
import { requireFloat32Nhwc } from './checks';
import { im2colTransposed } from './js-loops';
import { wasmLoopsFor } from './wasm-loops';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** The transposed patch matrix [K, N] of `x`, in the wasm loop where it can run. */
function gatherPatchesTransposed(wasm: WasmBackendLike, x: TensorInfo, info: backend_util.Conv2DInfo, k: number, n: number): TensorInfo {
  const colsT = wasm.makeOutput([k, n], 'float32');
  const loops = wasmLoopsFor(wasm);
  if (loops) loops.gatherPatchesTransposed(heapOffset(wasm, x), heapOffset(wasm, colsT), ...patchGeometry(info));
  else im2colTransposed(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(colsT), info);
  return colsT;
}

/** The [K, Cout] filter gradient as a product whose second operand is the smaller one to repack. */
function filterGradient(wasm: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const co = info.outChannels;
  const transposed = co < k;
  const noFlags = { transposeA: false, transposeB: false };
  const temporaries: TensorInfo[] = [];
  try {
    const colsT = gatherPatchesTransposed(wasm, x, info, k, n);
    temporaries.push(colsT);
    if (transposed) return callKernel('BatchMatMul', wasm, { a: colsT, b: asShape(dy, [n, co]) }, noFlags);
    const cols = transpose2d(wasm, colsT, k, n);
    temporaries.push(cols);
    const dyT = transpose2d(wasm, dy, n, co);
    temporaries.push(dyT);
    const product = callKernel('BatchMatMul', wasm, { a: dyT, b: cols }, noFlags);
    temporaries.push(product);
    return transpose2d(wasm, product, co, k);
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
}

export const conv2DBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const wasm = backend as unknown as WasmBackendLike;

  const format = requireFloat32Nhwc('Conv2DBackpropFilter', [x, dy], dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (!util.arraysEqual(dy.shape, expectedDy)) {
    throw new Error(`Conv2DBackpropFilter: dy has shape [${dy.shape}], expected [${expectedDy}].`);
  }
  // [K, Cout] in memory is exactly [fh, fw, Cin, Cout].
  return asShape(filterGradient(wasm, x, dy, info), [...filterShape]);
};

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
};
