import type { Matrix } from '../frame';
import type { PixelBlock } from './types';

/** Values of one image: height × width × channels. */
export const pixelCount = (block: PixelBlock) => block.height * block.width * block.channels;

/** The images at `rows`, in that order, copied into a block of their own. */
export function pixelRows(block: PixelBlock, rows: ArrayLike<number>): PixelBlock {
  const size = pixelCount(block);
  const data = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) data.set(block.data.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
  return { ...block, count: rows.length, data };
}

/** One image per row, its pixel values as columns: the input a network (or a pixel-based model) takes. */
export function pixelMatrix(block: PixelBlock): Matrix {
  return { data: Float64Array.from(block.data), rows: block.count, cols: pixelCount(block) };
}
