// The byte-level scan of plain CSV rows (see csv-fast.ts for which files are plain). Plain JavaScript with
// its types in csv-scan.d.mts: the threads that read parts of a large file in parallel (csv-scan-worker.mjs)
// load it directly, without the TypeScript loader, whose start would cost them more than their share.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';

export const LINE_FEED = 10;
export const CARRIAGE_RETURN = 13;
const QUOTE = 34;
const COMMA = 44;
export const MISSING_MARKERS = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);
/** Powers of ten that are exact doubles: a mantissa below 2^53 times or divided by one is rounded once, as Number() rounds. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

export const isBlank = (byte) => byte === 32 || byte === 9 || byte === 11 || byte === 12;

export function asciiText(bytes, start, end) {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** ASCII without quotes or NUL bytes in bytes[start, end); native scans, a small part of reading a file. */
export function isPlainAscii(bytes, start, end) {
  const part = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
  return isAscii(part) && part.indexOf(QUOTE) < 0 && part.indexOf(0) < 0;
}

export function isMissingMarker(bytes, from, to) {
  const first = bytes[from] | 0x20;
  if (to - from > 4 || (first !== 0x6e && bytes[from] !== 0x3f)) return false; // only "n…" and "?" can be markers
  return MISSING_MARKERS.has(asciiText(bytes, from, to).toLowerCase());
}

/**
 * The common field, read while it is walked: [+-]digits[.digits] with at most 15 significant digits,
 * nothing around it, ending at the delimiter, a line break or the end. Writes its value to target[row] and
 * answers where it ends, or answers -1 for any other field, which the general path then reads. (The value
 * goes straight into the column: a double kept anywhere else would be boxed, a heap object per field.)
 */
function quickDecimal(bytes, start, end, delimiter, target, row) {
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
  target[row] = sign === 45 ? -magnitude : magnitude;
  return i;
}

/**
 * The value of a field in plain decimal notation (what csv.ts's NUMBER_PATTERN accepts), equal to
 * Number() of its text, or NaN. Up to 15 significant digits and exponents within ±22 are computed
 * exactly here; longer ones are handed to Number().
 */
