import Papa from 'papaparse';
import type { Column, Frame } from '../../models/frame';

export interface CsvReadResult {
  frame: Frame;
  delimiter: string;
  hasHeader: boolean;
  warnings: string[];
}

/** A problem with an uploaded file, worded for the person who made the file. */
export class CsvError extends Error {
  constructor(
    message: string,
    public readonly line?: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];
/** Rows the separator is guessed from. */
export const DELIMITER_SAMPLE_ROWS = 30;
const HEADER_SAMPLE_ROWS = 200;
export const MISSING_MARKERS = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);
// Plain decimal notation only: Number() would also accept hex, "Infinity" and empty strings.
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// "1,5" as written by spreadsheets in many European locales; only considered when "," is not the separator.
export const DECIMAL_COMMA_PATTERN = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;

export interface RawRows {
  rows: string[][];
  /** 1-based physical line on which each row starts. */
  lines: number[];
}

/** Reads a whole CSV; `knownDelimiter` is for a part of a file whose separator was guessed from the file's start. */
export function readCsv(bytes: Uint8Array, fileName: string, knownDelimiter?: string): CsvReadResult {
  const text = decodeUtf8(bytes, fileName).replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new CsvError('The file is empty.');

  const delimiter = knownDelimiter ?? detectDelimiter(text);
  const { rows, lines } = tokenize(text, delimiter);
  if (rows.length === 0) throw new CsvError('The file is empty.');

  const warnings: string[] = [];
  const hasHeader = looksLikeHeader(rows);
  const width = rows[0].length;
  const dataStart = hasHeader ? 1 : 0;
  if (rows.length === dataStart) throw new CsvError('The file has a header but no rows.');
  checkFieldCounts(rows, lines, dataStart, width, hasHeader);

  const dataRows = rows.slice(dataStart);
  const dataLines = lines.slice(dataStart);
  const indexes = hasHeader ? namedOrFilledColumns(rows[0], dataRows, warnings) : [...Array(width).keys()];
  const names = hasHeader ? uniqueColumnNames(rows[0], indexes, warnings) : indexes.map((i) => `column_${i + 1}`);
  if (!hasHeader) {
    warnings.push(`The first row looks like data, not column names, so the columns are named column_1 to column_${width}.`);
  }
  const decimalComma = delimiter !== ',';
  const columns = indexes.map((index, i) => {
    const cells = dataRows.map((row) => row[index].trim());
    return inferColumn(names[i], cells, dataLines, decimalComma, warnings);
  });
  return { frame: { columns, rowCount: dataRows.length }, delimiter, hasHeader, warnings };
}

function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  const binaryKind = binaryFileKind(bytes, fileName);
  if (binaryKind === 'workbook') {
    throw new CsvError(
      'This is an Excel workbook, not a CSV file. In Excel choose Save As, then "CSV UTF-8", and upload that file.',
    );
  }
  if (binaryKind === 'zip') {
    throw new CsvError('This is a compressed (zip) file, not a CSV file. Unzip it and upload the CSV inside.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = lineOfByte(bytes, offset);
    throw new CsvError(
      `The file is not UTF-8 text: line ${line} has characters that cannot be read. ` +
        'Open it in your spreadsheet program and save it as UTF-8 (CSV UTF-8 in Excel), then upload it again.',
      line,
    );
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Workbooks and archives fail as text with a less helpful message, so they are recognized by their first bytes. */
function binaryFileKind(bytes: Uint8Array, fileName: string): 'workbook' | 'zip' | null {
  const startsWith = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0)) return 'workbook'; // .xls (OLE document)
  if (!startsWith(0x50, 0x4b, 0x03, 0x04)) return null;
  const holdsWorkbook = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('xl/workbook');
  return holdsWorkbook || /\.xls[xmb]?$/i.test(fileName) ? 'workbook' : 'zip';
}

/** Byte offset of the first malformed UTF-8 sequence (only called once decoding has failed). */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

