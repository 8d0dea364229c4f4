import { constants as bufferConstants } from 'node:buffer';
import fs from 'node:fs';
import { ImageArchiveError } from '../../models/images/archive';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import { CsvError } from '../../nodes/lib/csv';
import { formatBytes, LIMITS } from '../../models/limits';
import { describeImageArchive, describeUploadedTable, type DatasetFacts } from '../datasets';

/** The kinds of file a person can hand in, and what the check of each finds. */
export type UploadKind = 'dataset' | 'imageArchive' | 'model';

export interface FileCheckJob {
  kind: UploadKind;
  /** The received file, on disk (never passed through memory between threads). */
  path: string;
  name: string;
  /** Content hash of the file, under which it will be kept (a dataset's parsed columns are kept beside it). */
  hash: string;
}

export interface ImageArchiveFacts {
  count: number;
  classes: { label: string; count: number }[];
  warnings: string[];
}
export interface ModelFacts {
  title: string;
  task: string;
  target: string;
  features: string[];
}

export type FileCheckResult =
  | { ok: true; kind: 'dataset'; facts: DatasetFacts }
  | { ok: true; kind: 'imageArchive'; facts: ImageArchiveFacts }
  | { ok: true; kind: 'model'; facts: ModelFacts }
  | { ok: false; message: string };

/** Errors that mean "this file is not acceptable", as opposed to a fault of the server. */
const isRefusal = (error: unknown) => error instanceof CsvError || error instanceof ImageArchiveError || error instanceof NodeInputError;

/**
 * Reads and checks one uploaded file. Runs in a checking thread (see check-pool.ts), so it answers with
 * plain data: error classes do not survive the trip between threads.
 */
export async function checkFile(job: FileCheckJob): Promise<FileCheckResult> {
  try {
    if (job.kind === 'dataset') return { ok: true, kind: 'dataset', facts: await checkTable(job) };
    if (job.kind === 'imageArchive') {
      return { ok: true, kind: 'imageArchive', facts: await describeImageArchive(job.path) };
    }
    const { model } = readModelFile(fs.readFileSync(job.path));
    return { ok: true, kind: 'model', facts: { title: model.title, task: model.task, target: model.target, features: model.features } };
  } catch (error) {
    if (isRefusal(error)) return { ok: false, message: (error as Error).message };
    throw error;
  }
}

async function checkTable(job: FileCheckJob): Promise<DatasetFacts> {
  const bytes = readWhole(job.path);
  try {
    return await describeUploadedTable(bytes, job.name, job.hash);
  } catch (error) {
    // Past the longest string V8 can make, only the fast reader (plain exports, read from the bytes) can
    // read a CSV; the general reader then fails to decode it and would blame the text's encoding.
    if (bytes.byteLength > bufferConstants.MAX_STRING_LENGTH && error instanceof CsvError && /not UTF-8 text/.test(error.message)) {
      throw new CsvError(
        `This table is ${formatBytes(bytes.byteLength)}. A CSV over ${formatBytes(LIMITS.table.generalReaderBytes)} is read only when it is a plain ` +
          'export: ASCII text, no quoted fields, a header row, the same number of fields on every line, no decimal commas, ' +
          'and every column either all numbers or mostly text. This one is not: split it into smaller files, or export it plainly.',
      );
    }
    throw error;
  }
}

/** The whole file in one buffer, read in pieces: one read(2) moves less than 2 GiB, and fs.readFileSync refuses files from 2 GiB. */
function readWhole(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(size);
    for (let done = 0; done < size; ) {
      const read = fs.readSync(fd, bytes, done, Math.min(size - done, 1 << 30), done);
      if (read === 0) throw new Error(`${file} ended after ${done} of ${size} bytes.`);
      done += read;
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}