export function parsePlainNumber(bytes, from, to) {
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

const FEW_TEXTS = 16;

/** More room: half as much again, so a guess that was short is not paid for with many copies. */
const grown = (capacity, minimum) => Math.max(minimum, Math.ceil(capacity * 1.5) + 1024);

/**
 * One column's texts by row, as codes into the texts met in order of first appearance, stored plus one
 * (0 where the row has none, so that a fresh array needs no filling; `codesOf` gives them back minus one).
 */
class InternedTexts {
  constructor(capacity) {
    this.codes = new Int32Array(capacity);
    this.dictionary = [];
    this.known = new Map();
    // The bytes of the first few texts: a column of a few labels is coded from its bytes, without making a
    // string per row (a million "yes" and "no" would otherwise be a million strings to collect).
    this.fewBytes = [];
  }
  codeOf(text) {
    let code = this.known.get(text);
    if (code === undefined) {
      this.known.set(text, (code = this.dictionary.length));
      this.dictionary.push(text);
    }
    return code;
  }
  /** Codes the text in bytes[from, to) for `row`. */
  set(row, bytes, from, to) {
    const few = this.fewBytes;
    if (this.dictionary.length <= FEW_TEXTS) {
      const length = to - from;
      search: for (let code = 0; code < few.length; code++) {
        const known = few[code];
        if (known.length !== length) continue;
        for (let j = 0; j < length; j++) if (known[j] !== bytes[from + j]) continue search;
        this.codes[row] = code + 1;
        return;
      }
    }
    const code = this.codeOf(asciiText(bytes, from, to));
    if (code === few.length && code < FEW_TEXTS) few.push(Uint8Array.prototype.slice.call(bytes, from, to));
    this.codes[row] = code + 1;
  }
  grow(rows, capacity) {
    const codes = new Int32Array(capacity);
    codes.set(this.codes.subarray(0, rows));
    this.codes = codes;
  }
  /** Adds another part's rows at `offset`, its codes renumbered into this column's texts. */
  append(part, offset, count) {
    const renumbered = new Int32Array(part.dictionary.length + 1);
    for (let k = 0; k < part.dictionary.length; k++) renumbered[k + 1] = this.codeOf(part.dictionary[k]) + 1;
    const { codes } = this;
    for (let row = 0; row < count; row++) codes[offset + row] = renumbered[part.codes[row]];
  }
}

/**
 * Reads rows of plain fields into one Float64Array per column (NaN when missing or text), counting what
 * each column holds and coding the texts met, a piece of the file at a time. `capacity` is a guess at the
 * rows to come; the columns grow when it is short.
 */
export class PlainScan {
  /** `columns`: where to write the values (e.g. this part's rows of shared columns), `capacity` rows each. */
  constructor(width, capacity, delimiter, columns = null) {
    this.width = width;
    this.capacity = Math.max(1, capacity);
    this.delimiter = delimiter;
    this.rowCount = 0;
    this.values = columns ?? Array.from({ length: width }, () => new Float64Array(this.capacity));
    /** Whether the values are still in the arrays given (a guess that was short moves them to larger ones). */
    this.inPlace = columns !== null;
    this.numeric = new Float64Array(width);
    this.text = new Float64Array(width);
    this.containsComma = new Uint8Array(width);
    // Texts are kept as they are met, so a column of labels needs no second walk over the file.
    this.texts = new Array(width).fill(null);
  }

  /**
   * Reads the rows in bytes[start, end), which holds whole lines (a line break is \n, \r\n or a lone \r, as
   * readCsv reads them), skipping blank ones; false on a row with another number of fields than the header.
   * The row walk of csv-fast.ts's walkRows, written out: this loop sees every byte of a large file once.
   */
  scan(bytes, start, end) {
    const { width, delimiter, values, numeric } = this;
    let row = this.rowCount;
    let i = start;
    while (i < end) {
      if (row === this.capacity) this.grow(row, row + 1);
      let column = 0;
      let hasContent = false;
      for (;;) {
        const quickEnd = column < width ? quickDecimal(bytes, i, end, delimiter, values[column], row) : -1;
        if (quickEnd >= 0) {
          hasContent = true;
          numeric[column]++;
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
          if (column < width) this.readField(bytes, from, to, column, row);
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
      if (column !== width) {
        this.rowCount = row;
        return false;
      }
      row++;
    }
    this.rowCount = row;
    return true;
  }

  /** A trimmed field that is not a plain decimal: another number, a missing marker, a text, or empty. */
  readField(bytes, from, to, column, row) {
    if (from === to) {
      this.values[column][row] = NaN;
      return;
    }
    const value = parsePlainNumber(bytes, from, to);
    this.values[column][row] = value;
    if (value === value) this.numeric[column]++;
    else if (!isMissingMarker(bytes, from, to)) {
      this.text[column]++;
      (this.texts[column] ??= new InternedTexts(this.capacity)).set(row, bytes, from, to);
      if (this.delimiter !== COMMA && this.containsComma[column] === 0 && bytes.subarray(from, to).includes(COMMA)) this.containsComma[column] = 1;
    }
  }

  /** Room for `minimum` rows, keeping the first `rows`. */
  grow(rows, minimum) {
    const capacity = grown(this.capacity, minimum);
    this.inPlace = false;
    for (let c = 0; c < this.width; c++) {
      const values = new Float64Array(capacity);
      values.set(this.values[c].subarray(0, rows));
      this.values[c] = values;
      this.texts[c]?.grow(rows, capacity);
    }
    this.capacity = capacity;
  }

  /** What this scan read, as plain data a worker thread can send back (its arrays moved, not copied). */
  part() {
    const texts = this.texts.map((t) => t && { codes: t.codes, dictionary: t.dictionary });
    const { rowCount, values, inPlace, numeric, text, containsComma } = this;
    return { rowCount, values: inPlace ? null : values, numeric, text, containsComma, texts };
  }

  /**
   * Adds the rows other scans read from the parts of the file after this one's, in order. Scans that wrote
   * into their places in `shared` (see sharedColumns) are moved down to follow the rows before them, in
   * the same memory; otherwise every part's values are copied into new columns.
   */
  appendAll(parts, shared) {
    const offsets = [];
    let rows = this.rowCount;
    for (const part of parts) {
      offsets.push(rows);
      rows += part.rowCount;
    }
    const inPlace = shared !== null && this.inPlace && parts.every((part) => part.values === null);
    for (let c = 0; c < this.width; c++) {
      const column = inPlace ? new Float64Array(shared.buffers[c]) : new Float64Array(rows);
      if (!inPlace) column.set(this.values[c].subarray(0, this.rowCount));
      parts.forEach((part, k) => {
        const source = part.values?.[c] ?? new Float64Array(shared.buffers[c], 8 * shared.starts[k + 1], part.rowCount);
        if (source.buffer !== column.buffer) column.set(source.subarray(0, part.rowCount), offsets[k]);
        else if (source.byteOffset !== 8 * offsets[k]) column.copyWithin(offsets[k], shared.starts[k + 1], shared.starts[k + 1] + part.rowCount);
      });
      this.values[c] = column;
    }
    this.capacity = this.values[0]?.length ?? rows;
    for (const [k, part] of parts.entries()) this.appendCounts(part, offsets[k]);
    this.rowCount = rows;
  }

  /** What a part after this one counted, and its texts, its rows starting at `offset`. */
  appendCounts(part, offset) {
    for (let c = 0; c < this.width; c++) {
      this.numeric[c] += part.numeric[c];
      this.text[c] += part.text[c];
      this.containsComma[c] |= part.containsComma[c];
      if (!part.texts[c]) continue;
      const texts = (this.texts[c] ??= new InternedTexts(this.capacity));
      if (texts.codes.length < offset + part.rowCount) texts.grow(offset, this.capacity);
      texts.append(part.texts[c], offset, part.rowCount);
    }
  }

  /** A column's texts by row (-1 where there is none) and the texts in order of first appearance. */
  codesOf(column) {
    const texts = this.texts[column];
    if (!texts) return { codes: new Int32Array(this.rowCount).fill(-1), dictionary: [] };
    const codes = texts.codes.subarray(0, this.rowCount);
    for (let row = 0; row < codes.length; row++) codes[row]--;
    return { codes, dictionary: texts.dictionary };
  }
}

/** The array buffers of a part, moved (not copied) when a thread sends it (values left in shared columns are not sent). */
export const transferablesOf = (part) => [...(part.values ?? []).map((v) => v.buffer), ...part.texts.filter(Boolean).map((t) => t.codes.buffer)];

/**
 * Columns in shared memory for a file cut into parts, one SharedArrayBuffer per column: part k writes its
 * rows from row `starts[k]` on (room for `capacities[k]` rows), whichever thread reads it, so joining the
 * parts moves rows within the same memory instead of copying them into new columns. Memory never written
 * (the spare rows of each guess) is never touched.
 */
export function sharedColumns(width, capacities) {
  const starts = [0];
  for (const capacity of capacities) starts.push(starts[starts.length - 1] + Math.max(1, capacity));
  const total = starts[starts.length - 1];
  return { buffers: Array.from({ length: width }, () => new SharedArrayBuffer(8 * total)), starts };
}

/** Part k's rows of shared columns. */
export const sharedPart = (shared, k) => shared.buffers.map((buffer) => new Float64Array(buffer, 8 * shared.starts[k], shared.starts[k + 1] - shared.starts[k]));

/** Fills buffer[at, at + length) from the file at `position`; answers the bytes read (fewer at its end). */
function readAt(fd, buffer, at, length, position) {
  let done = 0;
  while (done < length) {
    const read = fs.readSync(fd, buffer, at + done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

/**
 * Calls onLines(buffer, 0, end) for the bytes [from, to) of an open file, a chunk of whole lines at a time
 * through one reused buffer (a chunk is cut after its last line break; a line longer than the buffer
 * grows it); stops when onLines answers false, and answers whether it went to the end.
 */
export function forEachLines(fd, from, to, chunkBytes, onLines) {
  let buffer = Buffer.allocUnsafeSlow(Math.max(16, chunkBytes));
  let carried = 0;
  let position = from;
  for (;;) {
    const read = readAt(fd, buffer, carried, Math.min(buffer.length - carried, to - position), position);
    position += read;
    const filled = carried + read;
    const atEnd = position >= to || read === 0;
    let cut = filled;
    if (!atEnd) {
      const lastFeed = buffer.lastIndexOf(LINE_FEED, filled - 1);
      // A lone \r ends a line too, but only once the byte after it is known not to be \n.
      cut = (lastFeed >= 0 ? lastFeed : filled >= 2 ? buffer.lastIndexOf(CARRIAGE_RETURN, filled - 2) : -1) + 1;
      if (cut === 0) {
        const larger = Buffer.allocUnsafeSlow(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
        carried = filled;
        continue;
      }
    }
    if (cut > 0 && !onLines(buffer, 0, cut)) return false;
    if (atEnd) return true;
    buffer.copy(buffer, 0, cut, filled);
    carried = filled - cut;
  }
}

/**
 * Scans the rows of bytes [from, to) of a file (whole lines, after its header) as a thread's share of a
 * large file; null when they are not plain (then the whole file goes to readCsv).
 */
export function scanFileRange({ file, from, to, width, delimiter, capacity, chunkBytes, shared = null, part = 0 }) {
  const fd = fs.openSync(file, 'r');
  try {
    const scan = shared ? new PlainScan(width, shared.starts[part + 1] - shared.starts[part], delimiter, sharedPart(shared, part)) : new PlainScan(width, capacity, delimiter);
    const plain = forEachLines(fd, from, to, chunkBytes, (bytes, start, end) => isPlainAscii(bytes, start, end) && scan.scan(bytes, start, end));
    return plain ? scan.part() : null;
  } finally {
    fs.closeSync(fd);
  }
}
