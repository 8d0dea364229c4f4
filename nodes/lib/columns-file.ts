import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { categoryCodes, categoryColumn, type Column, type Frame } from '../../models/frame';
import type { CsvReadResult } from './csv';
import { readCsvFast } from './csv-fast';
import { readCsvFile } from './csv-file';
import { looksLikeParquet, readParquet } from './parquet';

/**
 * An uploaded table is parsed once: the columns are kept beside the upload in a small binary file
 * (<hash>.columns), and every run reads that instead of the CSV. Layout, little-endian:
 *   "PIPELAB-COLUMNS" + version byte, u32 length of a JSON header, the header (row count, separator,
 *   header flag, warnings, each column's name and type, the distinct texts of each text column),
 *   zero padding to 8 bytes, then per column rowCount float64 values (numbers, NaN when missing) or
 *   rowCount int32 codes into the column's texts (-1 when missing), each padded to 8 bytes.
 * The version changes whenever the reader would read a file differently, so an old cache is parsed again.
 * Text columns come back dictionary-encoded (see categoryCodes in models/frame.ts) with no work.
 */
const MAGIC = 'PIPELAB-COLUMNS';
const FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 1 + 4;

interface ColumnsHeader {
  rowCount: number;
  delimiter: string;
  hasHeader: boolean;
  warnings: string[];
  columns: ({ name: string; type: 'number' } | { name: string; type: 'category'; texts: string[] })[];
}

let parses = 0;

/** How many times this process has parsed a table file into columns (tests check that one upload is parsed once). */
export function tableParseCount(): number {
  return parses;
}

/** Where the columns of a stored table file (CSV or Parquet) are kept: beside it, same name, `.columns`. */
export function columnsFileFor(csvFile: string): string {
  return csvFile.replace(/\.csv$/, '') + '.columns';
}

/**
 * The table in `tableFile`, from its columns file when there is a readable one, otherwise parsed (and the
 * columns file written for next time). A file that cannot be read throws CsvError, as readCsv does.
 */
export async function readStoredTable(tableFile: string, fileName: string): Promise<CsvReadResult> {
  const columnsFile = columnsFileFor(tableFile);
  // The table this process just parsed (the command line stores its --input, then runs on it): while it is
  // still in memory, reading its columns file again would hold the table twice.
  // Only while its columns file is the one written then: a file removed or rewritten is read (or parsed) again.
  const justParsed = justParsedTable(columnsFile);
  if (justParsed) return justParsed;
  const cached = readColumnsFile(columnsFile);
  if (cached) return cached;
  return parseAndKeepColumns(tableFile, fileName, columnsFile);
}

/** The table this process parsed into `columnsFile`, while something still holds it and the file is the one written then. */
export function justParsedTable(columnsFile: string): CsvReadResult | undefined {
  return lastParsed?.columnsFile === columnsFile && sameFile(columnsFile, lastParsed.written) ? lastParsed.table.deref() : undefined;
}

/**
 * Parses a table file, CSV or Parquet (told apart by content, not by name), given as its bytes or its path
 * (a CSV on disk is read a piece at a time, in parallel when large: see csv-file.ts), and writes its columns
 * file; throws CsvError (and writes nothing) for a bad file. `whileWriting` is given the table while its
 * columns are being written (by other threads), for work that needs the table but not the file.
 */
export async function parseAndKeepColumns(source: Uint8Array | string, fileName: string, columnsFile: string, whileWriting?: (table: CsvReadResult) => void): Promise<CsvReadResult> {
  parses++;
  const result = await parseTable(source, fileName);
  const written = writeColumnsFile(columnsFile, result);
  try {
    whileWriting?.(result);
  } finally {
    await written;
  }
  lastParsed = { columnsFile, table: new WeakRef(result), written: fileStamp(columnsFile) };
  return result;
}

async function parseTable(source: Uint8Array | string, fileName: string): Promise<CsvReadResult> {
  if (typeof source !== 'string') return looksLikeParquet(source) ? readParquet(source, fileName) : readCsvFast(source, fileName);
  return parquetEnds(source) ? readParquet(fs.readFileSync(source), fileName) : readCsvFile(source, fileName);
}

/** Whether a file starts and ends as Parquet does, read from its ends only (see looksLikeParquet). */
function parquetEnds(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < 12) return false;
    const ends = Buffer.alloc(12);
    fs.readSync(fd, ends, 0, 4, 0);
    fs.readSync(fd, ends, 4, 8, size - 8);
    return looksLikeParquet(ends);
  } finally {
    fs.closeSync(fd);
  }
}

