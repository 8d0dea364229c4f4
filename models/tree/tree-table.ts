import type { Matrix } from '../frame';

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
 * Row numbers in three bytes rather than four (four past 16,777,216 rows): their low 16 bits and the
 * rest, read as `low[p] | (high[p] << 16)`. At 800,000 rows × 50 features, 40 MB less than Int32.
 */
export interface SortedRows {
  low: Uint16Array;
  high: Uint8Array | Uint16Array;
}

function sortedRows(count: number, rows: number): SortedRows {
  return { low: new Uint16Array(count), high: rows > 1 << 24 ? new Uint16Array(count) : new Uint8Array(count) };
}

/** order[from, to) into `into` from `offset`. */
function storeRows(order: Int32Array, from: number, to: number, into: SortedRows, offset: number): void {
  const { low, high } = into;
  for (let p = from, at = offset; p < to; p++, at++) {
    const row = order[p];
    low[at] = row;
    high[at] = row >>> 16;
  }
}

/** A feature's values in sorted order: float32 values, or codes into the feature's levels. */
export type SortedValues = Float32Array | Uint16Array;

/** Most distinct values a feature may have for its values to be kept as 16-bit codes. */
export const MAX_LEVELS = 1 << 16;

/** The value at position p of a feature's sorted values: V8 inlines it, and the branch goes the same way for a whole scan. */
export function valueAt(values: SortedValues, levels: Float32Array | null, p: number): number {
  return levels === null ? values[p] : levels[values[p]];
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

/** What one pass over a column's sort keys learnt about it. */
interface KeySummary {
  /** Key bits that differ between rows. */
  varyingBits: number;
  /** The first two distinct keys, and whether there are more. */
  firstKey: number;
  secondKey: number;
  moreThanTwo: boolean;
}

/**
 * Orders float32 columns by value, ties by row, with an LSD radix sort on the bit patterns that
 * skips digits every row shares. Small columns use 8-bit digits so the bucket table does not
 * outweigh the rows. Columns with at most two values (flags, one-hot columns) need no sort.
 */
class ColumnSorter {
  private readonly keys: Uint32Array[];
  private readonly indices: Int32Array[];
  private readonly digitBits: number;
  private readonly buckets: Int32Array;

  constructor(private readonly rows: number) {
    this.keys = [new Uint32Array(rows), new Uint32Array(rows)];
    this.indices = [new Int32Array(rows), new Int32Array(rows)];
    this.digitBits = rows < 4096 ? 8 : 11;
    this.buckets = new Int32Array(1 << this.digitBits);
  }

  /**
   * The column's most common value, its other rows in value order, and their values in the same
   * order, decoded from the sorted keys (one pass in sequence, instead of reading the column at
   * every row's place).
   */
  othersInOrder(column: Float32Array): SortedColumn {
    const keys = this.keys[0];
    const summary = fillSortKeys(new Uint32Array(column.buffer, column.byteOffset, this.rows), keys);
    if (!summary.moreThanTwo) return twoValued(column, keys, summary);
    const { order, sortedKeys } = this.radixSort(summary.varyingBits);
    const [modeStart, modeEnd] = longestRun(sortedKeys);
    const others = sortedRows(this.rows - (modeEnd - modeStart), this.rows);
    storeRows(order, 0, modeStart, others, 0);
    storeRows(order, modeEnd, this.rows, others, modeStart);
    const mode = column[order[modeStart]];
    const levelCount = countLevels(sortedKeys, 0, modeStart) + countLevels(sortedKeys, modeEnd, this.rows);
    if (levelCount <= MAX_LEVELS) return { mode, others, ...codedValues(sortedKeys, [modeStart, modeEnd], levelCount) };
    const values = new Float32Array(others.low.length);
    const bits = new Uint32Array(values.buffer);
    decodeKeys(sortedKeys, 0, modeStart, bits, 0);
    decodeKeys(sortedKeys, modeEnd, this.rows, bits, modeStart);
    return { mode, others, values, levels: null };
  }

  /** Sorts this.keys[0]; the returned arrays are reused by the next call. */
  private radixSort(varyingBits: number): { order: Int32Array; sortedKeys: Uint32Array } {
    const { keys, indices, digitBits, buckets } = this;
    fillIdentity(indices[0]);
    let current = 0;
    const mask = (1 << digitBits) - 1;
    for (let shift = 0; shift < 32; shift += digitBits) {
      if (((varyingBits >>> shift) & mask) === 0) continue; // every row has the same digit here
      countDigits(keys[current], shift, mask, buckets);
      if (!toOffsets(buckets, this.rows)) continue;
      scatterByDigit(keys[current], indices[current], keys[1 - current], indices[1 - current], shift, mask, buckets);
      current = 1 - current;
    }
    return { order: indices[current], sortedKeys: keys[current] };
  }
}

interface SortedColumn {
  mode: number;
  others: SortedRows;
  values: SortedValues;
  levels: Float32Array | null;
}

/** How many distinct keys sortedKeys[from, to) holds. */
function countLevels(sortedKeys: Uint32Array, from: number, to: number): number {
  let count = 0;
  for (let p = from; p < to; p++) if (p === from || sortedKeys[p] !== sortedKeys[p - 1]) count++;
  return count;
}

/** The sorted keys outside the mode's run [modeStart, modeEnd) as 16-bit codes into their distinct float32 values. */
function codedValues(sortedKeys: Uint32Array, [modeStart, modeEnd]: [number, number], levelCount: number): { values: Uint16Array; levels: Float32Array } {
  const codes = new Uint16Array(sortedKeys.length - (modeEnd - modeStart));
  const levels = new Float32Array(levelCount);
  const bits = new Uint32Array(levels.buffer);
  const next = codeRun(sortedKeys, 0, modeStart, codes, 0, bits, 0);
  codeRun(sortedKeys, modeEnd, sortedKeys.length, codes, modeStart, bits, next);
  return { values: codes, levels };
}

/** Codes sortedKeys[from, to) into codes from `offset`, adding each new key's float32 bits to levelBits from `level`; answers the next level. */
function codeRun(sortedKeys: Uint32Array, from: number, to: number, codes: Uint16Array, offset: number, levelBits: Uint32Array, level: number): number {
  for (let p = from; p < to; p++) {
    const key = sortedKeys[p];
    if (p === from || key !== sortedKeys[p - 1]) levelBits[level++] = key & 0x80000000 ? key ^ 0x80000000 : ~key;
    codes[offset + p - from] = level - 1;
  }
  return level;
}

/** The float32 bits of sortedKeys[from, to) into bits from `offset`: sortKey backwards. */
function decodeKeys(sortedKeys: Uint32Array, from: number, to: number, bits: Uint32Array, offset: number): void {
  for (let p = from; p < to; p++) {
    const key = sortedKeys[p];
    bits[offset + p - from] = key & 0x80000000 ? key ^ 0x80000000 : ~key;
  }
}

/** Unsigned key with the same order as the float32 whose bits are given: negatives flipped, positives above them. */
function sortKey(floatBits: number): number {
  return (floatBits & 0x80000000 ? ~floatBits : floatBits | 0x80000000) >>> 0;
}

function fillSortKeys(bits: Uint32Array, keys: Uint32Array): KeySummary {
  const firstKey = sortKey(bits[0]);
  let secondKey = firstKey;
  let moreThanTwo = false;
  let anyBits = 0;
  let allBits = -1;
  for (let i = 0; i < bits.length; i++) {
    const key = sortKey(bits[i]);
    keys[i] = key;
    anyBits |= key;
    allBits &= key;
    if (key !== firstKey && key !== secondKey) {
      if (secondKey !== firstKey) moreThanTwo = true;
      secondKey = key;
    }
  }
  return { varyingBits: anyBits ^ allBits, firstKey, secondKey, moreThanTwo };
}

function fillIdentity(indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) indices[i] = i;
}

