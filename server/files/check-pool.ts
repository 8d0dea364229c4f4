import fs from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { formatBytes, LIMITS, MiB } from '../../models/limits';
import { startsLikeParquet } from '../../nodes/lib/parquet';
import { appRoot } from '../../nodes/lib/paths';
import { ServiceError } from '../errors';
import type { FileCheckJob, FileCheckResult } from './checks';

/**
 * Uploaded files are parsed and checked in worker threads, never on the thread that answers requests:
 * one large CSV does not make other people wait, and a file that would need more memory than
 * LIMITS.fileCheck.heapMb kills only its own thread (the pool starts a fresh one).
 */
let pool: Piscina | null = null;

function checkPool(): Piscina {
  pool ??= new Piscina({
    filename: path.join(/* turbopackIgnore: true */ appRoot(), 'server', 'files', 'check-worker.mjs'),
    minThreads: 0,
    maxThreads: LIMITS.fileCheck.threads,
    maxQueue: LIMITS.fileCheck.queue,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: LIMITS.fileCheck.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
  });
  // A thread that cannot even start (a broken install) is a server fault: said in the log, and the pool
  // is dropped so waiting checks fail now instead of at their timeout; the next upload starts a new one.
  const started = pool;
  // Piscina listens once per waiting check; the queue limit bounds how many.
  started.setMaxListeners(LIMITS.fileCheck.queue + LIMITS.fileCheck.threads + 8);
  started.on('error', (error: unknown) => {
    console.error('A file-checking thread failed:', error);
    if (pool === started) pool = null;
    void started.destroy().catch(() => {});
  });
  return pool;
}

const BUSY = 'The server is checking many other uploads right now; try again in a minute.';
const errorCode = (error: unknown) => (error as { code?: string } | null)?.code ?? '';

/** Checks a received file in a checking thread; refusals come back as ServiceError with a plain message. */
export async function checkInWorker(job: FileCheckJob): Promise<Exclude<FileCheckResult, { ok: false }>> {
  let result: FileCheckResult;
  const timeLimitMs = checkTimeLimitMs(job);
  const bytes = job.kind === 'dataset' ? fs.statSync(job.path).size : 0;
  try {
    // The time limit starts with the check, not while a large table waits for its turn.
    result = await inLargeTableTurn(bytes, () => checkPool().run(job, { signal: AbortSignal.timeout(timeLimitMs) }));
  } catch (error) {
    throw explainPoolError(error, job, timeLimitMs);
  }
  if (!result.ok) throw new ServiceError('BAD_REQUEST', `${job.name}: ${result.message}`);
  return result;
}

/**
 * Tables over LIMITS.fileCheck.largeTableBytes are checked one at a time: each holds its file and its
 * number columns outside the thread's heap (several times the file for a table of short numbers), so two at
 * once could take the server's memory. Smaller files keep both threads; at most LIMITS.fileCheck.largeTableQueue
 * large tables are in line (their files wait on disk), beyond that "try again".
 */
let largeTableTurn: Promise<void> = Promise.resolve();
let largeTablesInLine = 0;

export async function inLargeTableTurn<T>(bytes: number, check: () => Promise<T>): Promise<T> {
  if (bytes <= LIMITS.fileCheck.largeTableBytes) return check();
  if (largeTablesInLine >= LIMITS.fileCheck.largeTableQueue) throw new ServiceError('TOO_MANY_REQUESTS', BUSY);
  largeTablesInLine++;
  const previous = largeTableTurn;
  let finished!: () => void;
  largeTableTurn = new Promise<void>((resolve) => (finished = resolve));
  try {
    await previous;
    return await check();
  } finally {
    largeTablesInLine--;
    finished();
  }
}

/**
 * A Parquet file gets a time in step with its size, at most the general limit: its reader can be sent round
 * a loop by a damaged page, and stopping that early frees the thread for other uploads. A CSV is read in one
 * linear pass, so a large one gets the general limit plus time in step with its size. Other files get the
 * general limit.
 */
function checkTimeLimitMs(job: FileCheckJob): number {
  const { timeoutMs, parquetBaseMs, parquetMsPerMb, tableMsPerMb } = LIMITS.fileCheck;
  if (job.kind !== 'dataset') return timeoutMs;
  const megabytes = fs.statSync(job.path).size / MiB;
  if (startsLikeParquet(fileHead(job.path, 4))) return Math.min(timeoutMs, Math.round(parquetBaseMs + megabytes * parquetMsPerMb));
  return Math.round(timeoutMs + megabytes * tableMsPerMb);
}

function fileHead(file: string, length: number): Uint8Array {
  const head = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    return head.subarray(0, fs.readSync(fd, head, 0, length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function explainPoolError(error: unknown, job: FileCheckJob, timeLimitMs: number): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (errorCode(error) === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(message)) {
    return new ServiceError(
      'PAYLOAD_TOO_LARGE',
      `${job.name}: checking this file needs more than ${formatBytes(LIMITS.fileCheck.heapMb * MiB)} of memory, the limit for one upload. Split it into smaller files.`,
    );
  }
  if ((error as Error)?.name === 'AbortError' || /aborted/i.test(message)) {
    return new ServiceError('PAYLOAD_TOO_LARGE', `${job.name}: checking this file took more than ${Math.ceil(timeLimitMs / 1000)} seconds, the limit for this upload.`);
  }
  if (/queue is at limit/i.test(message)) {
    return new ServiceError('TOO_MANY_REQUESTS', BUSY);
  }
  return error instanceof Error ? error : new Error(message);
}

/** Stops the checking threads (tests, and a server shutting down). */
export async function closeCheckPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
