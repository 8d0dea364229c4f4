import type { PixelBlock } from '../images/types';

export interface OcclusionOptions {
  /** Positions of the patch per side: grid × grid greyed copies are scored. */
  grid: number;
  /** The grey the patch is painted with (the middle of the pixel range). */
  grey: number;
  /** Class whose probability is watched. */
  label: number;
}

/**
 * Occlusion sensitivity (Zeiler & Fergus): slide a grey square over the photo and measure how much
 * the probability of the label drops with each part hidden. The square is twice the stride wide, so
 * neighbouring positions overlap and a small detail is not cut in half by the grid. One batch of
 * grid² + 1 photos goes to `probabilities` (rows × classes, as predictProba answers).
 */
export async function occlusionMap(
  photo: PixelBlock,
  probabilities: (batch: PixelBlock) => Float64Array | Promise<Float64Array>,
  options: OcclusionOptions,
): Promise<{ base: number; drops: number[] }> {
  const { height, width, channels } = photo;
  const size = height * width * channels;
  const { grid } = options;
  if (photo.count !== 1) throw new Error(`An occlusion map is drawn for one photo at a time (got ${photo.count}).`);
  if (!Number.isInteger(grid) || grid < 1) throw new Error(`The occlusion grid must be a whole number of at least 1 (got ${grid}).`);
  const patchHeight = Math.max(1, Math.ceil((2 * height) / (grid + 1)));
  const patchWidth = Math.max(1, Math.ceil((2 * width) / (grid + 1)));
  const data = new Float32Array((grid * grid + 1) * size);
  data.set(photo.data.subarray(0, size), 0);
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const offset = (gy * grid + gx + 1) * size;
      data.set(photo.data.subarray(0, size), offset);
      const top = grid === 1 ? 0 : Math.round((gy * (height - patchHeight)) / (grid - 1));
      const left = grid === 1 ? 0 : Math.round((gx * (width - patchWidth)) / (grid - 1));
      for (let y = top; y < Math.min(height, top + patchHeight); y++) {
        for (let x = left; x < Math.min(width, left + patchWidth); x++) {
          data.fill(options.grey, offset + (y * width + x) * channels, offset + (y * width + x + 1) * channels);
        }
      }
    }
  }
  const proba = await probabilities({ count: grid * grid + 1, height, width, channels, data });
  const K = proba.length / (grid * grid + 1);
  const base = proba[options.label];
  const drops = Array.from({ length: grid * grid }, (_, cell) => base - proba[(cell + 1) * K + options.label]);
  return { base, drops };
}
