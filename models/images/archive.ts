import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { ImageItem } from './types';
import { formatBytes, formatCount, LIMITS } from '../limits';
import {
  checkClasses,
  ImageArchiveError,
  isIgnoredPath,
  isUnsafePath,
  labelCounts,
  labelPaths,
  type LabelledImages,
  type LabelledSet,
} from './labels';

export { checkClasses, ImageArchiveError, labelCounts, labelPaths, type LabelledImages, type LabelledSet } from './labels';

/** The zip limits of the product (LIMITS.zip); tests pass smaller ones so their zips stay small. */
export interface ArchiveLimits {
  /** Files (folders and links included) in the central directory. */
  entries: number;
  /** One file once unpacked. */
  entryBytes: number;
  /** All files once unpacked, as declared and as actually streamed. */
  totalBytes: number;
  /** Largest unpacked-to-packed ratio of one file, and of the whole zip. */
  ratio: number;
  /** Files smaller than this are left to the whole zip's ratio. */
  ratioMinBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { ...LIMITS.zip };

/** A labelled photo of a zip, named but not unpacked. */
export interface ArchivePhoto {
  name: string;
  label: string;
}

/** What a zip holds, found by unpacking every photo once without keeping any of them. */
export interface ArchiveScan extends LabelledSet<ArchivePhoto> {
  classes: { label: string; count: number }[];
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const NOT_A_ZIP = 'This file is not a zip file, or it is damaged or was cut off during upload.';

/** Turns yauzl's technical messages into ones a non-programmer can act on. */
function explainZipError(error: unknown, entryName?: string): ImageArchiveError {
  if (error instanceof ImageArchiveError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unsafe = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(message);
  if (unsafe) return leavesFolder(unsafe[1]);
  const where = entryName ? `"${entryName}"` : 'A file in the zip';
  if (/too many bytes in the stream/.test(message)) {
    return new ImageArchiveError(
      `${where} unpacks to more data than the zip says it holds, which is how zip bombs hide their size, so the zip was refused.`,
    );
  }
  if (/encrypted/.test(message)) {
    return new ImageArchiveError(`${where} is password-protected; zip the photos again without a password.`);
  }
  if (/ENOENT/.test(message)) return new ImageArchiveError('The zip file could not be found on the server.');
  if (entryName) {
    return new ImageArchiveError(`${where} in the zip is damaged and could not be unpacked (${message}).`);
  }
  return new ImageArchiveError(`${NOT_A_ZIP} (${message})`);
}

function leavesFolder(path: string): ImageArchiveError {
  return new ImageArchiveError(
    `A file in the zip tries to leave the folder (${path}), so the zip was refused for safety.`,
  );
}

/** Real photos are already compressed: a zip packs them at most a few times smaller, never hundreds. */
function bombRefusal(what: string, unpacked: number, packed: number, limit: number): ImageArchiveError {
  const ratio = formatCount(Math.round(unpacked / Math.max(packed, 1)));
  return new ImageArchiveError(
    `${what} compressed ${ratio} times (${formatBytes(unpacked)} packed into ${formatBytes(packed)}), ` +
      `far more than photos can be (at most ${formatCount(limit)} times), so the zip looks like a zip bomb and was refused.`,
  );
}

function totalRefusal(total: number, limit: number): ImageArchiveError {
  return new ImageArchiveError(`This zip would unpack to ${formatBytes(total)}; the limit is ${formatBytes(limit)}.`);
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false };
    yauzl.open(zipPath, options, (error, zip) => (error ? reject(explainZipError(error)) : resolve(zip)));
  });
}

interface ZipListing {
  entries: yauzl.Entry[];
  links: string[];
}

/**
 * Reads the whole central directory and applies every size limit to the declared sizes, so a bomb is
 * refused before a single byte of it is inflated.
 */
function listEntries(zip: yauzl.ZipFile, limits: ArchiveLimits): Promise<ZipListing> {
  if (zip.entryCount > limits.entries) {
    return Promise.reject(
      new ImageArchiveError(`This zip holds ${formatCount(zip.entryCount)} files; the limit is ${formatCount(limits.entries)}.`),
    );
  }
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    const links: string[] = [];
    let total = 0;
    const fail = (error: unknown) => {
      zip.removeAllListeners('entry');
      reject(explainZipError(error));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve({ entries, links }));
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = entry.fileName;
        if (isUnsafePath(name)) throw leavesFolder(name);
        total += entry.uncompressedSize;
        checkDeclaredSize(entry, total, zip.fileSize, limits);
        if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) links.push(name);
        else if (!name.endsWith('/')) entries.push(entry);
        zip.readEntry();
      } catch (error) {
        fail(error);
      }
    });
    zip.readEntry();
  });
}

/**
 * `total` is the declared size of this entry and all before it. It only grows, so the whole zip's
 * ratio is checked as it goes: a zip of many small, very compressible files fails on the first entry
 * that takes it over, not after its whole directory has been read.
 */
