import type { ImageItem } from './types';

/** Labelled things (photos, or just their names), plus plain-language notes about what was skipped. */
export interface LabelledSet<T extends { label: string }> {
  items: T[];
  warnings: string[];
}

/** Photos with their labels and bytes. */
export type LabelledImages = LabelledSet<ImageItem>;

/** Any problem with an uploaded image set that the user has to fix; the message is meant to be shown as is. */
export class ImageArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageArchiveError';
  }
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

const LAYOUT_HINT =
  'Put the photos in one folder per label (for example sneaker/0001.png and sandal/0001.png) and zip those folders.';

/** Files that operating systems add by themselves (macOS resource forks, .DS_Store, hidden files): never the user's photos. */
export function isIgnoredPath(path: string): boolean {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) return true;
  if (segments[0] === '__MACOSX') return true;
  return segments.some((s) => s.startsWith('.'));
}

export function isImagePath(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Absolute paths, drive letters and ".." segments (with either slash) could write or read outside the target folder. */
export function isUnsafePath(path: string): boolean {
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path)) return true;
  return path.split(/[\\/]+/).includes('..');
}

export interface LabelledPath {
  path: string;
  label: string;
}

/**
 * Drops single wrapping folders (a zip of "photos/" holding the label folders) so the label is
 * the first folder below them. A lone top folder that directly holds photos is kept, because it
 * is then most likely a label itself.
 */
function stripCommonRoot(paths: string[][]): string[][] {
  let current = paths;
  for (;;) {
    if (current.length === 0 || current.some((segments) => segments.length < 2)) return current;
    const root = current[0][0];
    if (current.some((segments) => segments[0] !== root)) return current;
    if (!current.some((segments) => segments.length >= 3)) return current;
    current = current.map((segments) => segments.slice(1));
  }
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Gives each photo path its label (first folder below the common root) and explains what was
 * skipped. Paths use "/" separators; the result is sorted by path so runs are repeatable.
 */
export function labelPaths(paths: string[]): { labelled: LabelledPath[]; warnings: string[] } {
  const kept = paths.filter((p) => !isIgnoredPath(p) && !p.endsWith('/'));
  const images = kept.filter(isImagePath).sort();
  const others = kept.filter((p) => !isImagePath(p)).sort();
  const segments = stripCommonRoot(images.map((p) => p.split('/').filter((s) => s !== '')));
  const labelled: LabelledPath[] = [];
  const atRoot: string[] = [];
  images.forEach((path, i) => {
    if (segments[i].length < 2) atRoot.push(path);
    else labelled.push({ path, label: segments[i][0] });
  });
  const warnings: string[] = [];
  if (atRoot.length > 0) {
    warnings.push(
      `${plural(atRoot.length, 'photo sits', 'photos sit')} directly in the top folder instead of a label folder, ` +
        `so ${atRoot.length === 1 ? 'it was' : 'they were'} skipped (for example "${atRoot[0]}").`,
    );
  }
  if (others.length > 0) {
    warnings.push(
      `${plural(others.length, 'file is', 'files are')} not a PNG or JPEG photo, ` +
        `so ${others.length === 1 ? 'it was' : 'they were'} skipped (for example "${others[0]}").`,
    );
  }
  return { labelled, warnings };
}

/** How many photos each label has, labels in sorted order. */
export function labelCounts(items: readonly { label: string }[]): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.label, (counts.get(item.label) ?? 0) + 1);
  return [...counts.keys()].sort().map((label) => ({ label, count: counts.get(label)! }));
}

/**
 * Leaves out labels with a single photo (nothing to learn from and test on) and refuses sets that
 * cannot train a classifier. Shared by the zip and folder readers and the zip scanner so all follow
 * the same rules; the scanner's items carry names only, hence the generic item.
 */
export function checkClasses<T extends { label: string }>(images: LabelledSet<T>): LabelledSet<T> {
  if (images.items.length === 0) {
    throw new ImageArchiveError(`No PNG or JPEG photos were found. ${LAYOUT_HINT}`);
  }
  const counts = labelCounts(images.items);
  const warnings = [...images.warnings];
  for (const { label, count } of counts) {
    if (count < 2) {
      warnings.push(
        `Class "${label}" has ${plural(count, 'image', 'images')}; at least 2 are needed to learn it and test it, so it was left out.`,
      );
    }
  }
  const keptLabels = counts.filter(({ count }) => count >= 2).map(({ label }) => label);
  if (keptLabels.length < 2) {
    const found = keptLabels.length === 1 ? `found only "${keptLabels[0]}"` : 'found none';
    throw new ImageArchiveError(
      `Image classification needs at least two labelled folders with two or more photos each, ${found}. ${LAYOUT_HINT}`,
    );
  }
  const keep = new Set(keptLabels);
  return { items: images.items.filter((item) => keep.has(item.label)), warnings };
}
