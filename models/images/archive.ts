import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { ImageItem } from '../../nodes/values';
import {
  checkClasses,
  ImageArchiveError,
  isIgnoredPath,
  isUnsafePath,
  labelPaths,
  type LabelledImages,
} from './labels';

export { checkClasses, ImageArchiveError, labelCounts, labelPaths, type LabelledImages } from './labels';

export interface ArchiveLimits {
  /** Largest total size of all files once unpacked, as declared by the zip. */
  maxTotalBytes: number;
  /** Largest unpacked-to-packed size ratio for any file over 1 MiB. */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 100_000,
};

const RATIO_CHECK_BYTES = 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const NOT_A_ZIP = 'This file is not a zip file, or it is damaged or was cut off during upload.';

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

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

function tooBig(detail: string): ImageArchiveError {
  return new ImageArchiveError(`The zip looks like a zip bomb or is too big to unpack: ${detail}.`);
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false };
    yauzl.open(zipPath, options, (error, zip) => (error ? reject(explainZipError(error)) : resolve(zip)));
  });
}

/** Reads the whole central directory first so size limits are enforced before anything is inflated. */
function listEntries(zip: yauzl.ZipFile, limits: ArchiveLimits): Promise<{ entries: yauzl.Entry[]; links: string[] }> {
  if (zip.entryCount > limits.maxEntries) {
    return Promise.reject(tooBig(`it holds ${zip.entryCount} files, more than the ${limits.maxEntries} allowed`));
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
        checkEntrySize(entry, total, limits);
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

function checkEntrySize(entry: yauzl.Entry, total: number, limits: ArchiveLimits): void {
  if (total > limits.maxTotalBytes) {
    throw tooBig(`its files add up to more than ${formatBytes(limits.maxTotalBytes)} once unpacked`);
  }
  const size = entry.uncompressedSize;
  if (size > RATIO_CHECK_BYTES && size / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
    throw tooBig(`"${entry.fileName}" would grow from ${entry.compressedSize} bytes to ${formatBytes(size)}`);
  }
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream: Readable) => {
      if (error) return reject(explainZipError(error, entry.fileName));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (streamError) => reject(explainZipError(streamError, entry.fileName)));
      stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    });
  });
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
export async function readImageArchive(zipPath: string, limits: Partial<ArchiveLimits> = {}): Promise<LabelledImages> {
  const effective = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const zip = await openZip(zipPath);
  try {
    const { entries, links } = await listEntries(zip, effective);
    const byName = new Map(entries.map((entry) => [entry.fileName, entry]));
    const { labelled, warnings } = labelPaths([...byName.keys()]);
    const items: ImageItem[] = [];
    for (const { path, label } of labelled) {
      items.push({ name: path, label, bytes: await readEntry(zip, byName.get(path)!) });
    }
    return checkClasses({ items, warnings: [...linkWarning(links), ...warnings] });
  } finally {
    zip.close();
  }
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
