import type { Matrix } from '../frame';

/** A matrix over separate columns whose row-major copy throws when read: a fit over it proves it never makes that copy. */
export function columnsOnlyMatrix(columns: Float64Array[], rows: number): Matrix {
  return {
    rows,
    cols: columns.length,
    columns,
    get data(): Float64Array {
      throw new Error('The row-major copy was made.');
    },
  };
}
