import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ArtifactRef, ArtifactStore, DatasetResolver } from '../nodes/define';
import { readCsv } from '../nodes/lib/csv';
import { summarizeColumns } from '../nodes/lib/summarize';
import type { Db } from '../db/client';
import { upsertDataset, type DatasetRow } from '../db/datasets';
import { dataDir } from './paths';

function uploadsDir(): string {
  return path.join(dataDir(), 'uploads');
}

/** Uploaded files live on disk under their content hash; the hash is what a pipeline refers to. */
export const storedDatasets: DatasetResolver = {
  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`"${hash}" is not a dataset reference.`);
    const file = path.join(uploadsDir(), `${hash}.csv`);
    if (!fs.existsSync(file)) throw new Error('The uploaded file for this node is no longer stored; upload it again.');
    return file;
  },
};

/**
 * Reads and checks a CSV, then stores it. A file that cannot be read throws CsvError and nothing is stored.
 */
export function storeDataset(db: Db, name: string, bytes: Uint8Array): DatasetRow {
  const { frame, delimiter, hasHeader, warnings } = readCsv(bytes, name);
  const hash = createHash('sha256').update(bytes).digest('hex');
  fs.mkdirSync(uploadsDir(), { recursive: true });
  const file = path.join(uploadsDir(), `${hash}.csv`);
  if (!fs.existsSync(file)) {
    // Write then rename, so a crash never leaves half a file under a valid hash.
    fs.writeFileSync(`${file}.part`, bytes);
    fs.renameSync(`${file}.part`, file);
  }
  const row: DatasetRow = {
    hash,
    name,
    sizeBytes: bytes.byteLength,
    rowCount: frame.rowCount,
    delimiter,
    hasHeader,
    columns: summarizeColumns(frame),
    warnings,
    createdAt: Date.now(),
  };
  upsertDataset(db, row);
  return row;
}

function artifactsDir(): string {
  return path.join(dataDir(), 'artifacts');
}

/** Files nodes produce (scored lists, trained models): content-addressed, so a re-run writes nothing new. */
export const storedArtifacts: ArtifactStore = {
  write(fileName: string, content: Uint8Array | string): ArtifactRef {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const hash = createHash('sha256').update(bytes).digest('hex');
    fs.mkdirSync(artifactsDir(), { recursive: true });
    const file = path.join(artifactsDir(), hash);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(`${file}.part`, bytes);
      fs.renameSync(`${file}.part`, file);
    }
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
