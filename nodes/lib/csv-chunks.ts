import type { Column, Frame } from '../../models/frame';
import {
  checkFieldCounts,
  CsvError,
  DELIMITER_SAMPLE_ROWS,
  detectDelimiter,
  inferColumn,
  MISSING_MARKERS,
  namedOrFilledColumns,
  parseDecimal,
  parseDecimalComma,
  readCsv,
  tokenize,
} from './csv';

/**
 * A CSV read a few thousand rows at a time, so a file of any length is read with memory that does not
 * grow with it. The first chunk goes through readCsv, so the separator, the header, the column names and
 * every refusal are exactly those of an upload; the later chunks keep the column types the first one
 * found, and a value that does not fit is refused with its line and column, as readCsv words it.
 */
export interface CsvChunk {
  frame: Frame;
  /** The line of the file on which the chunk's first row starts. */
  firstLine: number;
  /** readCsv's notes on the file (renamed columns, decimal commas…), on the first chunk only. */
  warnings: string[];
}

export interface CsvChunkOptions {
  rowsPerChunk?: number;
  /** A chunk is cut sooner when its rows take more bytes than this (very wide rows). */
  chunkBytes?: number;
  /** A row longer than this is refused: it is almost always a quote that is never closed. */
  maxRowBytes?: number;
}

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

type ColumnKind = 'number' | 'category' | 'unknown';

/**
 * Finds where rows end without parsing them: a line break outside a quoted field. A quote opens a field
 * only at its start and closes it only before a separator or a line break, as Papa Parse reads them, so a
 * chunk is never cut inside a quoted value. Keeps its place between calls as bytes arrive.
 */
class RowBoundaries {
  private inQuotes = false;
  private atFieldStart = true;
  scanned = 0;
  rows = 0;
  /** Offset just past the last row end found. */
  lastRowEnd = 0;

  constructor(readonly delimiter: number) {}

  scan(bytes: Uint8Array, wanted: number): void {
    const end = bytes.length;
    let i = this.scanned;
    while (i < end && this.rows < wanted) {
      const byte = bytes[i];
      if (this.inQuotes) {
        if (byte !== QUOTE) i++;
        else {
          let next = i + 1;
          if (next < end && bytes[next] === QUOTE) i += 2;
          else {
            while (next < end && (bytes[next] === SPACE || bytes[next] === TAB)) next++;
            if (next >= end) break; // wait for the byte that says whether this quote closes the field
            const after = bytes[next];
            if (after === this.delimiter || after === LINE_FEED || after === CARRIAGE_RETURN) this.inQuotes = false;
            i++;
          }
        }
        continue;
      }
      if (byte === QUOTE && this.atFieldStart) {
        this.inQuotes = true;
        this.atFieldStart = false;
        i++;
      } else if (byte === LINE_FEED || byte === CARRIAGE_RETURN) {
        if (byte === CARRIAGE_RETURN) {
          if (i + 1 >= end) break; // a \r\n may be split between two reads
          if (bytes[i + 1] === LINE_FEED) i++;
        }
        i++;
        this.rows++;
        this.lastRowEnd = i;
        this.atFieldStart = true;
      } else {
        this.atFieldStart = byte === this.delimiter;
        i++;
      }
    }
    this.scanned = i;
  }

  /** Forgets the first `offset` bytes, once they have been handed out as a chunk. */
  drop(offset: number): void {
    this.scanned -= offset;
    this.lastRowEnd = 0;
    this.rows = 0;
  }
}

/** Line breaks outside quoted fields: the rows a text holds, a quoted line break being part of its field. */
function countRowBreaks(text: string): number {
  let count = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) quoted = !quoted;
    else if (code === 10 && !quoted) count++;
  }
  return count;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A later chunk as text; not UTF-8 is refused naming the line, as readCsv does for the whole file. */
function decodeChunk(bytes: Uint8Array, firstLine: number): string {
  try {
    return fatalDecoder.decode(bytes).replace(/\r\n?/g, '\n');
  } catch {
    let line = firstLine;
    for (let start = 0; start < bytes.length; line++) {
      const end = bytes.indexOf(LINE_FEED, start);
      const stop = end < 0 ? bytes.length : end + 1;
      try {
        fatalDecoder.decode(bytes.subarray(start, stop));
      } catch {
        break;
      }
      start = stop;
    }
    throw new CsvError(
      `The file is not UTF-8 text: line ${line} has characters that cannot be read. ` +
        'Open it in your spreadsheet program and save it as UTF-8 (CSV UTF-8 in Excel), then try again.',
      line,
    );
  }
}

/** What the first chunk settled: the separator, which raw fields become which columns, and their types. */
interface Layout {
  delimiter: string;
  width: number;
  hasHeader: boolean;
  indexes: number[];
  names: string[];
  kinds: ColumnKind[];
}

function layoutOf(firstText: string, first: ReturnType<typeof readCsv>): Layout {
  const { rows } = tokenize(firstText, first.delimiter);
  const width = rows[0].length;
  const indexes = first.hasHeader ? namedOrFilledColumns(rows[0], rows.slice(1), []) : [...Array(width).keys()];
  const kinds = first.frame.columns.map((column): ColumnKind => {
    if (column.type === 'number') return 'number';
    return column.values.some((value) => value !== null) ? 'category' : 'unknown';
  });
  return { delimiter: first.delimiter, width, hasHeader: first.hasHeader, indexes, names: first.frame.columns.map((c) => c.name), kinds };
}

