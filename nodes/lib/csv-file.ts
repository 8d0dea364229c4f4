import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resourceLimits, Worker } from 'node:worker_threads';
import { formatBytes, LIMITS } from '../../models/limits';
import { CsvError, readCsv, type CsvReadResult } from './csv';
import { plainHead, plainTable, readTextColumnsInto, type PlainHead } from './csv-fast';
import { forEachLines, isPlainAscii, PlainScan, scanFileRange, sharedColumns, sharedPart, type RangeJob, type ScanPart } from './csv-scan.mjs';
import { appRoot } from './paths';

const MiB = 1024 * 1024;
/** Read a piece at a time through one buffer: the file is never held whole, and the buffer stays in cache. */
const CHUNK_BYTES = 8 * MiB;
const HEAD_BYTES = MiB;
/** The first rows the separator and header guesses look at are read in at most this much. */
const MAX_HEAD_BYTES = 64 * MiB;
/** Below this much data per thread, starting a thread costs more than it saves. */
const MIN_BYTES_PER_THREAD = 32 * MiB;
const MAX_THREADS = 4;

export interface CsvFileOptions {
  /** Threads reading parts of the file (the calling one included); by default one per core, up to 4, for large files. */
  threads?: number;
  chunkBytes?: number;
  /** Read every part in the calling thread, one after the other (tests of the split). */
  inThread?: boolean;
}

/**
 * Reads a CSV file on disk exactly as readCsvFast reads its bytes. A plain file is read a piece at a time,
 * never whole, and a large one in parallel: it is cut at line breaks into one part per thread, the calling
 * thread reads the first, worker threads (csv-scan-worker.mjs) the others, all into shared columns, and the
 * parts are joined in order (rows moved down over the gaps between parts, texts renumbered into the first part's). Anything not plain goes, whole, to readCsv.
 */
export async function readCsvFile(file: string, fileName: string, options: CsvFileOptions = {}): Promise<CsvReadResult> {
  const plain = await readPlainCsvFile(file, options);
  if (plain) return plain;
  // The general reader holds the whole text as one string: past this size it cannot (V8's longest string is
  // about 512 MB), and would wrongly blame the text's encoding.
  const size = fs.statSync(file).size;
  if (size > LIMITS.table.generalReaderBytes) {
    throw new CsvError(
      `This table is ${formatBytes(size)}. A CSV over ${formatBytes(LIMITS.table.generalReaderBytes)} is read only when it is a plain ` +
        'export: ASCII text, no quoted fields, a header row, the same number of fields on every line, no decimal commas, ' +
        'and every column either all numbers or mostly text. This one is not: split it into smaller files, or export it plainly.',
    );
  }
  return readCsv(fs.readFileSync(file), fileName);
}

/** The reader's answer when the file is plain, or null when readCsv must read it. */
export async function readPlainCsvFile(file: string, options: CsvFileOptions = {}): Promise<CsvReadResult | null> {
  const fd = fs.openSync(file, 'r');
  const others: RangeScan[] = [];
  try {
    const size = fs.fstatSync(fd).size;
    const head = readHead(fd, size);
    if (!head) return null;
    const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    const ranges = splitAtLines(fd, head.afterFirstRow, size, threadsFor(size - head.afterFirstRow, options));
    // Every part writes its rows straight into columns every thread shares, each from where a guess at the
    // rows before it puts them, so the join only moves rows down over the gaps the guesses left.
    const shared = ranges.length > 1 ? sharedColumns(head.width, ranges.map(([from, to]) => head.rowsIn(to - from))) : null;
    const job = ([from, to]: [number, number], part: number): RangeJob => ({
      file,
      from,
      to,
      width: head.width,
      delimiter: head.delimiterByte,
      capacity: head.rowsIn(to - from),
      chunkBytes,
      shared,
      part,
    });
    const inThread = options.inThread || !fs.existsSync(workerFile());
    for (const [k, range] of ranges.entries()) if (k > 0) others.push(inThread ? scannedHere(job(range, k)) : scanInWorker(job(range, k)));
    const [from, to] = ranges[0];
    const scan = shared ? new PlainScan(head.width, shared.starts[1], head.delimiterByte, sharedPart(shared, 0)) : new PlainScan(head.width, head.rowsIn(to - from), head.delimiterByte);
    if (!forEachLines(fd, from, to, chunkBytes, (bytes, start, end) => isPlainAscii(bytes, start, end) && scan.scan(bytes, start, end))) return null;
    const parts: ScanPart[] = [];
    for (const other of others) {
      const part = await other.result;
      if (!part) return null;
      parts.push(part);
    }
    if (parts.length > 0) scan.appendAll(parts, shared);
    return plainTable(scan, head, (columns) => rereadTexts(fd, head, columns, scan.rowCount, chunkBytes));
  } finally {
    for (const other of others) other.stop();
    fs.closeSync(fd);
  }
}

