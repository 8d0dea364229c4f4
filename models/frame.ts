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
  /** The text of each row, null when missing. Equal texts should share one string (categoryColumn does). */
  values: (string | null)[];
}

/**
 * A text column dictionary-encoded: `codes[row]` indexes `dictionary`, -1 when the row is missing.
 * The dictionary may hold texts no row uses (a subset of rows keeps its table's dictionary).
 */
export interface CategoryCodes {
  codes: Int32Array;
  dictionary: string[];
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
  /**
   * The same values column by column, when the matrix was made from a table's columns (shared, not
   * copied). Whoever reads a column at a time (a decision tree, column means) uses them, and `data`
   * is only copied from them the first time something reads it.
   */
  readonly columns?: readonly Float64Array[];
}

/**
 * A matrix over existing columns: `data` is interleaved from them on first read. At a million rows
 * and 50 columns the row-major copy is 400 MB, which a model that goes column by column never needs.
 */
export function columnsMatrix(
  columns: readonly Float64Array[],
  rows: number,
  rowMajor: () => Float64Array = () => interleaveColumns(columns, rows),
): Matrix {
  let data: Float64Array | undefined;
  return {
    rows,
    cols: columns.length,
    columns,
    get data() {
      return (data ??= rowMajor());
    },
  };
}

/**
 * Copies row i into out (length cols), from the columns when the matrix has them, so that a pass
 * over some or all rows does not make the row-major copy.
 */
export function readRow(X: Matrix, i: number, out: Float64Array): Float64Array {
  const { columns, cols } = X;
  if (columns) {
    for (let j = 0; j < cols; j++) out[j] = columns[j][i];
  } else {
    const data = X.data;
    for (let j = 0, at = i * cols; j < cols; j++, at++) out[j] = data[at];
  }
  return out;
}

/** Columns as one row-major array. */
export function interleaveColumns(columns: readonly Float64Array[], rows: number): Float64Array {
  const cols = columns.length;
  const data = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const values = columns[j];
    for (let i = 0; i < rows; i++) data[i * cols + j] = values[i];
  }
  return data;
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
    const { codes, dictionary } = categoryCodes(column);
    const taken = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) taken[i] = codes[rows[i]];
    return categoryColumn(column.name, taken, dictionary);
  });
  return { columns, rowCount: rows.length };
}

/**
 * The rows of each part (a split's train and test rows, say) as tables of their own, made one column at a
 * time. `columns` is emptied as it goes: when the caller holds a table's columns only through this list,
 * each column can be collected once its rows are copied, so the table and all of its parts are never held
 * at once (at a million rows × 50 that is 400 MB less at a split's peak). Columns something else still
 * holds are copied all the same.
 */
export function takeRowsReleasing(columns: (Column | undefined)[], parts: ArrayLike<number>[]): Frame[] {
  const taken = parts.map((): Column[] => []);
  for (let j = 0; j < columns.length; j++) {
    const one: Frame = { columns: [columns[j]!], rowCount: columns[j]!.values.length };
    columns[j] = undefined;
    parts.forEach((rows, part) => taken[part].push(takeRows(one, rows).columns[0]));
  }
  return parts.map((rows, part) => ({ columns: taken[part], rowCount: rows.length }));
}

// ---- dictionary-encoded text columns ----
// Text columns carry their rows as strings (values), and their codes on demand: computed once per
// column, or handed over by whoever built the column from codes (the kept columns file, the CSV reader,
// takeRows). Loops over many rows (one-hot, class indices, summaries, profiles) read the codes: an
// Int32Array lookup per row instead of hashing a string.

const encodings = new WeakMap<CategoryColumn, CategoryCodes>();

/** A text column from codes into a dictionary (-1: missing); its rows share the dictionary's strings. */
export function categoryColumn(name: string, codes: Int32Array, dictionary: string[]): CategoryColumn {
  const values = new Array<string | null>(codes.length);
  for (let row = 0; row < codes.length; row++) values[row] = codes[row] < 0 ? null : (dictionary[codes[row]] ?? null);
  const column: CategoryColumn = { name, type: 'category', values };
  encodings.set(column, { codes, dictionary });
  return column;
}

/** The column's codes and dictionary (texts in order of first appearance), computed once per column. */
export function categoryCodes(column: CategoryColumn): CategoryCodes {
  const known = encodings.get(column);
  if (known) return known;
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(column.values.length);
  for (let row = 0; row < codes.length; row++) {
    const value = column.values[row];
    if (value === null) {
      codes[row] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      index.set(value, (code = dictionary.length));
      dictionary.push(value);
    }
    codes[row] = code;
  }
  const encoding = { codes, dictionary };
  encodings.set(column, encoding);
  return encoding;
}

/** How many rows use each entry of the dictionary, and how many are missing. */
export function categoryCounts(column: CategoryColumn): { counts: Float64Array; missing: number; dictionary: string[] } {
  const { codes, dictionary } = categoryCodes(column);
  const counts = new Float64Array(dictionary.length);
  let missing = 0;
  for (let row = 0; row < codes.length; row++) {
    const code = codes[row];
    if (code < 0) missing++;
    else counts[code]++;
  }
  return { counts, missing, dictionary };
}

/**
 * The named numeric columns as a matrix (its row-major copy made when first read, see columnsMatrix);
 * refuses text and missing values.
 */
export function toMatrix(frame: Frame, names: string[]): Matrix {
  const rows = frame.rowCount;
  const columns = names.map((name) => {
    const column = getColumn(frame, name);
    if (column.type !== 'number') {
      throw new Error(`Column "${name}" holds text; encode it (One-hot encode) before training.`);
    }
    const values = column.values;
    for (let i = 0; i < rows; i++) {
      if (Number.isNaN(values[i])) {
        throw new Error(`Column "${name}" has missing values (first at row ${i + 1}); clean them before training.`);
      }
    }
    return values.length === rows ? values : values.subarray(0, rows);
  });
  return columnsMatrix(columns, rows);
}

/** Distinct non-missing values of a column, sorted (numbers ascending, text alphabetically). */
export function distinctValues(column: Column): (string | number)[] {
  if (column.type === 'number') {
    const set = new Set<number>();
    for (const v of column.values) if (!Number.isNaN(v)) set.add(v);
    return [...set].sort((a, b) => a - b);
  }
  const { counts, dictionary } = categoryCounts(column);
  return dictionary.filter((_, code) => counts[code] > 0).sort();
}

/** Label of each row as text, so numeric and text targets share one code path. */
export function labelsOf(column: Column): (string | null)[] {
  if (column.type === 'category') return column.values;
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
}