function checkDeclaredSize(entry: yauzl.Entry, total: number, zipSize: number, limits: ArchiveLimits): void {
  const size = entry.uncompressedSize;
  if (size > limits.entryBytes) {
    throw new ImageArchiveError(
      `"${entry.fileName}" would unpack to ${formatBytes(size)}; the limit for one file is ${formatBytes(limits.entryBytes)}.`,
    );
  }
  if (total > limits.totalBytes) throw totalRefusal(total, limits.totalBytes);
  if (size >= limits.ratioMinBytes && size > limits.ratio * entry.compressedSize) {
    throw bombRefusal(`"${entry.fileName}" is`, size, entry.compressedSize, limits.ratio);
  }
  if (total > limits.ratio * zipSize) throw bombRefusal('The files in this zip are', total, zipSize, limits.ratio);
}

/** Bytes the zip may still unpack: yauzl holds each entry to its declared size, this holds the whole zip to the limit. */
interface UnpackBudget {
  left: number;
  limit: number;
}

/** Streams one entry through yauzl (which checks its size and that it inflates cleanly), handing each chunk on. */
function streamEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: UnpackBudget, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream: Readable) => {
      if (error) return reject(explainZipError(error, entry.fileName));
      const stop = (reason: unknown) => {
        stream.removeAllListeners('data');
        stream.destroy();
        reject(explainZipError(reason, entry.fileName));
      };
      stream.on('data', (chunk: Buffer) => {
        budget.left -= chunk.length;
        if (budget.left < 0) {
          return stop(new ImageArchiveError(`This zip unpacks to more than it declares; the limit is ${formatBytes(budget.limit)}.`));
        }
        onChunk(chunk);
      });
      stream.on('error', stop);
      stream.on('end', () => resolve());
    });
  });
}

/**
 * Opens, checks and labels a zip, then streams every labelled photo through `unpack` one at a time.
 * The zip reader and the scanner share it so both refuse exactly the same zips.
 */
async function unpackPhotos<T extends { label: string }>(
  zipPath: string,
  overrides: Partial<ArchiveLimits>,
  unpack: (photo: ArchivePhoto, stream: (onChunk: (chunk: Buffer) => void) => Promise<void>) => Promise<T>,
): Promise<LabelledSet<T>> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...overrides };
  const zip = await openZip(zipPath);
  try {
    const { entries, links } = await listEntries(zip, limits);
    const byName = new Map(entries.map((entry) => [entry.fileName, entry]));
    const { labelled, warnings } = labelPaths([...byName.keys()]);
    const budget: UnpackBudget = { left: limits.totalBytes, limit: limits.totalBytes };
    const items: T[] = [];
    for (const { path, label } of labelled) {
      const entry = byName.get(path)!;
      items.push(await unpack({ name: path, label }, (onChunk) => streamEntry(zip, entry, budget, onChunk)));
    }
    return checkClasses({ items, warnings: [...linkWarning(links), ...warnings] });
  } finally {
    zip.close();
  }
}

function linkWarning(links: string[]): string[] {
  if (links.length === 0) return [];
  const count = links.length === 1 ? '1 shortcut (symbolic link) was' : `${links.length} shortcuts (symbolic links) were`;
  return [`${count} skipped for safety (for example "${links[0]}").`];
}

/**
 * Reads a zip of labelled photos (one folder per label) into memory without extracting anything
 * to disk. Throws ImageArchiveError for unsafe, oversized or unusable zips.
 */
export function readImageArchive(zipPath: string, limits: Partial<ArchiveLimits> = {}): Promise<LabelledImages> {
  return unpackPhotos(zipPath, limits, async (photo, stream) => {
    const chunks: Buffer[] = [];
    await stream((chunk) => chunks.push(chunk));
    return { ...photo, bytes: new Uint8Array(Buffer.concat(chunks)) };
  });
}

/**
 * Checks a zip exactly as readImageArchive does (same limits, labels and warnings, every photo
 * unpacked so damaged or lying entries are caught) but drops each chunk as it comes, so describing an
 * upload needs memory for the names only, whatever the photos weigh.
 */
export async function scanImageArchive(zipPath: string, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveScan> {
  const { items, warnings } = await unpackPhotos(zipPath, limits, async (photo, stream) => {
    await stream(() => {});
    return photo;
  });
  return { items, classes: labelCounts(items), warnings };
}

/** Lists files below `dir` as "/"-separated relative paths; symbolic links are reported, never followed. */
async function listFolder(dir: string, prefix: string, files: string[], links: string[]): Promise<void> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (isIgnoredPath(relative)) continue;
    if (entry.isSymbolicLink()) links.push(relative);
    else if (entry.isDirectory()) await listFolder(dir, relative, files, links);
    else if (entry.isFile()) files.push(relative);
  }
}

/** Reads a server-side folder of labelled photos with the same rules as readImageArchive. */
export async function readImageFolder(dir: string): Promise<LabelledImages> {
  const stats = await lstat(dir).catch(() => null);
  if (!stats || !stats.isDirectory()) {
    throw new ImageArchiveError(`The image folder "${dir}" could not be found.`);
  }
  const files: string[] = [];
  const links: string[] = [];
  await listFolder(dir, '', files, links);
  const { labelled, warnings } = labelPaths(files);
  const items: ImageItem[] = [];
  for (const { path, label } of labelled) {
    const bytes = await readFile(join(dir, path));
    items.push({ name: path, label, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  }
  return checkClasses({ items, warnings: [...linkWarning(links), ...warnings] });
}
