/**
 * A column-oriented table of values, the common currency of preprocessing and estimators.
 * Numeric missing values are NaN; categorical missing values are null.
 */
export type ColumnType = 'number' | 'category';

export interface NumberColumn {
  name: string;
  type: 'number';
  values: Float64Array;
}

export interface CategoryColumn {
  name: string;
  type: 'category';
  values: (string | null)[];
}

export type Column = NumberColumn | CategoryColumn;

export interface Frame {
  columns: Column[];
  rowCount: number;
}

/** Row-major dense matrix of float64 values. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export function getColumn(frame: Frame, name: string): Column {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) {
    throw new Error(`Column "${name}" is not in the table (it has: ${frame.columns.map((c) => c.name).join(', ')}).`);
  }
  return column;
}

export function hasColumn(frame: Frame, name: string): boolean {
  return frame.columns.some((c) => c.name === name);
}

export function isMissing(column: Column, row: number): boolean {
  return column.type === 'number' ? Number.isNaN(column.values[row]) : column.values[row] === null;
}

export function missingCount(column: Column): number {
  let count = 0;
  for (let i = 0; i < column.values.length; i++) if (isMissing(column, i)) count++;
  return count;
}

export function takeRows(frame: Frame, rows: ArrayLike<number>): Frame {
  const columns = frame.columns.map((column): Column => {
    if (column.type === 'number') {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
      return { name: column.name, type: 'number', values };
    }
    const values = new Array<string | null>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
    return { name: column.name, type: 'category', values };
  });
  return { columns, rowCount: rows.length };
}

/** Copies the named numeric columns into a row-major matrix; refuses text and missing values. */
export function toMatrix(frame: Frame, names: string[]): Matrix {
  const rows = frame.rowCount;
  const cols = names.length;
  const data = new Float64Array(rows * cols);
  names.forEach((name, j) => {
    const column = getColumn(frame, name);
    if (column.type !== 'number') {
      throw new Error(`Column "${name}" holds text; encode it (One-hot encode) before training.`);
    }
    for (let i = 0; i < rows; i++) {
      const value = column.values[i];
      if (Number.isNaN(value)) {
        throw new Error(`Column "${name}" has missing values (first at row ${i + 1}); clean them before training.`);
      }
      data[i * cols + j] = value;
    }
  });
  return { data, rows, cols };
}

/** Distinct non-missing values of a column, sorted (numbers ascending, text alphabetically). */
export function distinctValues(column: Column): (string | number)[] {
  if (column.type === 'number') {
    const set = new Set<number>();
    for (const v of column.values) if (!Number.isNaN(v)) set.add(v);
    return [...set].sort((a, b) => a - b);
  }
  const set = new Set<string>();
  for (const v of column.values) if (v !== null) set.add(v);
  return [...set].sort();
}

/** Label of each row as text, so numeric and text targets share one code path. */
export function labelsOf(column: Column): (string | null)[] {
  if (column.type === 'category') return column.values;
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
}
