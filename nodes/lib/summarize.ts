import { categoryCounts, type Column, type Frame } from '../../models/frame';
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
