/**
 * Conv2DBackpropFilter for the TensorFlow.js WebAssembly backend.
 *
 * The filter gradient of a 2-D convolution is itself a matrix product:
 *
 *   dW[kh, kw, ci, co] = Σ_{b, y, x} X[b, y·sh + kh − padTop, x·sw + kw − padLeft, ci] · dY[b, y, x, co]
 *
 * We lay the input patches out as a [K, N] matrix (K = fh·fw·Cin rows, N = batch·outH·outW
 * columns; "im2col", transposed) directly in the WebAssembly heap, then hand it to the backend's
 * own BatchMatMul kernel (XNNPACK) against dY viewed as [N, Cout]. The [K, Cout] product is the
 * gradient in [fh, fw, Cin, Cout] order, so no transpose is needed afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import { backend_util, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { requireFloat32Nhwc } from './checks';

/** The parts of the WebAssembly backend this kernel relies on. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Writes the transposed patch matrix of `x` into `cols` ([K, N], row-major), zero where a patch
 * reaches into the padding.
 */
export function im2colTransposed(
  x: Float32Array,
  cols: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const n = batchSize * outHeight * outWidth;
  const xRow = inWidth * inChannels; // stride between input rows
  const xImage = inHeight * xRow; // stride between images
  const xStep = strideWidth * inChannels; // step in x per output column

  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const dx = kw * dilationWidth - padLeft;
      // Output columns whose input column lies inside the image: ox in [oxLo, oxHi).
      let oxLo = dx >= 0 ? 0 : Math.ceil(-dx / strideWidth);
      let oxHi = Math.ceil((inWidth - dx) / strideWidth);
      if (oxHi > outWidth) oxHi = outWidth;
      if (oxLo > outWidth) oxLo = outWidth;
      if (oxHi < oxLo) oxHi = oxLo;
      for (let ci = 0; ci < inChannels; ci++) {
        let o = ((kh * filterWidth + kw) * inChannels + ci) * n;
        for (let b = 0; b < batchSize; b++) {
          const xb = b * xImage + ci;
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * strideHeight + kh * dilationHeight - padTop;
            if (iy < 0 || iy >= inHeight) {
              cols.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            let ox = 0;
            for (; ox < oxLo; ox++) cols[o++] = 0;
            let xi = xb + iy * xRow + (oxLo * strideWidth + dx) * inChannels;
            for (; ox < oxHi; ox++) {
              cols[o++] = x[xi];
              xi += xStep;
            }
            for (; ox < outWidth; ox++) cols[o++] = 0;
          }
        }
      }
    }
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

  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const co = info.outChannels;

  // Allocate first: a heap allocation may grow WebAssembly memory and detach older views.
  const cols = wasm.makeOutput([k, n], 'float32');
  try {
    im2colTransposed(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(cols), info);
    const matMul = tf.getKernel('BatchMatMul', 'wasm');
    if (!matMul) throw new Error('The wasm backend has no BatchMatMul kernel.');
    const product = matMul.kernelFunc({
      inputs: { a: cols, b: { dataId: dy.dataId, shape: [n, co], dtype: 'float32' } },
      backend,
      attrs: { transposeA: false, transposeB: false } as unknown as NamedAttrMap,
    }) as TensorInfo;
    // [1, K, Cout] in memory is exactly [fh, fw, Cin, Cout].
    return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
  } finally {
    wasm.disposeData(cols.dataId);
  }
};

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
};
