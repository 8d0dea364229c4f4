/**
 * A centre per column for the logistic-regression products: the value most rows hold (0 for a
 * blank pixel or an unset one-hot column, 1 for a level nearly every row has). Products over
 * x − centre can skip every value equal to its centre; columns with no repeated value keep 0.
 */
import { readRow, type Matrix } from '../frame';

/** Rows sampled to find each column's most frequent value. */
const SAMPLE_ROWS = 256;

export interface ColumnCentres {
  centres: Float64Array;
  /** Share of the sampled values that differ from their column's centre. */
  differingShare: number;
}

/** Each column's most frequent value among evenly spaced rows (0 when no sampled value repeats). */
export function sampledCentres(X: Matrix): ColumnCentres {
  const { rows: n, cols: p } = X;
  const sample = Math.min(n, SAMPLE_ROWS);
  const rows = new Float64Array(sample * p);
  for (let s = 0; s < sample; s++) readRow(X, Math.floor((s * n) / sample), rows.subarray(s * p, (s + 1) * p));
  const centres = new Float64Array(p);
  const column = new Float64Array(sample);
  let differing = 0;
  for (let j = 0; j < p; j++) {
    for (let s = 0; s < sample; s++) column[s] = rows[s * p + j];
    // Sorted, equal values sit together: the longest run is the most frequent value.
    column.sort();
    let best = 0;
    let bestCount = 1;
    for (let s = 1, run = 1; s < sample; s++) {
      run = column[s] === column[s - 1] ? run + 1 : 1;
      if (run > bestCount) {
        best = column[s];
        bestCount = run;
      }
    }
    centres[j] = best;
    for (let s = 0; s < sample; s++) if (column[s] !== best) differing++;
  }
  return { centres, differingShare: sample * p > 0 ? differing / (sample * p) : 0 };
}
