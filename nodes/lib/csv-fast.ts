import { categoryColumn, type Column, type Frame } from '../../models/frame';
import { detectDelimiter, looksLikeHeader, readCsv, uniqueColumnNames, type CsvReadResult } from './csv';
import { asciiText, CARRIAGE_RETURN, isBlank, isMissingMarker, isPlainAscii, LINE_FEED, parsePlainNumber, PlainScan } from './csv-scan.mjs';

export { parsePlainNumber };

/**
 * The CSV reader for large files. Most exports are plain: ASCII text, no quotes, one value per field.
 * Those are read straight from the bytes into Float64Array columns, never as one string per cell, which
 * is what made a million-row file take tens of seconds and gigabytes. Anything else (quotes, accents,
 * a header-less table, a ragged line, decimal commas, a column that is almost all numbers) goes to
 * readCsv in csv.ts, so every message and every guess of the reader stays exactly as it was.
 * (csv-file.ts reads a file on disk the same way, a piece at a time and in parallel.)
 */
export function readCsvFast(bytes: Uint8Array, fileName: string): CsvReadResult {
  return readPlainCsv(bytes) ?? readCsv(bytes, fileName);
}

const DELIMITER_SAMPLE_ROWS = 30;
export const HEADER_SAMPLE_ROWS = 200;

/** The reader's answer when the file is plain, or null when readCsv must read it. */
export function readPlainCsv(bytes: Uint8Array): CsvReadResult | null {
  const head = plainHead(bytes, true);
  if (head === null || head === 'more' || !isPlainAscii(bytes, head.afterFirstRow, bytes.length)) return null;
  const scan = new PlainScan(head.width, head.rowsIn(bytes.length - head.afterFirstRow), head.delimiterByte);
  if (!scan.scan(bytes, head.afterFirstRow, bytes.length)) return null;
  return plainTable(scan, head, (columns) => readTextColumns(bytes, head.afterFirstRow, head.delimiterByte, columns, scan.rowCount));
}

/** What the first rows of a plain file tell: its separator, header and where its data starts. */
export interface PlainHead {
  delimiter: string;
  delimiterByte: number;
  header: string[];
  width: number;
  /** Offset of the first data row. */
  afterFirstRow: number;
  /** A guess at the rows in so many bytes of data, from the rows sampled (a little over, so it is rarely short). */
  rowsIn(bytes: number): number;
}

/**
 * Reads the separator and header from the start of a file, or null when the file is not plain there.
 * `bytes` may be only the start of the file (`whole` false), cut after a line break: the answer is the
 * whole file's, or 'more' when it holds fewer rows than the guesses look at.
 */
export function plainHead(bytes: Uint8Array, whole: boolean): PlainHead | null | 'more' {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const sampleEnd = endOfLines(bytes, start, Math.max(DELIMITER_SAMPLE_ROWS + 1, HEADER_SAMPLE_ROWS + 1));
  if (!isPlainAscii(bytes, start, sampleEnd)) return null;
  const delimiter = detectDelimiter(asciiText(bytes, start, endOfLines(bytes, start, DELIMITER_SAMPLE_ROWS + 1)).replace(/\r\n?/g, '\n'));
  const delimiterByte = delimiter.charCodeAt(0);
  const head = firstRows(bytes, start, delimiterByte, HEADER_SAMPLE_ROWS + 1);
  if (head.rows.length < HEADER_SAMPLE_ROWS + 1 && !whole) return 'more';
  if (head.rows.length < 2 || !looksLikeHeader(head.rows)) return null;
  const header = head.rows[0];
  if (header.some((name) => name.trim() === '')) return null;
  const bytesPerRow = Math.max(1, (head.sampleEnd - head.afterFirstRow) / (head.rows.length - 1));
  const rowsIn = (data: number) => Math.ceil((data / bytesPerRow) * 1.1) + 1024;
  return { delimiter, delimiterByte, header, width: header.length, afterFirstRow: head.afterFirstRow, rowsIn };
}

/**
 * The table from a finished scan, or null when a column is readCsv's to explain. `rereadTexts` reads the
 * given text columns again as written: those that also hold number-like texts ("007", "1.50").
 */
export function plainTable(scan: PlainScan, head: PlainHead, rereadTexts: (columns: number[]) => Map<number, (string | null)[]>): CsvReadResult | null {
  const { width, header, delimiter } = head;
  if (scan.rowCount === 0) return null;
  const textColumns: number[] = [];
  for (let c = 0; c < width; c++) {
    const numeric = scan.numeric[c];
    const text = scan.text[c];
    // Decimal commas, and columns that are numbers with a few typos, are readCsv's to explain.
    if ((scan.containsComma[c] === 1 && delimiter !== ',') || (text > 0 && numeric > text)) return null;
    if (text > 0 || numeric === 0) textColumns.push(c);
  }
  const warnings: string[] = [];
  const names = uniqueColumnNames(header, [...header.keys()], warnings);
  const reread = rereadTexts(textColumns.filter((c) => scan.numeric[c] > 0));
  const columns: Column[] = [];
  for (let c = 0; c < width; c++) {
    const text = reread.get(c);
    if (text) columns.push({ name: names[c], type: 'category', values: text });
    else if (textColumns.includes(c)) {
      const { codes, dictionary } = scan.codesOf(c);
      columns.push(categoryColumn(names[c], codes, dictionary));
    }
    // A view, not a copy: the spare rows of the capacity guess are never touched, so they take no memory.
    else columns.push({ name: names[c], type: 'number', values: scan.values[c].subarray(0, scan.rowCount) });
  }
  const frame: Frame = { columns, rowCount: scan.rowCount };
  return { frame, delimiter, hasHeader: true, warnings };
}

/** Offset just past the `count`-th line break after `start` (or the end of the file). */
function endOfLines(bytes: Uint8Array, start: number, count: number): number {
  let seen = 0;
  for (let i = start; i < bytes.length; i++) {
    if (bytes[i] === LINE_FEED && ++seen === count) return i + 1;
  }
  return bytes.length;
}

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
  end = bytes.length,
): number {
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

/**
 * The first `count` rows that are not blank, as text, where the data after the first one starts and where
 * the rows read end.
 */
function firstRows(bytes: Uint8Array, start: number, delimiter: number, count: number): { rows: string[][]; afterFirstRow: number; sampleEnd: number } {
  const rows: string[][] = [];
  let fields: string[] = [];
  let afterFirstRow = -1;
  const sampleEnd = walkRows(
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
  return { rows, afterFirstRow, sampleEnd };
}

/** The text columns, trimmed, missing markers as null; equal texts share one string. */
function readTextColumns(bytes: Uint8Array, start: number, delimiter: number, wanted: number[], rowCount: number): Map<number, (string | null)[]> {
  const columns = new Map(wanted.map((c) => [c, new Array<string | null>(rowCount).fill(null)]));
  if (wanted.length > 0) readTextColumnsInto(bytes, start, bytes.length, delimiter, columns, new Map(), 0);
  return columns;
}

/**
 * Fills `columns` (by column number) from the rows in bytes[start, end), the first being row `firstRow`;
 * `known` holds the texts met so far, so that equal texts share one string. Answers the next row.
 */
export function readTextColumnsInto(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  columns: Map<number, (string | null)[]>,
  known: Map<string, string>,
  firstRow: number,
): number {
  let row = firstRow;
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
    end,
  );
  return row;
}
