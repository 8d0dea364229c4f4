import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes, LIMITS, MiB, sizeRefusal } from '../../models/limits';
import type { Db } from '../../db/client';
import { upsertDataset, type DatasetRow } from '../../db/datasets';
import { grantFile } from '../../db/workspaces';
import type { Actor } from '../auth/guard';
import type { UploadAnswers } from '../api-types';
import { incomingDir, storedDatasets, storedPathFor } from '../datasets';
import { ServiceError } from '../errors';
import { logActivity } from '../workspaces/activity';
import { checkInWorker } from './check-pool';
import type { UploadKind } from './checks';

export const UPLOAD_KINDS: readonly UploadKind[] = ['dataset', 'imageArchive', 'model'];

const MAX_BYTES: Record<UploadKind, number> = {
  dataset: LIMITS.upload.datasetBytes,
  imageArchive: LIMITS.upload.imageArchiveBytes,
  model: LIMITS.upload.modelBytes,
};

export type UploadAnswer = UploadAnswers[UploadKind];

export interface UploadInput {
  kind: UploadKind;
  name: string;
  body: ReadableStream<Uint8Array> | null;
  /** The Content-Length the client declared, if any: refused early, then checked again as bytes arrive. */
  declaredBytes: number | null;
}

/**
 * Receives a file a person hands in: streams it to disk with a size cap (never whole in memory), checks it
 * in a checking thread, then keeps it under its content hash and grants it to the person's workspace.
 * A refused file leaves nothing behind.
 */
export async function receiveUpload(db: Db, actor: Actor, input: UploadInput): Promise<UploadAnswer> {
  const limit = MAX_BYTES[input.kind];
  const what = `"${input.name}"`;
  if (input.declaredBytes !== null && input.declaredBytes > limit) throw new ServiceError('PAYLOAD_TOO_LARGE', sizeRefusal(what, input.declaredBytes, limit));
  if (!input.body) throw new ServiceError('BAD_REQUEST', `${what} is empty.`);

  fs.mkdirSync(incomingDir(), { recursive: true });
  const incoming = path.join(incomingDir(), `${randomUUID()}.part`);
  try {
    const { hash, bytes } = await receive(input.body, incoming, limit, what);
    if (bytes === 0) throw new ServiceError('BAD_REQUEST', `${what} is empty.`);
    const checked = await checkInWorker({ kind: input.kind, path: incoming, name: input.name, hash });
    keep(incoming, storedPathFor(input.kind, hash));
    await grantFile(db, actor.workspaceId, hash);
    await logActivity(db, actor, { action: 'uploaded', subjectType: 'file', subjectId: hash, subjectName: input.name });
    if (checked.kind === 'dataset') {
      const row: DatasetRow = { hash, name: input.name, sizeBytes: bytes, ...checked.facts, createdAt: Date.now() };
      await upsertDataset(db, row);
      return row;
    }
    if (checked.kind === 'imageArchive') return { hash, name: input.name, sizeBytes: bytes, ...checked.facts };
    return { hash, fileName: input.name, ...checked.facts };
  } finally {
    fs.rmSync(incoming, { force: true });
  }
}

/**
 * Checks a table that arrives inside a pipeline file (its hash already verified) as an upload is checked:
 * parsed in a checking thread, within its time and memory limits, its columns kept beside where it will be
 * stored, so storing it afterwards parses nothing on the thread that answers requests. Refusals throw
 * ServiceError with the reason.
 */
export async function checkBundledTable(name: string, hash: string, bytes: Uint8Array): Promise<void> {
  fs.mkdirSync(incomingDir(), { recursive: true });
  const incoming = path.join(incomingDir(), `${randomUUID()}.part`);
  try {
    fs.writeFileSync(incoming, bytes);
    await checkInWorker({ kind: 'dataset', path: incoming, name, hash });
  } finally {
    fs.rmSync(incoming, { force: true });
  }
}

/** What a stored zip of photos holds, for the step's settings panel; counted in a checking thread. */
export async function describeStoredArchive(hash: string): Promise<UploadAnswers['imageArchive']> {
  const file = storedDatasets.pathOf(hash);
  const name = 'uploaded zip';
  const checked = await checkInWorker({ kind: 'imageArchive', path: file, name, hash });
  if (checked.kind !== 'imageArchive') throw new Error('The zip check answered for another kind of file.');
  return { hash, name, sizeBytes: fs.statSync(file).size, ...checked.facts };
}

/**
 * Writes the body to `file`, hashing it on the way, and stops at the first byte past `limit`. Read straight
 * from the request's stream and written a megabyte at a time: the thread answering requests does the least
 * work per byte (no Node-stream adapters, a sixteenth of the writes), since a 1 GB upload is some 16,000
 * network chunks, each taking its turn with other people's requests.
 */
async function receive(body: ReadableStream<Uint8Array>, file: string, limit: number, what: string): Promise<{ hash: string; bytes: number }> {
  const digest = createHash('sha256');
  const reader = body.getReader();
  const out = await fs.promises.open(file, 'w');
  let bytes = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes > 0) await out.writev(pending);
    pending = [];
    pendingBytes = 0;
  };
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.byteLength;
      if (bytes > limit) {
        void reader.cancel().catch(() => {});
        throw new ServiceError('PAYLOAD_TOO_LARGE', `${what} is larger than ${formatBytes(limit)}, the limit for this kind of file.`);
      }
      digest.update(read.value);
      pending.push(read.value);
      pendingBytes += read.value.byteLength;
      if (pendingBytes >= WRITE_BYTES) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError('BAD_REQUEST', `${what} did not arrive whole (${(error as Error).message}); try the upload again.`);
  } finally {
    await out.close();
  }
  return { hash: digest.digest('hex'), bytes };
}

const WRITE_BYTES = MiB;

/** Moves a checked file to its place; a file with the same content already there stays as it is. */
function keep(incoming: string, destination: string): void {
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  if (fs.existsSync(destination)) return;
  fs.renameSync(incoming, destination);
}
