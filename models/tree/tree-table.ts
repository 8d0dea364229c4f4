import type { Matrix } from '../frame';
import { ColumnSorter, type SortedRows, type SortedValues } from './tree-sort';

/**
 * What a decision tree trains on: the target, with totals over a node's rows, and the features
 * laid out for split search.
 *
 * Every feature column is sorted once, up front, instead of at every node. Rows holding a
 * column's most common value (the 0 of a one-hot column, say) are left out of its sorted list:
 * the split search accounts for them as one block, so scanning and partitioning a column costs
 * time in proportion to its other rows only.
 *
 * Hot loops live in small functions of their own: V8 then optimises each with complete type
 * feedback instead of compiling a half-run function mid-loop and throwing the code away later,
 * which matters because a tree is often fitted once in a fresh process.
 */

export type Criterion = 'gini' | 'entropy' | 'squared_error';

/** What the tree predicts. */
export interface TreeTarget {
  criterion: Criterion;
  /** Number of classes; 1 for regression. */
  width: number;
  /** Class index per row (classification). */
  labels: Int32Array;
  classWeights: Float64Array;
  /**
   * Per-row number summed during scans: y for regression, the class index for two classes (one
   * byte a row: scans read it at every row's place, and a small array stays in cache at millions
   * of rows).
   */
  scalar: Float64Array | Uint8Array | null;
}

/** Totals over the rows of one node. */
export interface NodeStats {
  samples: number;
  /** Sum of row weights (equal to samples for regression). */
  weight: number;
  /** Classification: weighted count per class. Regression: [Σ y]. */
  sums: Float64Array;
  /** Classification: unweighted count per class. */
  counts: Int32Array;
  /** Regression only: Σ y². */
  sumOfSquares: number;
}

export function emptyStats(width: number): NodeStats {
  return { samples: 0, weight: 0, sums: new Float64Array(width), counts: new Int32Array(width), sumOfSquares: 0 };
}

/** Totals over workspace rows [start, end). */
export function nodeStats(rows: Int32Array, target: TreeTarget, start: number, end: number, out: NodeStats): NodeStats {
  out.sums.fill(0);
  out.counts.fill(0);
  out.samples = end - start;
  out.sumOfSquares = 0;
  if (target.criterion === 'squared_error') addValues(rows, target.scalar as Float64Array, start, end, out);
  else out.weight = addClasses(rows, target, start, end, out);
  return out;
}

function addValues(rows: Int32Array, values: Float64Array, start: number, end: number, out: NodeStats): void {
  let [sum, sumOfSquares] = [0, 0];
  for (let p = start; p < end; p++) {
    const y = values[rows[p]];
    sum += y;
    sumOfSquares += y * y;
  }
  out.sums[0] = sum;
  out.sumOfSquares = sumOfSquares;
  out.weight = end - start;
}

function addClasses(rows: Int32Array, target: TreeTarget, start: number, end: number, out: NodeStats): number {
  const { labels, classWeights } = target;
  let weight = 0;
  for (let p = start; p < end; p++) {
    const label = labels[rows[p]];
    out.sums[label] += classWeights[label];
    out.counts[label]++;
    weight += classWeights[label];
  }
  return weight;
}

/** Gini index, entropy in bits, or variance; the same arithmetic as scikit-learn's criteria. */
export function impurityOf(stats: NodeStats, criterion: Criterion): number {
  const { sums, weight } = stats;
  if (criterion === 'squared_error') {
    const mean = sums[0] / weight;
    return stats.sumOfSquares / weight - mean * mean;
  }
  if (criterion === 'gini') return 1 - sumOfSquares(sums) / (weight * weight);
  let entropy = 0;
  for (let k = 0; k < sums.length; k++) entropy -= entropyTerm(sums[k] / weight);
  return entropy;
}

/** p·log₂p, taken as 0 for an empty class. */
export function entropyTerm(share: number): number {
  return share > 0 ? share * (Math.log(share) / Math.LN2) : 0;
}

export function sumOfSquares(values: Float64Array): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k] * values[k];
  return total;
}

export interface SortedTable {
  rows: number;
  cols: number;
  /** Each feature's most common value (the lowest of equally common ones), rounded to float32. */
  modes: Float32Array;
  /** Per feature, the rows whose value differs from the mode, in value order (ties by row). */
  orders: SortedRows[];
  /**
   * Per feature, those rows' values, rounded to float32 as scikit-learn stores tree inputs. Kept
   * in step with `orders` so that scans read them in sequence rather than all over a column.
   * A feature with at most 65,536 distinct values keeps them as 16-bit codes into `levels` (half
   * the memory: at 800,000 rows × 50 columns of prices, counts or rounded measurements, 80 MB
   * less); one with more keeps the float32 values themselves (codes and levels would take more).
   */
  values: SortedValues[];
  /** Per feature, its distinct values in ascending order when `values` holds codes into them; otherwise null. */
  levels: (Float32Array | null)[];
}

