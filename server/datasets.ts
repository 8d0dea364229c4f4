import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ArtifactRef, ArtifactStore, DatasetResolver } from '../nodes/define';
import { scanImageArchive } from '../models/images/archive';
import { columnsFileFor, openColumnsFile, parseAndKeepColumns } from '../nodes/lib/columns-file';
import { storedColumnSummaries } from '../nodes/lib/stored-table';
import { summarizeColumns } from '../nodes/lib/summarize';
import { noTargetReason } from '../nodes/lib/target-column';
import { CsvError } from '../nodes/lib/csv';
import type { Db } from '../db/client';
import type { ImageArchiveInfo } from './api-types';
import { getDataset, listDatasets, upsertDataset, type DatasetRow } from '../db/datasets';
import { grantedHashes } from '../db/workspaces';
import { ServiceError } from './errors';
import { artifactsRoot } from '../nodes/lib/paths';

function uploadsDir(): string {
  return path.join(/* turbopackIgnore: true */ artifactsRoot(), 'uploads');
}

/** Uploaded files live on disk under their content hash; the hash is what a pipeline refers to. */
export const storedDatasets: DatasetResolver = {
  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`"${hash}" is not a dataset reference.`);
    const file = [`${hash}.csv`, `${hash}.zip`].map((name) => path.join(uploadsDir(), name)).find((candidate) => fs.existsSync(candidate));
    if (!file) throw new Error('The uploaded file for this node is no longer stored; upload it again.');
    return file;
  },
};

