import type { AugmentationSpec } from './types';

export { seededRandom } from '../split';

interface Warp {
  flip: boolean;
  cos: number;
  sin: number;
  /** Shift in pixels; positive moves the content right / down. */
  dx: number;
  dy: number;
}

/** Only the enabled changes consume random numbers, so turning one off does not reshuffle the others. */
function drawWarp(spec: AugmentationSpec, random: () => number, height: number, width: number): Warp | null {
  const flip = spec.flip ? random() < 0.5 : false;
  const degrees = spec.rotation > 0 ? (2 * random() - 1) * spec.rotation : 0;
  const dx = spec.shift > 0 ? (2 * random() - 1) * spec.shift * width : 0;
  const dy = spec.shift > 0 ? (2 * random() - 1) * spec.shift * height : 0;
  if (!flip && degrees === 0 && dx === 0 && dy === 0) return null;
  const radians = (degrees * Math.PI) / 180;
  return { flip, cos: Math.cos(radians), sin: Math.sin(radians), dx, dy };
}

/**
 * Resamples one HWC image through the inverse of flip → rotate about the centre → shift, with
 * bilinear interpolation. Samples falling outside repeat the nearest border pixel, which avoids
 * the black wedges a zero fill would teach the network to look for.
 */
function warpImage(
  source: Float32Array,
  target: Float32Array,
  height: number,
  width: number,
  channels: number,
  warp: Warp,
): void {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x - cx - warp.dx;
      const v = y - cy - warp.dy;
      let sx = warp.cos * u + warp.sin * v + cx;
      const sy = Math.min(height - 1, Math.max(0, -warp.sin * u + warp.cos * v + cy));
      if (warp.flip) sx = width - 1 - sx;
      sx = Math.min(width - 1, Math.max(0, sx));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const out = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const top = source[(y0 * width + x0) * channels + c] * (1 - fx) + source[(y0 * width + x1) * channels + c] * fx;
        const bottom = source[(y1 * width + x0) * channels + c] * (1 - fx) + source[(y1 * width + x1) * channels + c] * fx;
        target[out + c] = fy === 0 ? top : top * (1 - fy) + bottom * fy;
      }
    }
  }
}

/**
 * Applies random training-time changes to a batch of HWC images in place: a horizontal flip
 * (half the time), a rotation and a shift (one resampling), then a brightness change, clamped to
 * [0, maxValue]. Images never change places, so labels stay aligned with their rows.
 */
export function augmentBatch(
  data: Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  spec: AugmentationSpec,
  random: () => number,
  maxValue: number,
): void {
  const length = height * width * channels;
  if (data.length < count * length) {
    throw new Error(`The batch holds ${data.length} values, fewer than ${count} images of ${height}×${width}×${channels}.`);
  }
  const scratch = new Float32Array(length);
  for (let i = 0; i < count; i++) {
    const image = data.subarray(i * length, (i + 1) * length);
    const warp = drawWarp(spec, random, height, width);
    if (warp) {
      scratch.set(image);
      warpImage(scratch, image, height, width, channels, warp);
    }
    if (spec.brightness > 0) {
      const delta = (2 * random() - 1) * spec.brightness * maxValue;
      for (let j = 0; j < length; j++) image[j] = Math.min(maxValue, Math.max(0, image[j] + delta));
    }
  }
}