/**
 * Columns copied out of the row-major float64 matrix per pass: eight values fill one 64-byte cache
 * line, so a pass uses every line it loads instead of one value in eight.
 */
const COLUMN_BLOCK = 8;

/** Rounds to float32 and sorts every column; rejects values a tree cannot compare. */
export function buildSortedTable(X: Matrix, featureNames: string[]): SortedTable {
  const { rows, cols } = X;
  checkFinite(X, featureNames);
  const modes = new Float32Array(cols);
  const sorter = new ColumnSorter(rows);
  const orders: SortedRows[] = [];
  const values: SortedValues[] = [];
  const levels: (Float32Array | null)[] = [];
  // A block of columns at a time: a float32 copy of the whole table beside the sorted one would add a third to the peak memory.
  // Columns given as columns are copied one at a time (a block only saves passes over a row-major matrix).
  const blockSize = X.columns ? 1 : COLUMN_BLOCK;
  const block = Array.from({ length: Math.min(blockSize, cols) }, () => new Float32Array(rows));
  for (let first = 0; first < cols; first += blockSize) {
    const count = Math.min(blockSize, cols - first);
    toFloat32Columns(X, first, count, block);
    for (let c = 0; c < count; c++) {
      const sorted = sorter.othersInOrder(block[c]);
      modes[first + c] = sorted.mode;
      orders.push(sorted.others);
      values.push(sorted.values);
      levels.push(sorted.levels);
    }
  }
  return { rows, cols, modes, orders, values, levels };
}

/** Refuses the first value (in row order) a tree cannot compare: missing, infinite, or beyond float32. */
function checkFinite(X: Matrix, featureNames: string[]): void {
  if (X.columns) return checkFiniteColumns(X.columns, featureNames);
  const { data, cols } = X;
  for (let k = 0; k < data.length; k++) {
    const value = Math.fround(data[k]);
    if (value - value !== 0) throw new Error(nonFiniteMessage(featureNames[k % cols], data[k], Math.floor(k / cols)));
  }
}

/** The same check column by column: the first bad row of each column, then the first of those in row order. */
function checkFiniteColumns(columns: readonly Float64Array[], featureNames: string[]): void {
  let row = Infinity;
  let column = -1;
  for (let j = 0; j < columns.length; j++) {
    const values = columns[j];
    // A later column only matters if it goes wrong in an earlier row.
    const end = Math.min(row, values.length);
    for (let i = 0; i < end; i++) {
      const value = Math.fround(values[i]);
      if (value - value !== 0) {
        row = i;
        column = j;
        break;
      }
    }
  }
  if (column >= 0) throw new Error(nonFiniteMessage(featureNames[column], columns[column][row], row));
}

/** Columns [first, first + count) into block[0 .. count), rounded to float32, one row at a time. */
function toFloat32Columns(X: Matrix, first: number, count: number, block: Float32Array[]): void {
  // A matrix made from columns is read column by column: its row-major copy is never made.
  if (count === COLUMN_BLOCK && !X.columns) {
    toFloat32Eight(X, first, block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7]);
    return;
  }
  for (let c = 0; c < count; c++) toFloat32Column(X, first + c, block[c]);
}

// Adding 0 turns -0 into +0 so both zeros share one sort key.
function toFloat32Eight(
  X: Matrix,
  first: number,
  c0: Float32Array,
  c1: Float32Array,
  c2: Float32Array,
  c3: Float32Array,
  c4: Float32Array,
  c5: Float32Array,
  c6: Float32Array,
  c7: Float32Array,
): void {
  const { rows, cols, data } = X;
  for (let i = 0, at = first; i < rows; i++, at += cols) {
    c0[i] = Math.fround(data[at]) + 0;
    c1[i] = Math.fround(data[at + 1]) + 0;
    c2[i] = Math.fround(data[at + 2]) + 0;
    c3[i] = Math.fround(data[at + 3]) + 0;
    c4[i] = Math.fround(data[at + 4]) + 0;
    c5[i] = Math.fround(data[at + 5]) + 0;
    c6[i] = Math.fround(data[at + 6]) + 0;
    c7[i] = Math.fround(data[at + 7]) + 0;
  }
}

function toFloat32Column(X: Matrix, j: number, column: Float32Array): void {
  const { rows } = X;
  if (X.columns) {
    const values = X.columns[j];
    for (let i = 0; i < rows; i++) column[i] = Math.fround(values[i]) + 0;
    return;
  }
  const { cols, data } = X;
  for (let i = 0; i < rows; i++) column[i] = Math.fround(data[i * cols + j]) + 0;
}

function nonFiniteMessage(name: string, value: number, row: number): string {
  const problem = Number.isFinite(value) ? `a value too large for a decision tree (${value})` : 'a missing or infinite value';
  return `Feature "${name}" has ${problem} at row ${row + 1}; fill or remove it before training.`;
}