const isMissingMarker = (cell: string) => MISSING_MARKERS.has(cell.toLowerCase());

/** The rows of a later chunk as a frame with the first chunk's columns and types. */
function chunkFrame(text: string, firstLine: number, layout: Layout): Frame {
  const { rows, lines } = tokenize(text, layout.delimiter, firstLine);
  checkFieldCounts(rows, lines, 0, layout.width, layout.hasHeader);
  const decimalComma = layout.delimiter !== ',';
  const parse = decimalComma ? parseDecimalComma : parseDecimal;
  const columns = layout.indexes.map((index, c): Column => {
    const name = layout.names[c];
    const kind = layout.kinds[c];
    if (kind === 'number') {
      const values = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const cell = rows[r][index].trim();
        if (isMissingMarker(cell)) values[r] = NaN;
        else if (Number.isNaN((values[r] = parse(cell)))) {
          throw new CsvError(`Column "${name}" holds numbers, but line ${lines[r]} has "${cell}"; fix the value or leave it empty.`, lines[r]);
        }
      }
      return { name, type: 'number', values };
    }
    const cells = rows.map((row) => row[index].trim());
    if (kind === 'category') return { name, type: 'category', values: cells.map((cell) => (isMissingMarker(cell) ? null : cell)) };
    // Empty so far: this chunk's values decide, as readCsv would have decided from them.
    const column = inferColumn(name, cells, lines, decimalComma, []);
    if (column.type === 'number' || column.values.some((value) => value !== null)) layout.kinds[c] = column.type;
    return column;
  });
  return { columns, rowCount: rows.length };
}

/**
 * Reads a CSV from a stream of bytes (a file, stdin, a stored upload) and yields it a chunk of rows at a
 * time. Holds at most one chunk and the bytes of the next read.
 */
export async function* readCsvChunks(source: AsyncIterable<Uint8Array>, fileName: string, options: CsvChunkOptions = {}): AsyncGenerator<CsvChunk> {
  const rowsPerChunk = options.rowsPerChunk ?? 5000;
  const chunkBytes = options.chunkBytes ?? 32 * 1024 * 1024;
  const maxRowBytes = options.maxRowBytes ?? 64 * 1024 * 1024;
  let pending: Buffer = Buffer.alloc(0);
  let boundaries: RowBoundaries | null = null;
  let layout: Layout | null = null;
  let firstRows = rowsPerChunk + 1;
  let nextLine = 1;
  let ended = false;
  const iterator = source[Symbol.asyncIterator]();

  const readMore = async () => {
    const next = await iterator.next();
    if (next.done) ended = true;
    else pending = pending.length ? Buffer.concat([pending, next.value]) : Buffer.from(next.value);
  };

  while (!ended || pending.length > 0) {
    if (!boundaries) {
      // The separator is guessed from the same first rows readCsv guesses it from, whatever the chunk size,
      // and the first chunk is then read with it, so a file is read alike however it is cut.
      const sampleRows = Math.max(rowsPerChunk, DELIMITER_SAMPLE_ROWS);
      while (!ended && countRowBreaks(pending.toString('latin1')) <= sampleRows) await readMore();
      const head = pending.toString('utf8').replace(/\r\n?/g, '\n');
      boundaries = new RowBoundaries(detectDelimiter(head).charCodeAt(0));
    }
    // The header travels in the first chunk, so it holds one row more (more still when it was all blank lines).
    const wanted = layout ? rowsPerChunk : firstRows;
    boundaries.scan(pending, wanted);
    while (!ended && boundaries.rows < wanted && !(boundaries.rows > 0 && pending.length > chunkBytes)) {
      if (boundaries.rows === 0 && pending.length > maxRowBytes) {
        throw new CsvError(`Line ${nextLine} runs on for more than ${maxRowBytes / 1024 / 1024} MB; check for a quote (") that is never closed.`, nextLine);
      }
      await readMore();
      boundaries.scan(pending, wanted);
    }
    const cut = ended && boundaries.rows < wanted ? pending.length : boundaries.lastRowEnd;
    const bytes = pending.subarray(0, cut);
    pending = pending.subarray(cut);
    boundaries.drop(cut);
    if (!layout) {
      let first: ReturnType<typeof readCsv>;
      try {
        first = readCsv(bytes, fileName, String.fromCharCode(boundaries.delimiter));
      } catch (error) {
        // Blank lines only so far: the first chunk takes more lines, until it holds a row or the file ends.
        const blank = error instanceof CsvError && /^The file (is empty|has a header but no rows)\.$/.test(error.message);
        if (!blank || (ended && pending.length === 0)) throw error;
        pending = Buffer.concat([bytes, pending]);
        boundaries = new RowBoundaries(boundaries.delimiter);
        firstRows *= 2;
        continue;
      }
      const text = new TextDecoder().decode(bytes).replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
      layout = layoutOf(text, first);
      nextLine += countLineBreaks(text);
      yield { frame: first.frame, firstLine: first.hasHeader ? 2 : 1, warnings: first.warnings };
      continue;
    }
    const text = decodeChunk(bytes, nextLine);
    const frame = chunkFrame(text, nextLine, layout);
    const firstLine = nextLine;
    nextLine += countLineBreaks(text);
    if (frame.rowCount > 0) yield { frame, firstLine, warnings: [] };
  }
}