const fileStamp = (file: string) => {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}:${stat.ino}` : '';
};
const sameFile = (file: string, stamp: string) => stamp !== '' && fileStamp(file) === stamp;

/** The last table parsed and kept, for as long as something else keeps it in memory (a weak reference). */
let lastParsed: { columnsFile: string; table: WeakRef<CsvReadResult>; written: string } | null = null;

const padding = (length: number) => (8 - (length % 8)) % 8;

/** Pieces of the columns file written at once, by libuv's threads (4 by default): writing 400 MB is mostly the kernel's copying. */
const PARALLEL_WRITES = 4;
/**
 * The most one write moves: libuv's threads serve the whole process (a server's other file reads too), and
 * each takes the next waiting request only when its piece is done.
 */
const PIECE_BYTES = 8 * 1024 * 1024;

/** The columns file's pieces at their places in it, and its size (the gaps between pieces are zero padding). */
function columnsFilePieces({ frame, delimiter, hasHeader, warnings }: CsvReadResult): { pieces: { bytes: Uint8Array; position: number }[]; size: number } {
  // The file's contents in order; a number is that many zero bytes of padding.
  const bodies: (Uint8Array | number)[] = [];
  const columns = frame.columns.map((column): ColumnsHeader['columns'][number] => {
    if (column.type === 'number') {
      bodies.push(new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength));
      return { name: column.name, type: 'number' };
    }
    const { codes, dictionary } = categoryCodes(column);
    bodies.push(new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength), padding(codes.byteLength));
    return { name: column.name, type: 'category', texts: dictionary };
  });
  const header: ColumnsHeader = { rowCount: frame.rowCount, delimiter, hasHeader, warnings, columns };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix[MAGIC.length] = FORMAT_VERSION;
  prefix.writeUInt32LE(json.byteLength, MAGIC.length + 1);
  const pieces: { bytes: Uint8Array; position: number }[] = [];
  let position = 0;
  for (const bytes of [prefix, json, padding(PREFIX_BYTES + json.byteLength), ...bodies]) {
    if (typeof bytes === 'number') position += bytes;
    else {
      for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES) pieces.push({ bytes: bytes.subarray(at, at + PIECE_BYTES), position: position + at });
      position += bytes.byteLength;
    }
  }
  return { pieces, size: position };
}

/**
 * Writes a table's columns file: every piece at its place, side by side (the padding is left as the zeros
 * a file set to its full length reads as), then renamed into place.
 */
export async function writeColumnsFile(file: string, table: CsvReadResult): Promise<void> {
  const { pieces, size } = columnsFilePieces(table);
  // A name of its own: two checking threads of one process may keep the same upload at once.
  const part = `${file}.${randomUUID()}.part`;
  const handle = await fs.promises.open(part, 'w');
  try {
    await handle.truncate(size);
    let next = 0;
    const writer = async () => {
      for (let k = next++; k < pieces.length; k = next++) await writeFully(handle, pieces[k].bytes, pieces[k].position);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, pieces.length) }, writer));
  } catch (error) {
    await handle.close();
    fs.rmSync(part, { force: true });
    throw error;
  }
  await handle.close();
  // Renamed into place whole, so a crash never leaves half a columns file that looks valid.
  fs.renameSync(part, file);
}

async function writeFully(handle: fs.promises.FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.byteLength; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, position + done);
    done += bytesWritten;
  }
}

/** The table a columns file holds, or null when there is none or it is not one this version wrote whole. */
export function readColumnsFile(file: string): CsvReadResult | null {
  return readOrNull(file, decodeColumns);
}

/** What `read` makes of the open file, or null when the file is missing or `read` fails: a columns file is never trusted. */
function readOrNull<T>(file: string, read: (fd: number, file: string) => T | null): T | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return read(fd, file);
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Fills `target` from the file at `position`; false when the file ends first. */
function readInto(fd: number, target: Uint8Array, position: number): boolean {
  let done = 0;
  while (done < target.byteLength) {
    // At most 1 GiB a call: one read(2) moves less than 2 GiB.
    const read = fs.readSync(fd, target, done, Math.min(target.byteLength - done, 1 << 30), position + done);
    if (read === 0) return false;
    done += read;
  }
  return true;
}

/** Where each column of a columns file lies, read from its header alone: the rows stay on disk. */
export interface ColumnsLayout {
  file: string;
  rowCount: number;
  delimiter: string;
  hasHeader: boolean;
  warnings: string[];
  columns: (ColumnsHeader['columns'][number] & { offset: number })[];
  /** The file's size in bytes: a block read checks it, so a file rewritten meanwhile is not misread. */
  size: number;
}

/** Thrown when a columns file read a block at a time changed or broke after it was opened. */
export class ColumnsFileError extends Error {}

/** The layout of a columns file, or null when there is none or it is not one this version wrote whole. */
export function openColumnsFile(file: string): ColumnsLayout | null {
  return readOrNull(file, readLayout);
}

function readLayout(fd: number, file: string): ColumnsLayout | null {
  const size = fs.fstatSync(fd).size;
  const prefix = Buffer.alloc(PREFIX_BYTES);
  if (size < PREFIX_BYTES || !readInto(fd, prefix, 0)) return null;
  if (prefix.toString('latin1', 0, MAGIC.length) !== MAGIC || prefix[MAGIC.length] !== FORMAT_VERSION) return null;
  const jsonLength = prefix.readUInt32LE(MAGIC.length + 1);
  const json = Buffer.alloc(jsonLength);
  if (!readInto(fd, json, PREFIX_BYTES)) return null;
  const header = JSON.parse(json.toString('utf8')) as ColumnsHeader;
  const { rowCount } = header;
  let offset = PREFIX_BYTES + jsonLength;
  offset += padding(offset);
  const columns = header.columns.map((column) => {
    const placed = { ...column, offset };
    offset += column.type === 'number' ? 8 * rowCount : 4 * rowCount + padding(4 * rowCount);
    return placed;
  });
  if (offset !== size) return null;
  return { file, rowCount, delimiter: header.delimiter, hasHeader: header.hasHeader, warnings: header.warnings, columns, size };
}

/**
 * Rows [start, end) of one column, read with one positioned read: the file is column-major, so a block of
 * rows of every column is a seek per column. Null when the file ends early or holds a code out of range.
 */
function readColumnRows(fd: number, layout: ColumnsLayout, index: number, start: number, end: number): Column | null {
  const column = layout.columns[index];
  const count = end - start;
  if (column.type === 'number') {
    const values = new Float64Array(count);
    if (!readInto(fd, new Uint8Array(values.buffer), column.offset + 8 * start)) return null;
    return { name: column.name, type: 'number', values };
  }
  const codes = new Int32Array(count);
  if (!readInto(fd, new Uint8Array(codes.buffer), column.offset + 4 * start)) return null;
  const textCount = column.texts.length;
  for (let row = 0; row < count; row++) if (codes[row] >= textCount || codes[row] < -1) return null;
  return categoryColumn(column.name, codes, column.texts);
}

/**
 * Rows [start, end) of the chosen columns (all by default), from the file the layout was read from.
 * Throws ColumnsFileError when the file no longer holds them (removed, or cut short).
 */
export function readColumnsBlock(layout: ColumnsLayout, start: number, end: number, indices?: number[]): Frame {
  const chosen = indices ?? layout.columns.map((_, i) => i);
  let fd: number;
  try {
    fd = fs.openSync(layout.file, 'r');
  } catch {
    throw new ColumnsFileError('The kept columns of the uploaded file are no longer stored; upload the file again.');
  }
  try {
    if (fs.fstatSync(fd).size !== layout.size) {
      throw new ColumnsFileError('The kept columns of the uploaded file changed while they were read; run the pipeline again.');
    }
    const columns = chosen.map((index) => {
      const column = readColumnRows(fd, layout, index, start, end);
      if (!column) throw new ColumnsFileError('The kept columns of the uploaded file are damaged; upload the file again.');
      return column;
    });
    return { columns, rowCount: end - start };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads each column straight into its own typed array (no file-sized buffer, no copy): tables of any
 * size that fit in memory, and a column no longer used can be freed on its own.
 */
function decodeColumns(fd: number, file: string): CsvReadResult | null {
  const layout = readLayout(fd, file);
  if (!layout) return null;
  const columns: Column[] = [];
  for (let index = 0; index < layout.columns.length; index++) {
    const column = readColumnRows(fd, layout, index, 0, layout.rowCount);
    if (!column) return null;
    columns.push(column);
  }
  return { frame: { columns, rowCount: layout.rowCount }, delimiter: layout.delimiter, hasHeader: layout.hasHeader, warnings: layout.warnings };
}