function threadsFor(dataBytes: number, options: CsvFileOptions): number {
  if (options.threads) return options.threads;
  return Math.max(1, Math.min(os.availableParallelism(), MAX_THREADS, Math.floor(dataBytes / MIN_BYTES_PER_THREAD)));
}

/** Fills buffer[0, length) from the file at `position`; answers the bytes read (fewer at its end). */
function readAt(fd: number, buffer: Uint8Array, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const read = fs.readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

/** The separator and header, from the start of the file cut after a line break; null when not plain. */
function readHead(fd: number, size: number): PlainHead | null {
  for (let length = Math.min(size, HEAD_BYTES); ; length = Math.min(size, length * 4)) {
    const bytes = Buffer.allocUnsafe(length);
    const read = readAt(fd, bytes, length, 0);
    const whole = read >= size;
    const cut = whole ? read : bytes.lastIndexOf(10, read - 1) + 1;
    const head = cut > 0 ? plainHead(bytes.subarray(0, cut), whole) : 'more';
    if (head !== 'more') return head;
    if (length >= Math.min(size, MAX_HEAD_BYTES)) return null;
  }
}

/** [from, to) cut into about `parts` ranges, each starting just after a \n (so at the start of a row). */
function splitAtLines(fd: number, from: number, to: number, parts: number): [number, number][] {
  const starts = [from];
  const probe = Buffer.allocUnsafe(64 * 1024);
  for (let k = 1; k < parts; k++) {
    const target = from + Math.floor(((to - from) * k) / parts);
    const read = readAt(fd, probe, Math.min(probe.length, to - target), target);
    const lineFeed = probe.subarray(0, read).indexOf(10);
    if (lineFeed < 0) continue;
    const start = target + lineFeed + 1;
    if (start > starts[starts.length - 1] && start < to) starts.push(start);
  }
  return starts.map((start, k) => [start, starts[k + 1] ?? to]);
}

interface RangeScan {
  result: Promise<ScanPart | null>;
  stop(): void;
}

const workerFile = () => path.join(/* turbopackIgnore: true */ appRoot(), 'nodes', 'lib', 'csv-scan-worker.mjs');

function scannedHere(job: RangeJob): RangeScan {
  return { result: Promise.resolve().then(() => scanFileRange(job)), stop: () => {} };
}

/**
 * Scans a part in a worker thread, under the calling thread's memory limits (a checking thread's, for an
 * upload). A thread that fails rejects the result; one that runs out of memory says so in its message.
 */
function scanInWorker(job: RangeJob): RangeScan {
  const worker = new Worker(workerFile(), { resourceLimits });
  const result = new Promise<ScanPart | null>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`A thread reading part of the CSV file stopped early (exit code ${code}).`)));
  });
  worker.postMessage(job);
  return {
    result,
    stop: () => {
      result.catch(() => {});
      void worker.terminate();
    },
  };
}

/** The given text columns read again as written, a piece of the file at a time. */
function rereadTexts(fd: number, head: PlainHead, wanted: number[], rowCount: number, chunkBytes: number): Map<number, (string | null)[]> {
  const columns = new Map(wanted.map((c) => [c, new Array<string | null>(rowCount).fill(null)]));
  if (wanted.length === 0) return columns;
  const known = new Map<string, string>();
  let row = 0;
  forEachLines(fd, head.afterFirstRow, fs.fstatSync(fd).size, chunkBytes, (bytes, start, end) => {
    row = readTextColumnsInto(bytes, start, end, head.delimiterByte, columns, known, row);
    return true;
  });
  return columns;
}
