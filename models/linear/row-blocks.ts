/**
 * Reads a feature matrix a block of rows at a time, row-major, for the logistic objectives
 * (logistic-binary.ts, logistic-multinomial.ts): from the matrix's own `data` when it has no
 * columns, otherwise copied from its `columns` into a small buffer, so that a matrix over a table's
 * columns never makes its full row-major copy (400 MB at a million rows × 50). The values read are
 * the same either way, so are the products over them.
 */
import type { Matrix } from '../frame';

/** Rows per block: a block copied from the columns (BLOCK_ROWS × p values) stays in cache. */
export const BLOCK_ROWS = 64;

export interface RowBlocks {
  /** Row-major values holding the rows of the last block read (the same array every time). */
  values: Float64Array;
  /** Makes rows start..end (at most BLOCK_ROWS) readable in `values`; returns where row `start` begins there. */
  read: (start: number, end: number) => number;
}

export function rowBlocks(X: Matrix): RowBlocks {
  const { cols: p, columns } = X;
  if (!columns) {
    const values = X.data;
    return { values, read: (start) => start * p };
  }
  const buffer = new Float64Array(BLOCK_ROWS * p);
  return {
    values: buffer,
    read: (start, end) => {
      copyBlock(columns, start, end, buffer);
      return 0;
    },
  };
}

/** Rows start..end of the columns, row-major, into buffer. */
function copyBlock(columns: readonly Float64Array[], start: number, end: number, buffer: Float64Array): void {
  const p = columns.length;
  for (let j = 0; j < p; j++) {
    const column = columns[j];
    for (let i = start, at = j; i < end; i++, at += p) buffer[at] = column[i];
  }
}
