import type { PixelBlock } from './types';
import type { Matrix } from '../frame';

export interface HogOptions {
  /** Pixels per cell side. */
  cellSize: number;
  /** Orientation bins over 0–180°. */
  orientations: number;
  /** Cells per block side (2 by default). */
  blockSize?: number;
}

/** Names like hog1…hogN for feature columns. */
export function featureColumnNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}

function imageLength(block: PixelBlock): number {
  return block.height * block.width * block.channels;
}

/** Every pixel value as its own column (height × width × channels columns). */
export function pixelFeatures(block: PixelBlock): Matrix {
  const cols = imageLength(block);
  return { data: Float64Array.from(block.data.subarray(0, block.count * cols)), rows: block.count, cols };
}

/**
 * Per channel, the share of pixels falling in each of `bins` equal brightness ranges over
 * [0, maxValue]; columns are channel after channel. Shares make images of any size comparable.
 */
export function colorHistogram(block: PixelBlock, bins: number, maxValue: number): Matrix {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`Histogram bins must be a whole number of at least 1 (got ${bins}).`);
  const { count, channels } = block;
  const pixels = block.height * block.width;
  const cols = bins * channels;
  const data = new Float64Array(count * cols);
  const scale = bins / (maxValue > 0 ? maxValue : 1);
  for (let i = 0; i < count; i++) {
    const offset = i * pixels * channels;
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++) {
        const raw = Math.floor(block.data[offset + p * channels + c] * scale);
        const bin = raw >= bins ? bins - 1 : raw > 0 ? raw : 0;
        data[i * cols + c * bins + bin] += 1;
      }
    }
  }
  for (let k = 0; k < data.length; k++) data[k] /= pixels;
  return { data, rows: count, cols };
}

/**
 * Centred differences with zero at the border, as skimage's _hog_channel_gradient. For colour
 * images each pixel keeps the channel with the strongest gradient (skimage's channel_axis=-1).
 */
function gradients(image: Float32Array, height: number, width: number, channels: number, maxValue: number) {
  const gRow = new Float64Array(height * width);
  const gCol = new Float64Array(height * width);
  const value = (y: number, x: number, c: number) => image[(y * width + x) * channels + c] / maxValue;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = -1;
      for (let c = 0; c < channels; c++) {
        const r = y > 0 && y < height - 1 ? value(y + 1, x, c) - value(y - 1, x, c) : 0;
        const q = x > 0 && x < width - 1 ? value(y, x + 1, c) - value(y, x - 1, c) : 0;
        const magnitude = channels === 1 ? 0 : Math.hypot(r, q);
        if (magnitude > best) {
          best = magnitude;
          gRow[y * width + x] = r;
          gCol[y * width + x] = q;
        }
      }
    }
  }
  return { gRow, gCol };
}

/** The bin whose [start, end) range holds the angle, with the exact bounds skimage compares against. */
function orientationBin(angle: number, binWidth: number, orientations: number): number {
  let o = Math.min(orientations - 1, Math.floor(angle / binWidth));
  while (o > 0 && angle < binWidth * o) o--;
  while (o < orientations - 1 && angle >= binWidth * (o + 1)) o++;
  return angle >= binWidth * o && angle < binWidth * (o + 1) ? o : -1;
}

/**
 * Cell histograms as skimage's hog_histograms: each pixel votes its gradient magnitude into one
 * orientation bin (no interpolation), cells of `cell` px, sums kept in float32 like its Cython code.
 */
