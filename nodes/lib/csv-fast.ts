import { isAscii } from 'node:buffer';
import { categoryColumn, type CategoryCodes, type Column, type Frame } from '../../models/frame';
import { detectDelimiter, looksLikeHeader, MISSING_MARKERS, readCsv, uniqueColumnNames, type CsvReadResult } from './csv';

/**
 * The CSV reader for large files. Most exports are plain: ASCII text, no quotes, one value per field.
 * Those are read straight from the bytes into Float64Array columns, never as one string per cell, which
 * is what made a million-row file take tens of seconds and gigabytes. Anything else (quotes, accents,
 * a header-less table, a ragged line, decimal commas, a column that is almost all numbers) goes to
 * readCsv in csv.ts, so every message and every guess of the reader stays exactly as it was.
 */
export function readCsvFast(bytes: Uint8Array, fileName: string): CsvReadResult {
  return readPlainCsv(bytes) ?? readCsv(bytes, fileName);
}

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const QUOTE = 34;
const COMMA = 44;
const DELIMITER_SAMPLE_ROWS = 30;
const HEADER_SAMPLE_ROWS = 200;
/** Powers of ten that are exact doubles: a mantissa below 2^53 times or divided by one is rounded once, as Number() rounds. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** The reader's answer when the file is plain, or null when readCsv must read it. */
export function readPlainCsv(bytes: Uint8Array): CsvReadResult | null {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (!isPlainAscii(bytes, start)) return null;
  const delimiter = detectDelimiter(asciiText(bytes, start, endOfLines(bytes, start, DELIMITER_SAMPLE_ROWS + 1)).replace(/\r\n?/g, '\n'));
  const delimiterByte = delimiter.charCodeAt(0);
  const head = firstRows(bytes, start, delimiterByte, HEADER_SAMPLE_ROWS + 1);
  if (head.rows.length < 2 || !looksLikeHeader(head.rows)) return null;
  const header = head.rows[0];
  if (header.some((name) => name.trim() === '')) return null;

  const width = header.length;
  const scan = scanNumbers(bytes, head.afterFirstRow, delimiterByte, width);
  if (!scan) return null;
  const columns: Column[] = [];
  const warnings: string[] = [];
  const names = uniqueColumnNames(header, [...header.keys()], warnings);
  const textColumns: number[] = [];
  for (let c = 0; c < width; c++) {
    const { numeric, text, containsComma } = scan.tallies[c];
    // Decimal commas, and columns that are numbers with a few typos, are readCsv's to explain.
    if ((containsComma && delimiter !== ',') || (text > 0 && numeric > text)) return null;
    if (text > 0 || numeric === 0) textColumns.push(c);
  }
  // A text column that also holds number-like texts needs them as written ("007", "1.50"): read again.
  const rereadColumns = textColumns.filter((c) => scan.tallies[c].numeric > 0);
  const reread = readTextColumns(bytes, head.afterFirstRow, delimiterByte, rereadColumns, scan.rowCount);
  const textOf = (c: number): Column => {
    const text = reread.get(c);
    if (text) return { name: names[c], type: 'category', values: text };
    const met = scan.texts[c] ?? { codes: new Int32Array(scan.rowCount).fill(-1), dictionary: [] };
    return categoryColumn(names[c], met.codes.subarray(0, scan.rowCount), met.dictionary);
  };
  for (let c = 0; c < width; c++) {
    if (textColumns.includes(c)) columns.push(textOf(c));
    else columns.push({ name: names[c], type: 'number', values: exactLength(scan.values[c], scan.rowCount) });
  }
  const frame: Frame = { columns, rowCount: scan.rowCount };
  return { frame, delimiter, hasHeader: true, warnings };
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** ASCII without quotes or NUL bytes; the native scans make this a small part of reading a large file. */
function isPlainAscii(bytes: Uint8Array, start: number): boolean {
  const buffer = asBuffer(bytes);
  return isAscii(buffer.subarray(start)) && buffer.indexOf(QUOTE, start) < 0 && buffer.indexOf(0, start) < 0;
}

function asciiText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** Offset just past the `count`-th line break after `start` (or the end of the file). */
function endOfLines(bytes: Uint8Array, start: number, count: number): number {
  let seen = 0;
  for (let i = start; i < bytes.length; i++) {
    if (bytes[i] === LINE_FEED && ++seen === count) return i + 1;
  }
  return bytes.length;
}

const isBlank = (byte: number) => byte === 32 || byte === 9 || byte === 11 || byte === 12;

/**
 * Walks rows of unquoted fields from `start`: `onField(column, from, to)` gets each field with its
 * surrounding blanks trimmed; `onRowEnd(fields, hasContent)` closes each row and answers whether to go on.
 * A line break is \n, \r\n or a lone \r, as readCsv reads them. Answers the offset where it stopped.
 */
function walkRows(
  bytes: Uint8Array,
  start: number,
  delimiter: number,
  onField: (column: number, from: number, to: number) => void,
  onRowEnd: (fields: number, hasContent: boolean) => boolean,
): number {
  const end = bytes.length;
  let i = start;
  while (i < end) {
    let column = 0;
    let hasContent = false;
    for (;;) {
      let from = i;
      while (i < end) {
        const byte = bytes[i];
        if (byte === delimiter || byte === LINE_FEED || byte === CARRIAGE_RETURN) break;
        i++;
      }
      let to = i;
      while (from < to && isBlank(bytes[from])) from++;
      while (to > from && isBlank(bytes[to - 1])) to--;
      if (from < to) hasContent = true;
      onField(column++, from, to);
      if (i < end && bytes[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    if (i < end) i += bytes[i] === CARRIAGE_RETURN && bytes[i + 1] === LINE_FEED ? 2 : 1;
    if (!onRowEnd(column, hasContent)) break;
  }
  return i;
}

/** The first `count` rows that are not blank, as text, and where the data after the first one starts. */
function firstRows(bytes: Uint8Array, start: number, delimiter: number, count: number): { rows: string[][]; afterFirstRow: number } {
  const rows: string[][] = [];
  let fields: string[] = [];
  let afterFirstRow = -1;
  walkRows(
    bytes,
    start,
    delimiter,
    (_column, from, to) => fields.push(asciiText(bytes, from, to)),
    (_fields, hasContent) => {
      if (hasContent) rows.push(fields);
      fields = [];
      return rows.length < count;
    },
  );
  if (rows.length > 0) afterFirstRow = walkRows(bytes, start, delimiter, () => {}, (_fields, hasContent) => !hasContent);
  return { rows, afterFirstRow };
}

interface ColumnTally {
  numeric: number;
  text: number;
  containsComma: boolean;
}

interface NumberScan {
  values: Float64Array[];
  tallies: ColumnTally[];
  rowCount: number;
  /** The texts met in each column by row, or undefined for a column without any. */
  texts: (CategoryCodes | undefined)[];
}

/**
 * Reads every field as a number (NaN when missing or text) and counts what each column holds; null on a
 * ragged row. The row walk of walkRows, written out: this loop sees every byte of a large file once.
 */
function scanNumbers(bytes: Uint8Array, start: number, delimiter: number, width: number): NumberScan | null {
  const end = bytes.length;
  const capacity = lineBreaks(bytes, start) + 1;
  const scan = new ScanState(width, capacity, delimiter);
  const { values, numeric } = scan;
  let row = 0;
  let i = start;
  while (i < end) {
    let column = 0;
    let hasContent = false;
    for (;;) {
      const quickEnd = quickDecimal(bytes, i, end, delimiter);
      if (quickEnd >= 0) {
        hasContent = true;
        if (column < width) {
          values[column][row] = quickValue;
          numeric[column]++;
        }
        i = quickEnd;
      } else {
        let from = i;
        while (i < end) {
          const byte = bytes[i];
          if (byte === delimiter || byte === LINE_FEED || byte === CARRIAGE_RETURN) break;
          i++;
        }
        let to = i;
        while (from < to && isBlank(bytes[from])) from++;
        while (to > from && isBlank(bytes[to - 1])) to--;
        if (from < to) hasContent = true;
        if (column < width) scan.readField(bytes, from, to, column, row);
      }
      column++;
      if (i < end && bytes[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    if (i < end) i += bytes[i] === CARRIAGE_RETURN && bytes[i + 1] === LINE_FEED ? 2 : 1;
    if (!hasContent) continue;
    if (column !== width) return null;
    row++;
  }
  if (row === 0) return null;
  return scan.result(row);
}

/** The value quickDecimal read (a module variable, so that the hot loop allocates nothing). */
let quickValue = 0;

/**
 * The common field, read while it is walked: [+-]digits[.digits] with at most 15 significant digits,
 * nothing around it, ending at the delimiter, a line break or the end. Answers where it ends (its value
 * in quickValue) or -1 for any other field, which the general path then reads (as parsePlainNumber).
 */
function quickDecimal(bytes: Uint8Array, start: number, end: number, delimiter: number): number {
  let i = start;
  const sign = bytes[i];
  if (sign === 45 || sign === 43) i++;
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let fractionDigits = 0;
  for (let byte = bytes[i]; i < end && byte >= 48 && byte <= 57; byte = bytes[++i], digits++) {
    mantissa = mantissa * 10 + (byte - 48);
    if (mantissa !== 0) significant++;
  }
  if (i < end && bytes[i] === 46) {
    for (let byte = bytes[++i]; i < end && byte >= 48 && byte <= 57; byte = bytes[++i], digits++, fractionDigits++) {
      mantissa = mantissa * 10 + (byte - 48);
      if (mantissa !== 0) significant++;
    }
  }
  if (digits === 0 || significant > 15 || fractionDigits > 22) return -1;
  if (i < end) {
    const next = bytes[i];
    if (next !== delimiter && next !== LINE_FEED && next !== CARRIAGE_RETURN) return -1;
  }
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / EXACT_POWERS_OF_TEN[fractionDigits];
  quickValue = sign === 45 ? -magnitude : magnitude;
  return i;
}

/** What scanNumbers gathers: the columns as numbers, the count of numbers and texts, and the texts met. */
class ScanState {
  readonly values: Float64Array[];
  readonly numeric: Float64Array;
  private readonly text: Float64Array;
  private readonly containsComma: Uint8Array;
  // Texts are kept as they are met, so a column of labels needs no second walk over the file.
  private readonly texts: (InternedTexts | undefined)[];

  constructor(
    private readonly width: number,
    private readonly capacity: number,
    private readonly delimiter: number,
  ) {
    this.values = Array.from({ length: width }, () => new Float64Array(capacity));
    this.numeric = new Float64Array(width);
    this.text = new Float64Array(width);
    this.containsComma = new Uint8Array(width);
    this.texts = new Array(width);
  }

  /** A trimmed field that is not a plain decimal: another number, a missing marker, a text, or empty. */
  readField(bytes: Uint8Array, from: number, to: number, column: number, row: number): void {
    if (from === to) {
      this.values[column][row] = NaN;
      return;
    }
    const value = parsePlainNumber(bytes, from, to);
    this.values[column][row] = value;
    if (value === value) this.numeric[column]++;
    else if (!isMissingMarker(bytes, from, to)) {
      this.text[column]++;
      (this.texts[column] ??= new InternedTexts(this.capacity)).set(row, asciiText(bytes, from, to));
      if (this.delimiter !== COMMA && this.containsComma[column] === 0 && bytes.subarray(from, to).includes(COMMA)) this.containsComma[column] = 1;
    }
  }

  result(rowCount: number): NumberScan {
    const tallies = Array.from({ length: this.width }, (_, c) => ({ numeric: this.numeric[c], text: this.text[c], containsComma: this.containsComma[c] === 1 }));
    return { values: this.values, tallies, rowCount, texts: this.texts.map((t) => t && { codes: t.codes, dictionary: t.dictionary }) };
  }
}

/** One column's texts by row as codes into the texts met (-1 where none was). */
class InternedTexts {
  readonly codes: Int32Array;
  readonly dictionary: string[] = [];
  private readonly known = new Map<string, number>();
  constructor(capacity: number) {
    this.codes = new Int32Array(capacity).fill(-1);
  }
  set(row: number, text: string): void {
    let code = this.known.get(text);
    if (code === undefined) {
      this.known.set(text, (code = this.dictionary.length));
      this.dictionary.push(text);
    }
    this.codes[row] = code;
  }
}

/** How many \n and \r bytes follow `start`: one more is the most rows there can be. */
function lineBreaks(bytes: Uint8Array, start: number): number {
  const buffer = asBuffer(bytes);
  let count = 0;
  for (const lineBreak of [LINE_FEED, CARRIAGE_RETURN]) {
    for (let at = buffer.indexOf(lineBreak, start); at >= 0; at = buffer.indexOf(lineBreak, at + 1)) count++;
  }
  return count;
}

function isMissingMarker(bytes: Uint8Array, from: number, to: number): boolean {
  const first = bytes[from] | 0x20;
  if (to - from > 4 || (first !== 0x6e && bytes[from] !== 0x3f)) return false; // only "n…" and "?" can be markers
  return MISSING_MARKERS.has(asciiText(bytes, from, to).toLowerCase());
}

/** The text columns, trimmed, missing markers as null; equal texts share one string. */
function readTextColumns(bytes: Uint8Array, start: number, delimiter: number, wanted: number[], rowCount: number): Map<number, (string | null)[]> {
  const columns = new Map(wanted.map((c) => [c, new Array<string | null>(rowCount).fill(null)]));
  if (wanted.length === 0) return columns;
  const known = new Map<string, string>();
  let row = 0;
  walkRows(
    bytes,
    start,
    delimiter,
    (column, from, to) => {
      const target = columns.get(column);
      if (!target || from === to || isMissingMarker(bytes, from, to)) return;
      const text = asciiText(bytes, from, to);
      let shared = known.get(text);
      if (shared === undefined) known.set(text, (shared = text));
      target[row] = shared;
    },
    (_fields, hasContent) => {
      if (hasContent) row++;
      return true;
    },
  );
  return columns;
}

// A view, not a copy: the spare slot or two of the capacity guess are not worth copying a million values.
const exactLength = (values: Float64Array, length: number) => (values.length === length ? values : values.subarray(0, length));

/**
 * The value of a field in plain decimal notation (what csv.ts's NUMBER_PATTERN accepts), equal to
 * Number() of its text, or NaN. Up to 15 significant digits and exponents within ±22 are computed
 * exactly here; longer ones are handed to Number().
 */
export function parsePlainNumber(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  const sign = bytes[i];
  if (sign === 43 || sign === 45) i++;
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let fractionDigits = 0;
  for (; i < to && bytes[i] >= 48 && bytes[i] <= 57; i++, digits++) {
    mantissa = mantissa * 10 + (bytes[i] - 48);
    if (mantissa !== 0) significant++;
  }
  if (i < to && bytes[i] === 46) {
    for (i++; i < to && bytes[i] >= 48 && bytes[i] <= 57; i++, digits++, fractionDigits++) {
      mantissa = mantissa * 10 + (bytes[i] - 48);
      if (mantissa !== 0) significant++;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  let exponentDigits = 0;
  if (i < to && (bytes[i] | 0x20) === 101) {
    i++;
    const negative = bytes[i] === 45;
    if (bytes[i] === 43 || bytes[i] === 45) i++;
    for (; i < to && bytes[i] >= 48 && bytes[i] <= 57; i++, exponentDigits++) exponent = exponent * 10 + (bytes[i] - 48);
    if (exponentDigits === 0) return NaN;
    if (negative) exponent = -exponent;
  }
  if (i !== to) return NaN;
  const power = exponent - fractionDigits;
  if (significant > 15 || exponentDigits > 5 || Math.abs(power) > 22) {
    const value = Number(asciiText(bytes, from, to));
    return Number.isFinite(value) ? value : NaN;
  }
  const magnitude = power >= 0 ? mantissa * EXACT_POWERS_OF_TEN[power] : mantissa / EXACT_POWERS_OF_TEN[-power];
  return sign === 45 ? -magnitude : magnitude;
}
