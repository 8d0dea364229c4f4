import fs from 'node:fs';
import { ImageArchiveError } from '../../models/images/archive';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import { CsvError } from '../../nodes/lib/csv';
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
  // Read from the file, in pieces and in parallel where it is a plain export (nodes/lib/csv-file.ts).
  return describeUploadedTable(job.path, job.name, job.hash);
}
