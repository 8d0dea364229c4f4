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
 * - Cout < K (deeper layers): dW[K, Cout] = colsᵀ[K, N] · dY[N, Cout], with the patches gathered
 *   straight into the transposed layout; the product is already [fh, fw, Cin, Cout].
 * - otherwise (a first layer on few channels): dWᵀ[Cout, K] = dYᵀ[Cout, N] · cols[N, K], with
 *   the patches gathered one row per output pixel, and the small result transposed.
 *
 * N = batch·outH·outW and K = fh·fw·Cin. Operands are transposed explicitly because the backend's
 * product is only fast without transpose flags.
 */
import { backend_util, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asShape, callKernel, heapOffset, patchGeometry, type WasmBackendLike } from './backend-access';
import { requireFloat32Nhwc } from './checks';
import { im2col, im2colTransposed } from './js-loops';
import { wasmLoopsFor } from './wasm-loops';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function gatherPatches(wasm: WasmBackendLike, x: TensorInfo, cols: TensorInfo, info: backend_util.Conv2DInfo, transposed: boolean): void {
  const loops = wasmLoopsFor(wasm);
  const [xOffset, colsOffset] = [heapOffset(wasm, x), heapOffset(wasm, cols)];
  if (loops && transposed) loops.gatherPatchesTransposed(xOffset, colsOffset, ...patchGeometry(info));
  else if (loops) loops.gatherPatches(xOffset, colsOffset, ...patchGeometry(info));
  else (transposed ? im2colTransposed : im2col)(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(cols), info);
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
    const cols = wasm.makeOutput(transposed ? [k, n] : [n, k], 'float32');
    temporaries.push(cols);
    gatherPatches(wasm, x, cols, info, transposed);
    if (transposed) return callKernel('BatchMatMul', wasm, { a: cols, b: asShape(dy, [n, co]) }, noFlags);
    const dyT = callKernel('Transpose', wasm, { x: asShape(dy, [n, co]) }, { perm: [1, 0] });
    temporaries.push(dyT);
    const product = callKernel('BatchMatMul', wasm, { a: dyT, b: cols }, noFlags);
    temporaries.push(product);
    return callKernel('Transpose', wasm, { x: asShape(product, [co, k]) }, { perm: [1, 0] });
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
