/**
 * JavaScript versions of the loops in `wasm-loops.ts`, for where that module cannot run (no
 * WebAssembly SIMD, or a backend build that does not expose its memory). Same layouts and results.
 */
import type { backend_util } from '@tensorflow/tfjs';

/**
 * Writes the transposed patch matrix of `x` into `cols` ([K, N], row-major), zero where a patch
 * reaches into the padding.
 */
export function im2colTransposed(x: Float32Array, cols: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const n = batchSize * outHeight * outWidth;
  const xRow = inWidth * inChannels;
  const xStep = strideWidth * inChannels;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const dx = kw * dilationWidth - info.padInfo.left;
      // Output columns whose input column lies inside the image: ox in [oxLo, oxHi).
      const oxLo = Math.min(outWidth, dx >= 0 ? 0 : Math.ceil(-dx / strideWidth));
      const oxHi = Math.max(oxLo, Math.min(outWidth, Math.ceil((inWidth - dx) / strideWidth)));
      for (let ci = 0; ci < inChannels; ci++) {
        let o = ((kh * filterWidth + kw) * inChannels + ci) * n;
        for (let b = 0; b < batchSize; b++) {
          for (let oy = 0; oy < outHeight; oy++, o += outWidth) {
            const iy = oy * strideHeight + kh * dilationHeight - info.padInfo.top;
            cols.fill(0, o, o + outWidth);
            if (iy < 0 || iy >= inHeight) continue;
            let xi = (b * inHeight + iy) * xRow + (oxLo * strideWidth + dx) * inChannels + ci;
            for (let ox = oxLo; ox < oxHi; ox++, xi += xStep) cols[o + ox] = x[xi];
          }
        }
      }
    }
  }
}

/**
 * Adds each row of `cols` ([N, K]) back onto the patch of `dx` it came from; `dx` must start zeroed.
 * The JavaScript twin of the wasm scatter, used where that module cannot run.
 */
export function col2imAdd(cols: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  let row = 0;
  for (let b = 0; b < batchSize; b++) {
    const dxb = b * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row += k) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = oy * strideHeight + kh * dilationHeight - padTop;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = ox * strideWidth + kw * dilationWidth - padLeft;
            if (ix < 0 || ix >= inWidth) continue;
            const src = row + (kh * filterWidth + kw) * inChannels;
            const dst = dxb + (iy * inWidth + ix) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) dx[dst + ci] += cols[src + ci];
          }
        }
      }
    }
  }
}

export function maxPoolGradInto(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const channels = info.inChannels;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  dx.fill(0);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const base = b * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - padTop;
      const yMin = Math.max(0, y0);
      const yMax = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - padLeft;
        const xMin = Math.max(0, x0);
        const xMax = Math.min(inWidth, x0 + filterWidth);
        for (let c = 0; c < channels; c++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let y = yMin; y < yMax; y++) {
            let i = base + (y * inWidth + xMin) * channels + c;
            for (let xx = xMin; xx < xMax; xx++, i += channels) {
              if (x[i] > best) {
                best = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += dy[o];
        }
      }
    }
  }
}