/** What a zip of photos holds, checked as an upload is, without keeping the photos. */
export async function describeImageArchive(file: string): Promise<Omit<ImageArchiveInfo, 'hash' | 'name' | 'sizeBytes'>> {
  const { items, classes, warnings } = await scanImageArchive(file);
  return { count: items.length, classes, warnings };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Stores bytes under `dir/<sha256><extension>` unless that file is there already, and returns the hash.
 * Written then renamed, so a crash never leaves half a file under a valid hash. `hash`: when the caller has
 * already computed it.
 */
function keepByHash(dir: string, extension: string, bytes: Uint8Array, hash = sha256(bytes)): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${hash}${extension}`);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(`${file}.part`, bytes);
    fs.renameSync(`${file}.part`, file);
  }
  return hash;
}

/** Like keepByHash for text written a piece at a time (a scored list of a million rows): hashed as it is written. */
function keepPiecesByHash(dir: string, fileName: string, pieces: Iterable<string>): ArtifactRef {
  fs.mkdirSync(dir, { recursive: true });
  const part = path.join(dir, `incoming-${randomUUID()}.part`);
  const hasher = createHash('sha256');
  const fd = fs.openSync(part, 'w');
  let sizeBytes = 0;
  try {
    for (const piece of pieces) {
      const bytes = Buffer.from(piece, 'utf8');
      hasher.update(bytes);
      fs.writeSync(fd, bytes);
      sizeBytes += bytes.byteLength;
    }
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(part, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  const hash = hasher.digest('hex');
  const file = path.join(dir, hash);
  if (fs.existsSync(file)) fs.rmSync(part);
  else fs.renameSync(part, file);
  return { hash, fileName, sizeBytes };
}

/**
 * Where a handed-in file of each kind is kept, under its content hash. A table is kept as `<hash>.csv`
 * whether it is a CSV or a Parquet file: readers tell the two apart by content, and pipelines saved before
 * Parquet was read keep finding their files.
 */
export function storedPathFor(kind: 'dataset' | 'imageArchive' | 'model', hash: string): string {
  if (kind === 'model') return path.join(artifactsDir(), hash);
  return path.join(uploadsDir(), `${hash}${kind === 'dataset' ? '.csv' : '.zip'}`);
}

/** Where uploads are received before they are checked: inside the data directory, so a rename keeps them. */
export function incomingDir(): string {
  return path.join(uploadsDir(), 'incoming');
}

/** Keeps a zip of photos under its content hash, without checking it (the Photos step checks it when it reads it). */
export function keepImageArchive(bytes: Uint8Array): string {
  return keepByHash(uploadsDir(), '.zip', bytes);
}

/**
 * Checks a zip of labelled photos (safe paths, no bomb, at least two labels), then stores it. The zip is
 * read in place, never unpacked; one that fails the checks throws ImageArchiveError and nothing is kept.
 */
export async function storeImageArchive(name: string, bytes: Uint8Array): Promise<ImageArchiveInfo> {
  const hash = sha256(bytes);
  fs.mkdirSync(uploadsDir(), { recursive: true });
  const file = path.join(uploadsDir(), `${hash}.zip`);
  const part = `${file}.${process.pid}.part`;
  fs.writeFileSync(part, bytes);
  try {
    const info = await describeImageArchive(part);
    fs.renameSync(part, file);
    return { hash, name, sizeBytes: bytes.byteLength, ...info };
  } finally {
    fs.rmSync(part, { force: true });
  }
}

/** What an uploaded CSV holds, as its dataset row records it. */
export type DatasetFacts = Pick<DatasetRow, 'rowCount' | 'delimiter' | 'hasHeader' | 'columns' | 'warnings'>;

/**
 * Reads and checks a table file (CSV or Parquet; its bytes, or its path on disk) that will be stored under
 * `hash`, keeping its parsed columns beside it so runs never parse it again (the same content uploaded twice
 * is not parsed twice either). A file that cannot be read throws CsvError and nothing is kept.
 */
export async function describeTable(source: Uint8Array | string, name: string, hash: string): Promise<DatasetFacts> {
  const columnsFile = columnsFileFor(storedPathFor('dataset', hash));
  fs.mkdirSync(path.dirname(columnsFile), { recursive: true });
  const kept = keptTableFacts(columnsFile);
  if (kept) return kept;
  let columns: DatasetFacts['columns'] = [];
  // Summarised while other threads write the columns file.
  const { frame, delimiter, hasHeader, warnings } = await parseAndKeepColumns(source, name, columnsFile, (table) => (columns = summarizeColumns(table.frame)));
  return { rowCount: frame.rowCount, delimiter, hasHeader, columns, warnings };
}

/** The facts of a table already kept as a columns file, read a column at a time (never the whole table); null when there is none. */
function keptTableFacts(columnsFile: string): DatasetFacts | null {
  const layout = openColumnsFile(columnsFile);
  if (!layout) return null;
  return { rowCount: layout.rowCount, delimiter: layout.delimiter, hasHeader: layout.hasHeader, columns: storedColumnSummaries(layout), warnings: layout.warnings };
}

/**
 * Checks a table file (CSV or Parquet) a person uploads to start a pipeline: readable, and with a column a model could learn to
 * predict. A file without one throws CsvError saying why, and its parsed columns are not kept.
 */
export async function describeUploadedTable(source: Uint8Array | string, name: string, hash: string): Promise<DatasetFacts> {
  const facts = await describeTable(source, name, hash);
  const reason = noTargetReason(facts.columns, facts.rowCount);
  if (!reason) return facts;
  if (!fs.existsSync(storedPathFor('dataset', hash))) fs.rmSync(columnsFileFor(storedPathFor('dataset', hash)), { force: true });
  throw new CsvError(reason);
}

/**
 * Reads and checks a table file (CSV or Parquet), then stores it. A file that cannot be read throws CsvError and nothing is stored.
 */
export async function storeDataset(db: Db, name: string, bytes: Uint8Array): Promise<DatasetRow> {
  // Hashed once: a large export takes a noticeable time to hash.
  const hash = sha256(bytes);
  const facts = await describeTable(bytes, name, hash);
  keepByHash(uploadsDir(), '.csv', bytes, hash);
  const row: DatasetRow = { hash, name, sizeBytes: bytes.byteLength, ...facts, createdAt: Date.now() };
  await upsertDataset(db, row);
  return row;
}

/**
 * storeDataset for a file on disk (the command line's `--input`), without holding it in memory: it is copied
 * into the uploads directory, the copy hashed a piece at a time, then parsed (see csv-file.ts) and kept under
 * its hash. The copy is what was hashed and parsed, whatever happens to the original meanwhile.
 */
export async function storeDatasetFile(db: Db, name: string, file: string): Promise<DatasetRow> {
  const { part, hash, sizeBytes } = copyThenHash(file, uploadsDir());
  try {
    // A file already stored with its columns kept is recognised by its hash: its facts are read a column at a time, nothing is parsed.
    const facts = await describeTable(part, name, hash);
    const kept = storedPathFor('dataset', hash);
    if (fs.existsSync(kept)) fs.rmSync(part);
    else fs.renameSync(part, kept);
    const row: DatasetRow = { hash, name, sizeBytes, ...facts, createdAt: Date.now() };
    await upsertDataset(db, row);
    return row;
  } finally {
    fs.rmSync(part, { force: true });
  }
}

/**
 * Copies a file into `dir` under a temporary name, then hashes the copy, a piece at a time through one
 * buffer. The copy of a regular file is the kernel's (a clone where the file system can share the blocks):
 * measured on a 308 MB CSV on ext4, 0.1 s of CPU, against 0.8 s for writing the pieces read to hash. A pipe
 * (`--input data=<(…)`) has no size to copy by, so it is copied as it is read.
 */
function copyThenHash(file: string, dir: string): { part: string; hash: string; sizeBytes: number } {
  if (!fs.statSync(file).isFile()) return copyHashing(file, dir);
  fs.mkdirSync(dir, { recursive: true });
  const part = path.join(dir, `${randomUUID()}.part`);
  try {
    fs.copyFileSync(file, part, fs.constants.COPYFILE_FICLONE);
    return { part, ...hashFile(part) };
  } catch (error) {
    fs.rmSync(part, { force: true });
    throw error;
  }
}

/** Copies a file into `dir` under a temporary name, hashing it on the way, a piece at a time through one buffer. */
function copyHashing(file: string, dir: string): { part: string; hash: string; sizeBytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const part = path.join(dir, `${randomUUID()}.part`);
  let output: number | null = null;
  try {
    output = fs.openSync(part, 'w');
    const copy = output;
    const hashed = hashFile(file, (piece) => {
      for (let written = 0; written < piece.length; ) written += fs.writeSync(copy, piece, written);
    });
    fs.closeSync(output);
    return { part, ...hashed };
  } catch (error) {
    if (output !== null) fs.closeSync(output);
    fs.rmSync(part, { force: true });
    throw error;
  }
}

/** The SHA-256 and size of a file, read a piece at a time through one buffer; each piece is also handed to `eachPiece`. */
function hashFile(file: string, eachPiece?: (piece: Buffer) => void): { hash: string; sizeBytes: number } {
  const hasher = createHash('sha256');
  const buffer = Buffer.allocUnsafeSlow(8 * 1024 * 1024);
  const fd = fs.openSync(file, 'r');
  let sizeBytes = 0;
  try {
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) {
      const piece = buffer.subarray(0, read);
      hasher.update(piece);
      eachPiece?.(piece);
      sizeBytes += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { hash: hasher.digest('hex'), sizeBytes };
}

/** The uploaded tables a workspace may read: those uploaded to it or made by its runs. */
export async function workspaceDatasets(db: Db, workspaceId: string): Promise<DatasetRow[]> {
  const granted = await grantedHashes(db, workspaceId);
  return (await listDatasets(db)).filter((dataset) => granted.has(dataset.hash));
}

/** One stored table's facts; whether the caller may read it is the caller's check (requireFileIn). */
export async function storedDataset(db: Db, hash: string): Promise<DatasetRow> {
  const dataset = await getDataset(db, hash);
  if (!dataset) throw new ServiceError('NOT_FOUND', 'This file was not found.');
  return dataset;
}

function artifactsDir(): string {
  return path.join(/* turbopackIgnore: true */ artifactsRoot(), 'artifacts');
}

/** Files nodes produce (scored lists, trained models): content-addressed, so a re-run writes nothing new. */
export const storedArtifacts: ArtifactStore = {
  write(fileName: string, content: Uint8Array | string | Iterable<string>): ArtifactRef {
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) return keepPiecesByHash(artifactsDir(), fileName, content);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const hash = keepByHash(artifactsDir(), '', bytes);
    return { hash, fileName, sizeBytes: bytes.byteLength };
  },
  read(hash: string): Uint8Array {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`"${hash}" is not a file reference.`);
    const file = path.join(artifactsDir(), hash);
    if (!fs.existsSync(file)) throw new Error('This file is no longer stored; run the pipeline again to recreate it.');
    return fs.readFileSync(file);
  },
};

/** Where nodes read uploads from and write downloads to. */
export const storedFiles = { datasets: storedDatasets, artifacts: storedArtifacts };

/** The content hashes of every stored upload and produced file (for moving a pre-accounts database into its first workspace). */
export function storedFileHashes(): string[] {
  const hashes: string[] = [];
  for (const dir of [uploadsDir(), artifactsDir()]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const match = /^([0-9a-f]{64})(\.csv|\.zip)?$/.exec(name);
      if (match) hashes.push(match[1]);
    }
  }
  return hashes;
}
