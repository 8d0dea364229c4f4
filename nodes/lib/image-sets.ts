import { fileToPngDataUrl, pixelsToPngDataUrl } from '../../models/images/decode';
import { pixelCount, pixelMatrix, pixelRows } from '../../models/images/pixels';
import { NodeInputError } from '../define';
import type { Thumbnail } from '../preview';
import type { ImageSetValue, PixelBlock } from '../values';

export function isImageSet(value: unknown): value is ImageSetValue {
  return typeof value === 'object' && value !== null && 'items' in value && 'classes' in value;
}

/** The set's pixels, or a plain error saying why there are none yet. */
export function requirePixels(set: ImageSetValue, step: string): PixelBlock {
  if (set.pixels) return set.pixels;
  throw new NodeInputError(
    `${step} needs photos of one size, but these have ${set.mixed ?? 'different sizes'}. Add a Prepare images step before it to resize them to one size.`,
  );
}

export { pixelCount, pixelMatrix };

/** The images at `rows`, in that order. */
export function subsetImageSet(set: ImageSetValue, rows: ArrayLike<number>): ImageSetValue {
  return { ...set, items: Array.from(rows, (row) => set.items[row]), pixels: set.pixels && pixelRows(set.pixels, rows) };
}

/** Largest pixel value: 1 once scaled to 0–1, else 255. */
export const maxPixelValue = (set: ImageSetValue) => (set.preparation && set.preparation.scale ? 1 : 255);

/** Thumbnails are drawn this many pixels wide, whatever the photos' size, to keep results small. */
const THUMBNAIL_SIZE = 56;

/** Up to `perClass` thumbnails of each class: from the decoded pixels, else from the files. */
export async function thumbnailsOf(set: ImageSetValue, perClass: number): Promise<Thumbnail[]> {
  const thumbnails: Thumbnail[] = [];
  for (const label of set.classes) {
    const rows = set.items.flatMap((item, row) => (item.label === label ? [row] : [])).slice(0, perClass);
    for (const row of rows) {
      const src = set.pixels ? await imageDataUrl(set.pixels, row, maxPixelValue(set)) : await fileToPngDataUrl(set.items[row].bytes, THUMBNAIL_SIZE);
      thumbnails.push({ src, label, name: set.items[row].name });
    }
  }
  return thumbnails;
}

export function imageDataUrl(block: PixelBlock, row: number, maxValue: number): Promise<string> {
  const size = pixelCount(block);
  const pixels = block.data.subarray(row * size, (row + 1) * size);
  return pixelsToPngDataUrl(pixels, block.width, block.height, block.channels, maxValue, THUMBNAIL_SIZE);
}

export function describeSize(block: PixelBlock): string {
  return `${block.width}×${block.height} ${block.channels === 1 ? 'grayscale' : 'colour'}`;
}
