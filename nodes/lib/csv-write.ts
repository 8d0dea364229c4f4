import type { Frame } from '../../models/frame';

/**
 * Every CSV the product writes goes through `csvCell`, so that a text cell from an uploaded table
 * (a customer's name, a category) cannot run as a formula when the file is opened in a spreadsheet.
 */

/** OWASP "CSV injection": a cell starting with one of these is read as a formula (or splits into one). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^ | $/;

export type CsvValue = string | number | null;

/** Text that would start a formula gets a leading `'`, which spreadsheets show as text. */
export function escapeFormulaText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One RFC 4180 field. Only text is escaped: a number such as -3.5 stays a number, while the text
 * "-1+2" or "=1+1" becomes "'-1+2" / "'=1+1". Escaped cells are always quoted, as OWASP recommends.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  const text = escapeFormulaText(value);
  return text !== value || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header (escaped like any text) and rows as CSV text, lines separated by "\n". */
export function rowsToCsv(header: string[], rows: Iterable<CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return lines.join('\n');
}

/** A frame as CSV text, for downloads: numeric columns as numbers (missing ones empty), text escaped. */
export function frameToCsv(frame: Frame): string {
  return rowsToCsv(frame.columns.map((c) => c.name), frameRows(frame));
}

function* frameRows(frame: Frame): Generator<CsvValue[]> {
  for (let row = 0; row < frame.rowCount; row++) yield frame.columns.map((column) => column.values[row]);
}

/**
 * The same text as frameToCsv, a block of rows at a time, for a store that writes pieces as they come:
 * a scored list of a million rows is then never one string.
 */
export function* frameToCsvPieces(frame: Frame, rowsPerPiece = 5000): Generator<string> {
  yield frame.columns.map((c) => csvCell(c.name)).join(',');
  for (let start = 0; start < frame.rowCount; start += rowsPerPiece) {
    let text = '';
    for (let row = start; row < Math.min(frame.rowCount, start + rowsPerPiece); row++) {
      text += `\n${csvRow(frame, row)}`;
    }
    yield text;
  }
}

/** One row of a frame as a CSV line (no line break), cells written as every download writes them. */
export function csvRow(frame: Frame, row: number): string {
  const { columns } = frame;
  let line = columns.length ? csvCell(columns[0].values[row]) : '';
  for (let c = 1; c < columns.length; c++) line += `,${csvCell(columns[c].values[row])}`;
  return line;
}