/** Length of the well-formed sequence starting at `start`, or 0 when it is malformed. */
function utf8SequenceLength(bytes: Uint8Array, start: number): number {
  const lead = bytes[start];
  if (lead < 0x80) return 1;
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || start + length > bytes.length) return 0;
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[start + k];
    if ((next & 0xc0) !== 0x80) return 0;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const smallest = [0, 0, 0x80, 0x800, 0x10000][length];
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  return codePoint < smallest || codePoint > 0x10ffff || isSurrogate ? 0 : length;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Picks the candidate that splits the first rows into the same number (> 1) of fields. */
export function detectDelimiter(text: string): string {
  let best = { delimiter: ',', agreeing: 0, fields: 1 };
  for (const delimiter of DELIMITER_CANDIDATES) {
    const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', preview: DELIMITER_SAMPLE_ROWS });
    const counts = parsed.data.filter((row) => !isBlankRow(row)).map((row) => row.length);
    const fields = modeOf(counts);
    if (fields < 2) continue;
    const agreeing = counts.filter((count) => count === fields).length;
    const better = agreeing > best.agreeing || (agreeing === best.agreeing && fields > best.fields);
    if (better) best = { delimiter, agreeing, fields };
  }
  return best.delimiter;
}

function modeOf(values: number[]): number {
  const tally = new Map<number, number>();
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1);
  let mode = 0;
  let most = 0;
  for (const [value, count] of tally) {
    if (count > most || (count === most && value > mode)) [mode, most] = [value, count];
  }
  return mode;
}

export function tokenize(text: string, delimiter: string, firstLine = 1): RawRows {
  const rows: string[][] = [];
  const lines: number[] = [];
  let rowStart = 0;
  let line = firstLine;
  let unclosedQuoteLine: number | null = null;
  Papa.parse<string[]>(text, {
    delimiter,
    newline: '\n',
    step: (result) => {
      const row = result.data;
      if (result.errors.some((e) => e.code === 'MissingQuotes') && unclosedQuoteLine === null) {
        unclosedQuoteLine = line;
      }
      if (!isBlankRow(row)) {
        rows.push(row);
        lines.push(line);
      }
      const rowEnd = result.meta.cursor;
      for (let i = rowStart; i < rowEnd; i++) if (text.charCodeAt(i) === 10) line++;
      rowStart = rowEnd;
    },
  });
  if (unclosedQuoteLine !== null) {
    throw new CsvError(
      `Line ${unclosedQuoteLine} opens a quote (") that is never closed; check the quotes on that line.`,
      unclosedQuoteLine,
    );
  }
  return { rows, lines };
}

function isBlankRow(row: string[]): boolean {
  return row.every((cell) => cell.trim() === '');
}

function isNumber(cell: string | undefined): boolean {
  return cell !== undefined && !Number.isNaN(parseDecimal(cell.trim()));
}

function isMissingMarker(cell: string): boolean {
  return MISSING_MARKERS.has(cell.trim().toLowerCase());
}

/**
 * A first row of pure text is a header when numbers appear below it. When the whole sample is
 * text, it is a header unless one of its values shows up again in its own column.
 */
export function looksLikeHeader(rows: string[][]): boolean {
  const first = rows[0];
  if (first.some((cell) => isNumber(cell))) return false;
  const sample = rows.slice(1, 1 + HEADER_SAMPLE_ROWS);
  if (sample.some((row) => row.some((cell) => isNumber(cell)))) return true;
  return first.every((cell, column) => {
    const name = cell.trim();
    return name === '' || !sample.some((row) => row[column]?.trim() === name);
  });
}

