import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import type { FileMetaData, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Column, Frame } from '../../models/frame';
import { formatCount, LIMITS } from '../../models/limits';
import { CsvError, uniqueColumnNames, type CsvReadResult } from './csv';

/**
 * Parquet, the other table format a CRM or warehouse export often comes in. Parquet is already columnar
 * and typed, so nothing is guessed: number columns become Float64Array columns, everything else (text,
 * yes/no, dates) a category column, and nested columns (lists, records) are left out with a warning.
 * The file is read in the upload's checking thread, whose time and memory limits also bound a file built
 * to make the reader work forever.
 */
const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1", at both ends of every Parquet file

export function looksLikeParquet(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && startsLikeParquet(bytes) && MAGIC.every((byte, i) => bytes[bytes.length - 4 + i] === byte);
}

/** Whether the first bytes of a file are Parquet's: enough to choose how long its check may take. */
export function startsLikeParquet(head: Uint8Array): boolean {
  return MAGIC.every((byte, i) => head[i] === byte);
}

type ColumnReader = { name: string; type: 'number'; values: Float64Array } | { name: string; type: 'category'; values: (string | null)[] };

export async function readParquet(bytes: Uint8Array, fileName: string): Promise<CsvReadResult> {
  try {
    return await readColumns(bytes, fileName);
  } catch (error) {
    // A damaged file can break the reader anywhere; whatever breaks, the file is what is wrong.
    if (error instanceof CsvError) throw error;
    throw new CsvError(`${fileName} could not be read as Parquet: ${plainReason(error)}.`);
  }
}

async function readColumns(bytes: Uint8Array, fileName: string): Promise<CsvReadResult> {
  // The reader wants an ArrayBuffer of the file alone; a Buffer from fs often views a larger shared one.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const file = whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
  const metadata = readMetadata(file, fileName);
  const rowCount = Number(metadata.num_rows);
  if (rowCount === 0) throw new CsvError(`${fileName} has no rows: the Parquet file holds only column names.`);
  if (!Number.isSafeInteger(rowCount) || rowCount < 0) throw new CsvError(`${fileName} looks like a Parquet file but its row count is damaged.`);

  const warnings: string[] = [];
  const flat = flatColumns(parquetSchema(metadata), warnings);
  if (flat.length === 0) throw new CsvError(`${fileName} has no column Pipelab can read: every column holds lists or nested records.`);
  refuseOversized(fileName, rowCount, flat.length, bytes.byteLength);
  const names = uniqueColumnNames(flat.map((column) => column.element.name), [...flat.keys()], warnings);
  const readers = new Map<string, ColumnReader>(
    flat.map((column, i) => [
      column.element.name,
      isNumeric(column)
        ? { name: names[i], type: 'number', values: new Float64Array(rowCount).fill(Number.NaN) }
        : { name: names[i], type: 'category', values: new Array<string | null>(rowCount).fill(null) },
    ]),
  );
  let unsafeIntegers = 0;
  await parquetRead({
    file,
    metadata,
    compressors,
    columns: [...readers.keys()],
    onChunk({ columnName, columnData, rowStart, rowEnd }) {
      const reader = readers.get(columnName);
      if (!reader) return;
      const end = Math.min(rowEnd, rowCount);
      for (let row = Math.max(rowStart, 0); row < end; row++) {
        const value: unknown = columnData[row - rowStart];
        if (reader.type === 'number') {
          const number = toNumber(value);
          if (typeof value === 'bigint' && !Number.isSafeInteger(number)) unsafeIntegers++;
          reader.values[row] = number;
        } else {
          reader.values[row] = toText(value);
        }
      }
    },
  });
  if (unsafeIntegers > 0) {
    warnings.push(`${formatCount(unsafeIntegers)} whole numbers are too large to keep exactly (beyond 9,007,199,254,740,991); they were rounded.`);
  }
  const frame: Frame = { columns: [...readers.values()] as Column[], rowCount };
  return { frame, delimiter: '', hasHeader: true, warnings };
}

/** The top-level columns that hold one plain value per row; the others are named in a warning. */
function flatColumns(schema: SchemaTree, warnings: string[]): SchemaTree[] {
  const seen = new Set<string>();
  return schema.children.filter((column) => {
    const name = String(column.element.name ?? '');
    if (seen.has(name)) return false;
    seen.add(name);
    if (column.children.length === 0 && column.element.repetition_type !== 'REPEATED') return true;
    warnings.push(`Column "${name}" holds lists or nested records, which a model cannot read; it was left out.`);
    return false;
  });
}

/** Checked on the file's own description, before memory is set aside for its columns. */
function refuseOversized(fileName: string, rowCount: number, columnCount: number, fileBytes: number): void {
  const { parquetColumns, parquetCells, parquetCellsPerByte } = LIMITS.table;
  if (columnCount > parquetColumns) {
    throw new CsvError(`${fileName} has ${formatCount(columnCount)} columns; the limit is ${formatCount(parquetColumns)}. Export only the columns you need.`);
  }
  if (rowCount * columnCount > parquetCells) {
    throw new CsvError(
      `${fileName} has ${formatCount(rowCount)} rows × ${formatCount(columnCount)} columns = ${formatCount(rowCount * columnCount)} values; the limit is ${formatCount(parquetCells)}. Export fewer rows or columns.`,
    );
  }
  if (rowCount * columnCount > parquetCellsPerByte * fileBytes) {
    throw new CsvError(
      `${fileName} says it holds ${formatCount(rowCount * columnCount)} values in ${formatCount(fileBytes)} bytes, more than ${formatCount(parquetCellsPerByte)} per byte: its description is damaged or the file is built to exhaust memory.`,
    );
  }
}

function readMetadata(file: ArrayBuffer, fileName: string): FileMetaData {
  try {
    return parquetMetadata(file);
  } catch (error) {
    throw new CsvError(`${fileName} looks like a Parquet file but its description of its columns is damaged (${plainReason(error)}).`);
  }
}

const NUMERIC_TYPES = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);
const NOT_QUANTITIES = new Set(['DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS']);

/** Numbers a model can use as quantities: integer and floating columns, decimals; not dates or times stored as integers. */
function isNumeric({ element }: SchemaTree): boolean {
  if (element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL' || element.logical_type?.type === 'FLOAT16') return true;
  if (!element.type || !NUMERIC_TYPES.has(element.type)) return false;
  const logical = element.logical_type?.type;
  return !(element.converted_type && NOT_QUANTITIES.has(element.converted_type)) && logical !== 'DATE' && logical !== 'TIME' && logical !== 'TIMESTAMP';
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoDateOrTime(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

/** "2026-12-03" for a date at midnight, the full ISO time otherwise: as a spreadsheet export writes them. */
function isoDateOrTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

const plainReason = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/^parquet\s*/i, '').slice(0, 200);