function cellHistograms(
  gRow: Float64Array,
  gCol: Float64Array,
  height: number,
  width: number,
  cell: number,
  orientations: number,
): Float64Array {
  const cellsRow = Math.floor(height / cell);
  const cellsCol = Math.floor(width / cell);
  const totals = new Float32Array(cellsRow * cellsCol * orientations);
  const binWidth = 180 / orientations;
  const toDegrees = 180 / Math.PI;
  for (let y = 0; y < cellsRow * cell; y++) {
    for (let x = 0; x < cellsCol * cell; x++) {
      const k = y * width + x;
      let angle = (Math.atan2(gRow[k], gCol[k]) * toDegrees) % 180;
      if (angle < 0) angle += 180;
      const o = orientationBin(angle, binWidth, orientations);
      if (o < 0) continue;
      const index = (Math.floor(y / cell) * cellsCol + Math.floor(x / cell)) * orientations + o;
      totals[index] += Math.hypot(gCol[k], gRow[k]);
    }
  }
  const histogram = new Float64Array(totals.length);
  for (let i = 0; i < totals.length; i++) histogram[i] = Math.fround(totals[i] / (cell * cell));
  return histogram;
}

/** L2-Hys: L2-normalise, clip at 0.2, renormalise (eps 1e-5 as skimage). */
function normaliseBlock(values: Float64Array): void {
  const eps2 = 1e-10;
  let sum = 0;
  for (const v of values) sum += v * v;
  let norm = Math.sqrt(sum + eps2);
  sum = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.min(values[i] / norm, 0.2);
    sum += values[i] * values[i];
  }
  norm = Math.sqrt(sum + eps2);
  for (let i = 0; i < values.length; i++) values[i] /= norm;
}

function hogSize(block: PixelBlock, options: HogOptions): { cellsRow: number; cellsCol: number; cols: number } {
  const { cellSize, orientations } = options;
  const blockSize = options.blockSize ?? 2;
  if (!Number.isInteger(cellSize) || cellSize < 1 || !Number.isInteger(orientations) || orientations < 1) {
    throw new Error('HOG cell size and orientations must be whole numbers of at least 1.');
  }
  const cellsRow = Math.floor(block.height / cellSize);
  const cellsCol = Math.floor(block.width / cellSize);
  if (cellsRow < blockSize || cellsCol < blockSize) {
    throw new Error(
      `HOG cells of ${cellSize} px leave fewer than ${blockSize}×${blockSize} cells on ${block.width}×${block.height} images; pick a smaller cell size or larger images.`,
    );
  }
  const blocks = (cellsRow - blockSize + 1) * (cellsCol - blockSize + 1);
  return { cellsRow, cellsCol, cols: blocks * blockSize * blockSize * orientations };
}

/**
 * Histogram of Oriented Gradients per image, equal to skimage.feature.hog(image / maxValue,
 * orientations, pixels_per_cell=(c, c), cells_per_block=(b, b), block_norm='L2-Hys'); colour
 * images follow skimage's channel_axis=-1 (strongest channel per pixel).
 */
export function hogFeatures(block: PixelBlock, options: HogOptions, maxValue: number): Matrix {
  const { cellSize, orientations } = options;
  const blockSize = options.blockSize ?? 2;
  const { cellsCol, cols } = hogSize(block, options);
  const { count, height, width, channels } = block;
  const data = new Float64Array(count * cols);
  const length = imageLength(block);
  const scale = maxValue > 0 ? maxValue : 1;
  const blockLength = blockSize * blockSize * orientations;
  const values = new Float64Array(blockLength);
  for (let i = 0; i < count; i++) {
    const image = block.data.subarray(i * length, (i + 1) * length);
    const { gRow, gCol } = gradients(image, height, width, channels, scale);
    const histogram = cellHistograms(gRow, gCol, height, width, cellSize, orientations);
    let out = i * cols;
    for (let br = 0; br + blockSize <= Math.floor(height / cellSize); br++) {
      for (let bc = 0; bc + blockSize <= cellsCol; bc++) {
        let k = 0;
        for (let r = br; r < br + blockSize; r++) {
          for (let c = bc; c < bc + blockSize; c++) {
            for (let o = 0; o < orientations; o++) values[k++] = histogram[(r * cellsCol + c) * orientations + o];
          }
        }
        normaliseBlock(values);
        data.set(values, out);
        out += blockLength;
      }
    }
  }
  return { data, rows: count, cols };
}
