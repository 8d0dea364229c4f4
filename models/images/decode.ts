import type Sharp from 'sharp';
import type { ImageItem, ImagePreparation, PixelBlock } from './types';

let sharpLibrary: typeof Sharp | null = null;

/**
 * sharp and its native image library (~20 MB of resident memory) are loaded with the first photo, so runs of
 * tables never load them: every exported function awaits this before it decodes or encodes.
 */
async function loadSharp(): Promise<void> {
  if (sharpLibrary) return;
  const library = (await import('sharp')).default;
  // Each photo is decoded once, so libvips' operation cache only grows memory.
  library.cache(false);
  sharpLibrary = library;
}

function sharp(input: Uint8Array, options: Sharp.SharpOptions): Sharp.Sharp {
  if (!sharpLibrary) throw new Error('sharp was used before it was loaded (a Pipelab bug).');
  return sharpLibrary(input, options);
}

export interface DecodedImage {
  /** Position of the photo in the list given to decodeImages. */
  index: number;
  width: number;
  height: number;
  channels: 1 | 3;
  /** height × width × channels bytes, row after row. */
  pixels: Uint8Array;
}

export interface FailedImage {
  name: string;
  reason: string;
}

export interface DecodeOptions {
  /** Photos decoded at the same time; each uses libvips worker threads, so a few is enough. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;
const WHITE = { r: 255, g: 255, b: 255 };
const GREY_SPACES = new Set(['b-w', 'grey16']);

/**
 * Real-world camera files often carry harmless format warnings; only outright errors
 * should reject a photo. EXIF rotation is applied so pixels match what viewers show.
 */
function open(bytes: Uint8Array): Sharp.Sharp {
  return sharp(bytes, { failOn: 'error' }).rotate();
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) return 'not a PNG or JPEG image';
  return `could not be read as an image (${message})`;
}

/** Runs `work` over 0..count-1 with at most `limit` calls in flight; results keep their index. */
async function forEachLimited(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}

