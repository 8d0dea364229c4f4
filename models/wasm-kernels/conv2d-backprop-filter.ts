/**
 * Conv2DBackpropFilter for the TensorFlow.js WebAssembly backend.
 *
 * The filter gradient of a 2-D convolution is itself a matrix product:
 *
 *   dW[kh, kw, ci, co] = Σ_{b, y, x} X[b, y·sh + kh·dh − padTop, x·sw + kw·dw − padLeft, ci] · dY[b, y, x, co]
 *
 * We gather the input patches as a [N, K] matrix (one row per output pixel, N = batch·outH·outW,
 * K = fh·fw·Cin; "im2col") directly in the WebAssembly heap, then take dYᵀ[Cout, N] · cols[N, K]
 * with the backend's own BatchMatMul (XNNPACK) and transpose the small [Cout, K] result to
 * [fh, fw, Cin, Cout]. Rows of whole patches let the gather copy channel runs four floats at a
 * time; the transposed layout would need one scalar store per element. dY is transposed rather
 * than flagged because the backend's product is only fast without transpose flags.
 */
import { backend_util, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asShape, callKernel, heapOffset, patchGeometry, type WasmBackendLike } from './backend-access';
import { requireFloat32Nhwc } from './checks';
import { wasmLoopsFor } from './wasm-loops';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Writes the patch matrix of `x` into `cols` ([N, K], row-major), zero where a patch reaches into
 * the padding. The JavaScript twin of the wasm gather, used where that module cannot run.
 */
export function im2col(x: Float32Array, cols: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = oy * strideHeight + kh * dilationHeight - info.padInfo.top;
          for (let kw = 0; kw < filterWidth; kw++, o += inChannels) {
            const ix = ox * strideWidth + kw * dilationWidth - info.padInfo.left;
            if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) {
              cols.fill(0, o, o + inChannels);
              continue;
            }
            const src = image + (iy * inWidth + ix) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) cols[o + ci] = x[src + ci];
          }
        }
      }
    }
  }
}

function gatherPatches(wasm: WasmBackendLike, x: TensorInfo, cols: TensorInfo, info: backend_util.Conv2DInfo): void {
  const loops = wasmLoopsFor(wasm);
  if (loops) loops.gatherPatches(heapOffset(wasm, x), heapOffset(wasm, cols), ...patchGeometry(info));
  else im2col(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(cols), info);
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

  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const co = info.outChannels;
  const temporaries: TensorInfo[] = [];
  try {
    const cols = wasm.makeOutput([n, k], 'float32');
    temporaries.push(cols);
    gatherPatches(wasm, x, cols, info);
    const dyT = callKernel('Transpose', backend, { x: asShape(dy, [n, co]) }, { perm: [1, 0] });
    temporaries.push(dyT);
    const product = callKernel('BatchMatMul', backend, { a: dyT, b: cols }, { transposeA: false, transposeB: false });
    temporaries.push(product);
    const dw = callKernel('Transpose', backend, { x: asShape(product, [co, k]) }, { perm: [1, 0] });
    // [K, Cout] in memory is exactly [fh, fw, Cin, Cout].
    return asShape(dw, [...filterShape]);
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
};

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
};