function countDigits(keys: Uint32Array, shift: number, mask: number, buckets: Int32Array): void {
  buckets.fill(0);
  for (let i = 0; i < keys.length; i++) buckets[(keys[i] >>> shift) & mask]++;
}

/** Turns bucket counts into start offsets; false when one bucket holds every row (nothing to reorder). */
function toOffsets(buckets: Int32Array, rows: number): boolean {
  let offset = 0;
  for (let digit = 0; digit < buckets.length; digit++) {
    const count = buckets[digit];
    if (count === rows) return false;
    buckets[digit] = offset;
    offset += count;
  }
  return true;
}

function scatterByDigit(
  fromKeys: Uint32Array,
  fromIndices: Int32Array,
  toKeys: Uint32Array,
  toIndices: Int32Array,
  shift: number,
  mask: number,
  offsets: Int32Array,
): void {
  for (let i = 0; i < fromKeys.length; i++) {
    const key = fromKeys[i];
    const target = offsets[(key >>> shift) & mask]++;
    toKeys[target] = key;
    toIndices[target] = fromIndices[i];
  }
}

/** Positions [start, end) of the longest run of equal sorted keys (the first such run on a tie). */
function longestRun(sortedKeys: Uint32Array): [number, number] {
  let bestStart = 0;
  let bestLength = 0;
  let runStart = 0;
  for (let p = 1; p <= sortedKeys.length; p++) {
    if (p < sortedKeys.length && sortedKeys[p] === sortedKeys[runStart]) continue;
    if (p - runStart > bestLength) {
      bestStart = runStart;
      bestLength = p - runStart;
    }
    runStart = p;
  }
  return [bestStart, bestStart + bestLength];
}

/** othersInOrder for a column of at most two values: the minority's rows, already in row order. */
function twoValued(column: Float32Array, keys: Uint32Array, summary: KeySummary): SortedColumn {
  const { firstKey, secondKey } = summary;
  const firstCount = countKey(keys, firstKey);
  const secondCount = keys.length - firstCount;
  const firstIsMode = firstCount > secondCount || (firstCount === secondCount && firstKey < secondKey);
  const modeKey = firstIsMode ? firstKey : secondKey;
  const others = rowsWithoutKey(keys, modeKey, firstIsMode ? secondCount : firstCount);
  const count = others.low.length;
  const levels = count > 0 ? Float32Array.of(column[others.low[0] | (others.high[0] << 16)]) : new Float32Array(0);
  return { mode: column[keys.indexOf(modeKey)], others, values: new Uint16Array(count), levels };
}

function countKey(keys: Uint32Array, key: number): number {
  let count = 0;
  for (let i = 0; i < keys.length; i++) if (keys[i] === key) count++;
  return count;
}

function rowsWithoutKey(keys: Uint32Array, key: number, count: number): SortedRows {
  const rows = sortedRows(count, keys.length);
  const { low, high } = rows;
  let write = 0;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === key) continue;
    low[write] = i;
    high[write++] = i >>> 16;
  }
  return rows;
}