async function decodeOne(bytes: Uint8Array): Promise<Omit<DecodedImage, 'index'>> {
  const image = open(bytes);
  const meta = await image.metadata();
  const grey = GREY_SPACES.has(meta.space ?? '');
  const { data, info } = await image
    .flatten({ background: WHITE })
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const channels = grey ? 1 : 3;
  if (info.channels !== channels) throw new Error(`unexpected ${info.channels} colour channels`);
  return { width: info.width, height: info.height, channels, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * Decodes photos at their own size: grayscale files stay one channel, everything else becomes RGB,
 * and transparency is flattened onto white. Unreadable files are listed in `failed`, never thrown.
 */
export async function decodeImages(
  items: ImageItem[],
  options: DecodeOptions = {},
): Promise<{ decoded: DecodedImage[]; failed: FailedImage[] }> {
  await loadSharp();
  const results: (DecodedImage | FailedImage)[] = new Array(items.length);
  await forEachLimited(items.length, options.concurrency ?? DEFAULT_CONCURRENCY, async (index) => {
    try {
      results[index] = { index, ...(await decodeOne(items[index].bytes)) };
    } catch (error) {
      results[index] = { name: items[index].name, reason: reasonOf(error) };
    }
  });
  const decoded = results.filter((r): r is DecodedImage => 'pixels' in r);
  const failed = results.filter((r): r is FailedImage => 'reason' in r);
  return { decoded, failed };
}

/** What a photo file's header says, read without decoding its pixels (to refuse oversized pictures first). */
export interface ImageHeader {
  format: string;
  width: number;
  height: number;
}

/**
 * The format and size a photo file declares in its header; libvips parses only the header here. A file
 * it cannot recognise throws, with the same plain reason decodeImages gives.
 */
export async function readImageHeader(bytes: Uint8Array): Promise<ImageHeader> {
  await loadSharp();
  try {
    // No pixel limit of libvips' own here: the caller compares the declared size with its limit and says which.
    const meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
    return { format: meta.format ?? 'unknown', width: meta.width ?? 0, height: meta.height ?? 0 };
  } catch (error) {
    throw new Error(reasonOf(error));
  }
}

/** One libvips pipeline per photo; libvips runs its steps in a fixed order (colour, resize, then filters). */
function preparePipeline(bytes: Uint8Array, prep: ImagePreparation): Sharp.Sharp {
  let image = open(bytes)
    .resize(prep.size, prep.size, { fit: 'fill' })
    .flatten({ background: WHITE })
    .toColourspace(prep.color === 'grayscale' ? 'b-w' : 'srgb');
  if (prep.denoise === 'median') image = image.median(3);
  if (prep.denoise === 'gaussian') image = image.blur(0.8);
  return image.raw();
}

/**
 * Decodes, resizes (stretching to a square, like Keras' directory loader), converts colour and
 * denoises every photo into one PixelBlock. `kept` lists the item indices that made it into the
 * block, in block order.
 */
export async function prepareImages(
  items: ImageItem[],
  prep: ImagePreparation,
  options: DecodeOptions = {},
): Promise<{ block: PixelBlock; kept: number[]; failed: FailedImage[] }> {
  await loadSharp();
  if (!Number.isInteger(prep.size) || prep.size < 1 || prep.size > 1024) {
    throw new Error(`Image size must be a whole number of pixels between 1 and 1024 (got ${prep.size}).`);
  }
  const channels = prep.color === 'grayscale' ? 1 : 3;
  const length = prep.size * prep.size * channels;
  const outputs: (Uint8Array | FailedImage)[] = new Array(items.length);
  await forEachLimited(items.length, options.concurrency ?? DEFAULT_CONCURRENCY, async (index) => {
    try {
      const { data, info } = await preparePipeline(items[index].bytes, prep).toBuffer({ resolveWithObject: true });
      if (info.channels !== channels || data.length !== length) throw new Error('unexpected pixel layout');
      outputs[index] = data;
    } catch (error) {
      outputs[index] = { name: items[index].name, reason: reasonOf(error) };
    }
  });
  const kept: number[] = [];
  const failed: FailedImage[] = [];
  outputs.forEach((output, index) => (output instanceof Uint8Array ? kept.push(index) : failed.push(output)));
  const data = new Float32Array(kept.length * length);
  const factor = prep.scale ? 1 / 255 : 1;
  kept.forEach((index, row) => {
    const bytes = outputs[index] as Uint8Array;
    const offset = row * length;
    for (let i = 0; i < length; i++) data[offset + i] = bytes[i] * factor;
  });
  return { block: { count: kept.length, height: prep.size, width: prep.size, channels, data }, kept, failed };
}

/** One image of a block, as a view (no copy). */
export function pixelBlockImage(block: PixelBlock, index: number): Float32Array {
  const length = block.height * block.width * block.channels;
  return block.data.subarray(index * length, (index + 1) * length);
}

/**
 * Encodes pixels (0..maxValue, HWC) as a PNG data URL for previews. With `displaySize`, the longer
 * side is enlarged to that many pixels with nearest-neighbour so small images stay crisp.
 */
export async function pixelsToPngDataUrl(
  pixels: Float32Array | Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
  maxValue: number,
  displaySize?: number,
): Promise<string> {
  await loadSharp();
  const bytes = Buffer.alloc(width * height * channels);
  const factor = 255 / (maxValue > 0 ? maxValue : 1);
  for (let i = 0; i < bytes.length; i++) {
    const value = Math.round(pixels[i] * factor);
    bytes[i] = Number.isNaN(value) ? 0 : Math.min(255, Math.max(0, value));
  }
  let image = sharp(bytes, { raw: { width, height, channels } });
  if (displaySize && displaySize !== Math.max(width, height)) {
    const scale = displaySize / Math.max(width, height);
    const target = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
    // Nearest-neighbour keeps enlarged small images crisp; shrinking a large one needs a smoothing filter.
    image = image.resize(target.width, target.height, { kernel: scale > 1 ? 'nearest' : 'lanczos3', fit: 'fill' });
  }
  // Without an explicit colour space libvips writes one-channel input as an RGB PNG.
  const png = await image.toColourspace(channels === 1 ? 'b-w' : 'srgb').png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** A thumbnail straight from a photo file, its longer side `displaySize` pixels (for photos not yet decoded to one size). */
export async function fileToPngDataUrl(bytes: Uint8Array, displaySize: number): Promise<string> {
  await loadSharp();
  const png = await sharp(bytes, { failOn: 'error' }).rotate().resize(displaySize, displaySize, { fit: 'inside' }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