export function uniqueColumnNames(header: string[], indexes: number[], warnings: string[]): string[] {
  const used = new Set<string>();
  const renamed: string[] = [];
  const names = indexes.map((index) => {
    const original = header[index].trim();
    const base = original === '' ? `column_${index + 1}` : original;
    let name = base;
    for (let suffix = 2; used.has(name); suffix++) name = `${base}_${suffix}`;
    used.add(name);
    if (original === '') renamed.push(`column ${index + 1} has no name, so it is called "${name}"`);
    else if (name !== original) {
      renamed.push(`"${original}" appears more than once, so column ${index + 1} is called "${name}"`);
    }
    return name;
  });
  if (renamed.length > 0) warnings.push(`Renamed columns: ${renamed.join('; ')}.`);
  return names;
}

/** Column positions to keep: a separator at the end of every line makes a nameless, empty column that carries nothing. */
export function namedOrFilledColumns(header: string[], dataRows: string[][], warnings: string[]): number[] {
  const indexes = [...header.keys()];
  const kept = indexes.filter((i) => header[i].trim() !== '' || dataRows.some((row) => !isMissingMarker(row[i])));
  if (kept.length === 0 || kept.length === indexes.length) return indexes;
  const dropped = indexes.length - kept.length;
  warnings.push(`Ignored ${dropped} column${dropped > 1 ? 's' : ''} with no name and no values.`);
  return kept;
}

export function checkFieldCounts(rows: string[][], lines: number[], dataStart: number, width: number, hasHeader: boolean) {
  const reference = hasHeader ? 'the header has' : 'the first row has';
  for (let r = dataStart; r < rows.length; r++) {
    if (rows[r].length !== width) {
      throw new CsvError(`Line ${lines[r]} has ${rows[r].length} values but ${reference} ${width}.`, lines[r]);
    }
  }
}

interface ColumnTally {
  numeric: number;
  text: number;
  /** Row of the first value that is not a number, or -1. */
  firstText: number;
}

/** Number, text or an error for a column that is almost all numbers (a typo would otherwise turn it into text). */
export function inferColumn(name: string, cells: string[], lines: number[], decimalComma: boolean, warnings: string[]): Column {
  const plain = tally(cells, parseDecimal);
  if (plain.numeric > 0 && plain.text === 0) return numberColumn(name, cells, parseDecimal);
  const comma = decimalComma ? tally(cells, parseDecimalComma) : plain;
  if (comma.numeric > 0 && comma.text === 0) {
    warnings.push(`Column "${name}" uses decimal commas; values such as 1,5 are read as 1.5.`);
    return numberColumn(name, cells, parseDecimalComma);
  }
  if (comma.numeric > comma.text) {
    const others = comma.text > 1 ? ` (${comma.text - 1} other line${comma.text > 2 ? 's' : ''} too)` : '';
    const line = lines[comma.firstText];
    throw new CsvError(
      `Column "${name}" holds numbers, but line ${line} has "${cells[comma.firstText]}"; fix the value or leave it empty${others}.`,
      line,
    );
  }
  return { name, type: 'category', values: cells.map((cell) => (isMissingMarker(cell) ? null : cell)) };
}

function tally(cells: string[], parse: (cell: string) => number): ColumnTally {
  const result: ColumnTally = { numeric: 0, text: 0, firstText: -1 };
  cells.forEach((cell, row) => {
    if (isMissingMarker(cell)) return;
    if (!Number.isNaN(parse(cell))) {
      result.numeric++;
      return;
    }
    if (result.text === 0) result.firstText = row;
    result.text++;
  });
  return result;
}

function numberColumn(name: string, cells: string[], parse: (cell: string) => number): Column {
  return { name, type: 'number', values: Float64Array.from(cells, (cell) => (isMissingMarker(cell) ? NaN : parse(cell))) };
}

/** The value of a trimmed cell in plain decimal notation, or NaN. */
export function parseDecimal(cell: string): number {
  if (!NUMBER_PATTERN.test(cell)) return NaN;
  const value = Number(cell);
  return Number.isFinite(value) ? value : NaN;
}

export function parseDecimalComma(cell: string): number {
  return DECIMAL_COMMA_PATTERN.test(cell) ? parseDecimal(cell.replace(',', '.')) : parseDecimal(cell);
}
