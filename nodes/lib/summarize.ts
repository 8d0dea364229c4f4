import { categoryCodes, categoryCounts, type CategoryColumn, type Column, type Frame } from '../../models/frame';
import type { ColumnSummary, TablePreview } from '../preview';

/** Number columns count their different values up to this many (enough to recognise a 0/1 answer). */
export const FEW_DISTINCT_NUMBERS = 20;

export function summarizeColumns(frame: Frame): ColumnSummary[] {
  return frame.columns.map(summarizeColumn);
}

export function summarizeColumn(column: Column): ColumnSummary {
  if (column.type === 'category') {
    const { counts, missing } = categoryCounts(column);
    const distinct = counts.reduce((sum, count) => sum + (count > 0 ? 1 : 0), 0);
    return { name: column.name, type: 'category', missing, distinct };
  }
  let missing = 0;
  const few = new Set<number>();
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const values = column.values;
  // An indexed loop, and the set of distinct values left alone once it is past the few we count:
  // this runs over every value of million-row tables.
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) {
      missing++;
      continue;
    }
    if (few.size <= FEW_DISTINCT_NUMBERS && !few.has(value)) few.add(value);
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  const present = column.values.length - missing;
  // An all-missing column has no statistics; leaving them out keeps the preview valid JSON.
  if (present === 0) return { name: column.name, type: 'number', missing };
  const summary: ColumnSummary = { name: column.name, type: 'number', missing, min, max, mean: sum / present };
  if (few.size <= FEW_DISTINCT_NUMBERS) summary.distinct = few.size;
  return summary;
}

export function tablePreview(frame: Frame, target: string | null, maxRows = 20, notes?: string[]): TablePreview {
  return previewFromParts({ rowCount: frame.rowCount, columns: summarizeColumns(frame), firstRows: frame, target }, maxRows, notes);
}

/**
 * A table's preview from its parts: the column summaries over all its rows and a frame starting with its
 * first rows. A table read a block at a time is summarised without ever being held whole.
 */
export function previewFromParts(
  parts: { rowCount: number; columns: ColumnSummary[]; firstRows: Frame; target: string | null },
  maxRows = 20,
  notes?: string[],
): TablePreview {
  const { firstRows } = parts;
  const shown = Math.min(firstRows.rowCount, Math.max(0, maxRows));
  const rows: (string | number | null)[][] = [];
  for (let row = 0; row < shown; row++) {
    rows.push(firstRows.columns.map((c) => (c.type === 'number' ? numberOrNull(c.values[row]) : c.values[row])));
  }
  const preview: TablePreview = { kind: 'table', rowCount: parts.rowCount, columns: parts.columns, rows, target: parts.target };
  if (notes && notes.length > 0) preview.notes = notes;
  return preview;
}

function numberOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Different texts a tally counts in a column not read from a file's dictionary; past it, the count is left out. */
export const TALLIED_TEXTS = 10_000;

/**
 * The summary of one column, added up a block of rows at a time: the same figures summarizeColumn gives
 * for the whole column (the mean may differ in its last digits when the blocks come in another order).
 * Text columns that share one dictionary (those read from a kept columns file) count their different
 * texts by code, with memory the size of that dictionary; other texts (a prediction, reasons) are counted
 * up to TALLIED_TEXTS, so a column of a million different sentences is not held to be counted.
 */
export class ColumnTally {
  private missing = 0;
  private few = new Set<number>();
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private rows = 0;
  private dictionary: string[] | null = null;
  private seenCodes: Uint8Array | null = null;
  private texts: Set<string> | null = new Set<string>();

  constructor(
    readonly name: string,
    readonly type: 'number' | 'category',
  ) {}

  add(column: Column): void {
    this.rows += column.values.length;
    if (column.type === 'number') this.addNumbers(column.values);
    else this.addTexts(column);
  }

  /** Adds `count` rows that are all missing. */
  addMissing(count: number): void {
    this.rows += count;
    this.missing += count;
  }

  summary(): ColumnSummary {
    if (this.type === 'category') {
      const distinct = this.seenCodes ? this.seenCodes.reduce((sum, seen) => sum + seen, 0) + (this.texts?.size ?? 0) : this.texts?.size;
      const summary: ColumnSummary = { name: this.name, type: 'category', missing: this.missing };
      if (distinct !== undefined && this.texts) summary.distinct = distinct;
      return summary;
    }
    const present = this.rows - this.missing;
    if (present === 0) return { name: this.name, type: 'number', missing: this.missing };
    const summary: ColumnSummary = { name: this.name, type: 'number', missing: this.missing, min: this.min, max: this.max, mean: this.sum / present };
    if (this.few.size <= FEW_DISTINCT_NUMBERS) summary.distinct = this.few.size;
    return summary;
  }

  private addNumbers(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value !== value) {
        this.missing++;
        continue;
      }
      if (this.few.size <= FEW_DISTINCT_NUMBERS && !this.few.has(value)) this.few.add(value);
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
      this.sum += value;
    }
  }

  private addTexts(column: CategoryColumn): void {
    const { codes, dictionary } = categoryCodes(column);
    // A dictionary larger than the block is a file's, shared by every block read from it.
    if (this.seenCodes === null && this.texts?.size === 0 && dictionary.length > codes.length) {
      this.dictionary = dictionary;
      this.seenCodes = new Uint8Array(dictionary.length);
    }
    if (dictionary === this.dictionary && this.seenCodes) {
      for (let row = 0; row < codes.length; row++) {
        if (codes[row] < 0) this.missing++;
        else this.seenCodes[codes[row]] = 1;
      }
      return;
    }
    for (const value of column.values) {
      if (value === null) this.missing++;
      else if (this.texts && !this.texts.has(value)) {
        this.texts.add(value);
        if (this.texts.size > TALLIED_TEXTS) this.texts = null;
      }
    }
  }
}
