import type { Matrix } from './frame';

/**
 * Split search for CART trees, following scikit-learn's BestSplitter: every feature is tried,
 * thresholds sit halfway between consecutive distinct values, and the split with the largest
 * weighted impurity decrease wins.
 *
 * Instead of re-sorting each node's rows per feature as scikit-learn does, every column is
 * sorted once. Rows holding a column's most common value (the 0 of a one-hot column, say) are
 * left out of its sorted list and accounted for as one block, so scanning and splitting a
 * column costs time in proportion to its other rows only.
 */

/** scikit-learn treats values closer than this as equal: no threshold is placed between them. */
const FEATURE_TOLERANCE = 1e-7;

export type Criterion = 'gini' | 'entropy' | 'squared_error';

/** Training features laid out for split search. */
export interface SortedTable {
  rows: number;
  cols: number;
  /** Column-major values rounded to float32, as scikit-learn stores tree inputs: feature j at [j·rows, (j+1)·rows). */
  columns: Float32Array;
  /** Each feature's most common value. */
  modes: Float32Array;
  /** Per feature, the rows whose value differs from the mode; each node's slice is kept sorted by value. */
  orders: Int32Array[];
}

/** What the tree predicts. */
export interface TreeTarget {
  criterion: Criterion;
  /** Number of classes; 1 for regression. */
  width: number;
  /** Class index per row (classification). */
  labels: Int32Array;
  classWeights: Float64Array;
  /** Per-row number summed during scans: y for regression, the class index for two classes. */
  scalar: Float64Array | null;
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

export interface Split {
  feature: number;
  threshold: number;
}

/** Rows per block when transposing, so a block's source rows stay in cache while each column is written. */
const TRANSPOSE_BLOCK = 256;

/** Rounds to float32 and sorts every column; rejects values a tree cannot compare. */
export function buildSortedTable(X: Matrix, featureNames: string[]): SortedTable {
  const { rows, cols, data } = X;
  const columns = new Float32Array(rows * cols);
  for (let blockStart = 0; blockStart < rows; blockStart += TRANSPOSE_BLOCK) {
    const blockEnd = Math.min(rows, blockStart + TRANSPOSE_BLOCK);
    for (let j = 0; j < cols; j++) {
      for (let i = blockStart; i < blockEnd; i++) {
        // Adding 0 turns -0 into +0 so both zeros share one sort key.
        const value = Math.fround(data[i * cols + j]) + 0;
        if (value - value !== 0) throw new Error(nonFiniteMessage(featureNames[j], data[i * cols + j], i));
        columns[j * rows + i] = value;
      }
    }
  }
  const modes = new Float32Array(cols);
  const sorter = new ColumnSorter(rows);
  const orders = Array.from({ length: cols }, (_, j) => {
    const column = columns.subarray(j * rows, (j + 1) * rows);
    const { order, keys } = sorter.sort(column);
    const [modeStart, modeEnd] = longestRun(keys);
    modes[j] = column[order[modeStart]];
    const others = new Int32Array(rows - (modeEnd - modeStart));
    others.set(order.subarray(0, modeStart));
    others.set(order.subarray(modeEnd), modeStart);
    return others;
  });
  return { rows, cols, columns, modes, orders };
}

function nonFiniteMessage(name: string, value: number, row: number): string {
  const problem = Number.isFinite(value) ? `a value too large for a decision tree (${value})` : 'a missing or infinite value';
  return `Feature "${name}" has ${problem} at row ${row + 1}; fill or remove it before training.`;
}

/** Positions [start, end) of the longest run of equal sort keys (equal keys mean equal values). */
function longestRun(sortedKeys: Uint32Array): [number, number] {
  let [bestStart, bestEnd] = [0, 0];
  let runStart = 0;
  for (let p = 1; p <= sortedKeys.length; p++) {
    if (p < sortedKeys.length && sortedKeys[p] === sortedKeys[runStart]) continue;
    if (p - runStart > bestEnd - bestStart) [bestStart, bestEnd] = [runStart, p];
    runStart = p;
  }
  return [bestStart, bestEnd];
}

/**
 * Row order of a float32 column by LSD radix sort on its bit patterns. It is stable, so equal
 * values keep row order, and passes on a digit every row shares (common for 0/1 columns) are
 * skipped. Small columns use 8-bit digits so the bucket table does not outweigh the rows.
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

  /** Sorted row indices and their keys; both arrays are reused by the next call. */
  sort(column: Float32Array): { order: Int32Array; keys: Uint32Array } {
    const { rows, keys, indices, digitBits, buckets } = this;
    const bits = new Uint32Array(column.buffer, column.byteOffset, rows);
    for (let i = 0; i < rows; i++) {
      const b = bits[i];
      // Flip so unsigned order equals numeric order: negatives reversed, positives above them.
      keys[0][i] = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
      indices[0][i] = i;
    }
    let current = 0;
    const mask = (1 << digitBits) - 1;
    for (let shift = 0; shift < 32; shift += digitBits) {
      const [fromKeys, toKeys, fromIndices, toIndices] = [keys[current], keys[1 - current], indices[current], indices[1 - current]];
      buckets.fill(0);
      for (let i = 0; i < rows; i++) buckets[(fromKeys[i] >>> shift) & mask]++;
      if (!toOffsets(buckets, rows)) continue;
      for (let i = 0; i < rows; i++) {
        const key = fromKeys[i];
        const target = buckets[(key >>> shift) & mask]++;
        toKeys[target] = key;
        toIndices[target] = fromIndices[i];
      }
      current = 1 - current;
    }
    return { order: indices[current], keys: keys[current] };
  }
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

export function emptyStats(width: number): NodeStats {
  return { samples: 0, weight: 0, sums: new Float64Array(width), counts: new Int32Array(width), sumOfSquares: 0 };
}

/** Totals over rows[start, end). */
export function nodeStats(rows: Int32Array, target: TreeTarget, start: number, end: number, out: NodeStats): NodeStats {
  out.sums.fill(0);
  out.counts.fill(0);
  let weight = 0;
  let sumOfSquares = 0;
  if (target.criterion === 'squared_error') {
    const values = target.scalar!;
    let sum = 0;
    for (let p = start; p < end; p++) {
      const y = values[rows[p]];
      sum += y;
      sumOfSquares += y * y;
    }
    out.sums[0] = sum;
    weight = end - start;
  } else {
    const { labels, classWeights } = target;
    for (let p = start; p < end; p++) {
      const label = labels[rows[p]];
      out.sums[label] += classWeights[label];
      out.counts[label]++;
      weight += classWeights[label];
    }
  }
  out.samples = end - start;
  out.weight = weight;
  out.sumOfSquares = sumOfSquares;
  return out;
}

/** Stats of the rows in `whole` but not in `part` (a node's right child given its left). */
export function subtractStats(whole: NodeStats, part: NodeStats, out: NodeStats): NodeStats {
  for (let k = 0; k < whole.sums.length; k++) {
    out.sums[k] = whole.sums[k] - part.sums[k];
    out.counts[k] = whole.counts[k] - part.counts[k];
  }
  out.samples = whole.samples - part.samples;
  out.weight = whole.weight - part.weight;
  out.sumOfSquares = whole.sumOfSquares - part.sumOfSquares;
  return out;
}

/** Gini index, entropy in bits, or variance; the same arithmetic as scikit-learn's criteria. */
export function impurityOf(stats: NodeStats, criterion: Criterion): number {
  const { sums, weight } = stats;
  if (criterion === 'squared_error') {
    const mean = sums[0] / weight;
    return stats.sumOfSquares / weight - mean * mean;
  }
  if (criterion === 'gini') {
    let squares = 0;
    for (let k = 0; k < sums.length; k++) squares += sums[k] * sums[k];
    return 1 - squares / (weight * weight);
  }
  let entropy = 0;
  for (let k = 0; k < sums.length; k++) entropy -= entropyTerm(sums[k] / weight);
  return entropy;
}

/** p·log₂p, taken as 0 for an empty class. */
function entropyTerm(share: number): number {
  return share > 0 ? share * (Math.log(share) / Math.LN2) : 0;
}

/** A node during training: its rows, and for each feature where its slice of the sorted list lies. */
export interface NodeRows {
  start: number;
  end: number;
  /** Feature j's slice is [slices[2j], slices[2j+1]) of orders[j]. */
  slices: Int32Array;
}

/** Reusable buffers for split search and partitioning, sized once per fit. */
export class SplitWorkspace {
  /** Every row index, each node's rows contiguous. */
  readonly rows: Int32Array;
  readonly goesLeft: Uint8Array;
  readonly spareRows: Int32Array;
  readonly modeCounts: Int32Array;
  readonly leftSums: Float64Array;
  readonly rightSums: Float64Array;

  constructor(rowCount: number, width: number) {
    this.rows = Int32Array.from({ length: rowCount }, (_, i) => i);
    this.goesLeft = new Uint8Array(rowCount);
    this.spareRows = new Int32Array(rowCount);
    this.modeCounts = new Int32Array(width);
    this.leftSums = new Float64Array(width);
    this.rightSums = new Float64Array(width);
  }
}

export function rootRows(table: SortedTable): NodeRows {
  const slices = new Int32Array(2 * table.cols);
  table.orders.forEach((order, j) => (slices[2 * j + 1] = order.length));
  return { start: 0, end: table.rows, slices };
}

interface SearchState {
  table: SortedTable;
  target: TreeTarget;
  totals: NodeStats;
  minSamplesLeaf: number;
  workspace: SplitWorkspace;
  best: Split & { score: number };
}

/**
 * Best split of `node` over `features`, or null when no feature can split it. Also returns the
 * features that vary within the node: a constant feature stays constant in every descendant, so
 * children never need to look at it again.
 */
export function findBestSplit(
  table: SortedTable,
  target: TreeTarget,
  node: NodeRows,
  features: Int32Array,
  totals: NodeStats,
  minSamplesLeaf: number,
  workspace: SplitWorkspace,
): { split: Split | null; varyingFeatures: Int32Array } {
  const best = { feature: -1, threshold: 0, score: -Infinity };
  const state: SearchState = { table, target, totals, minSamplesLeaf, workspace, best };
  const { columns, rows } = table;
  const varying: number[] = [];
  for (let f = 0; f < features.length; f++) {
    const feature = features[f];
    const [from, to] = [node.slices[2 * feature], node.slices[2 * feature + 1]];
    if (from === to) continue; // every row holds the mode
    const order = table.orders[feature];
    let lowest = columns[feature * rows + order[from]];
    let highest = columns[feature * rows + order[to - 1]];
    if (to - from < totals.samples) {
      lowest = Math.min(lowest, table.modes[feature]);
      highest = Math.max(highest, table.modes[feature]);
    }
    if (highest <= lowest + FEATURE_TOLERANCE) continue;
    varying.push(feature);
    if (target.scalar) scanScalarFeature(state, feature, from, to);
    else scanClassFeature(state, feature, from, to);
  }
  const split = best.feature < 0 ? null : { feature: best.feature, threshold: best.threshold };
  return { split, varyingFeatures: Int32Array.from(varying) };
}

/** First position in order[from, to) whose value exceeds `value` (the slice is sorted). */
function firstAbove(table: SortedTable, feature: number, from: number, to: number, value: number): number {
  const { columns } = table;
  const order = table.orders[feature];
  const base = feature * table.rows;
  let [low, high] = [from, to];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (columns[base + order[middle]] > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Walks the node's rows in feature order, the rows holding the mode entering as one block at
 * their place, and scores each boundary between distinct values with the left child's running
 * total of the per-row scalar (y, or class 1 membership).
 */
function scanScalarFeature(state: SearchState, feature: number, from: number, to: number): void {
  const { table, totals, minSamplesLeaf } = state;
  const scalar = state.target.scalar!;
  const { columns } = table;
  const order = table.orders[feature];
  const base = feature * table.rows;
  const samples = totals.samples;
  const mode = table.modes[feature];
  const modeCount = samples - (to - from);
  let modeSum = 0;
  let modeAt = to;
  if (modeCount > 0) {
    let otherSum = 0;
    for (let p = from; p < to; p++) otherSum += scalar[order[p]];
    modeSum = (state.target.criterion === 'squared_error' ? totals.sums[0] : totals.counts[1]) - otherSum;
    modeAt = firstAbove(table, feature, from, to, mode);
  }
  let leftCount = 0;
  let leftSum = 0;
  let previous = -Infinity;
  let p = from;
  for (let phase = 0; phase < 2; phase++) {
    const stop = phase === 0 ? modeAt : to;
    for (; p < stop; p++) {
      const row = order[p];
      const value = columns[base + row];
      if (value > previous + FEATURE_TOLERANCE && leftCount >= minSamplesLeaf) {
        if (samples - leftCount < minSamplesLeaf) return;
        scoreScalarBoundary(state, feature, leftCount, leftSum, previous, value);
      }
      leftCount++;
      leftSum += scalar[row];
      previous = value;
    }
    if (phase === 0 && modeCount > 0) {
      if (mode > previous + FEATURE_TOLERANCE && leftCount >= minSamplesLeaf) {
        if (samples - leftCount < minSamplesLeaf) return;
        scoreScalarBoundary(state, feature, leftCount, leftSum, previous, mode);
      }
      leftCount += modeCount;
      leftSum += modeSum;
      previous = mode;
    }
  }
}

function scoreScalarBoundary(state: SearchState, feature: number, leftCount: number, leftSum: number, below: number, above: number): void {
  const { totals, target } = state;
  if (target.criterion === 'squared_error') {
    // Σ_L²/n_L + Σ_R²/n_R orders splits exactly as the decrease in squared error does.
    const rightSum = totals.sums[0] - leftSum;
    const score = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / (totals.samples - leftCount);
    offer(state.best, score, feature, below, above);
    return;
  }
  const { leftSums } = state.workspace;
  leftSums[0] = (leftCount - leftSum) * target.classWeights[0];
  leftSums[1] = leftSum * target.classWeights[1];
  scoreClassBoundary(state, feature, below, above);
}

/**
 * scanScalarFeature for three or more classes: per-class running weights instead of one total.
 * For gini the sums of squared class weights are updated per row too, so scoring a boundary
 * does not loop over the classes (with unit weights the sums are exact integers, identical to
 * recomputing them).
 */
function scanClassFeature(state: SearchState, feature: number, from: number, to: number): void {
  const { table, totals, minSamplesLeaf, workspace } = state;
  const { labels, classWeights } = state.target;
  const gini = state.target.criterion === 'gini';
  const { modeCounts, leftSums, rightSums } = workspace;
  const { columns } = table;
  const order = table.orders[feature];
  const base = feature * table.rows;
  const samples = totals.samples;
  const mode = table.modes[feature];
  const modeCount = samples - (to - from);
  if (modeCount > 0) {
    modeCounts.set(totals.counts);
    for (let p = from; p < to; p++) modeCounts[labels[order[p]]]--;
  }
  const modeAt = modeCount > 0 ? firstAbove(table, feature, from, to, mode) : to;
  leftSums.fill(0);
  rightSums.set(totals.sums);
  let [leftSquares, rightSquares] = [0, sumOfSquares(rightSums)];
  let leftWeight = 0;
  let leftCount = 0;
  let previous = -Infinity;
  let p = from;
  for (let phase = 0; phase < 2; phase++) {
    const stop = phase === 0 ? modeAt : to;
    for (; p < stop; p++) {
      const row = order[p];
      const value = columns[base + row];
      if (value > previous + FEATURE_TOLERANCE && leftCount >= minSamplesLeaf) {
        if (samples - leftCount < minSamplesLeaf) return;
        if (gini) offerGini(state, feature, leftWeight, leftSquares, rightSquares, previous, value);
        else scoreClassBoundary(state, feature, previous, value);
      }
      const label = labels[row];
      const w = classWeights[label];
      const [left, right] = [leftSums[label], rightSums[label]];
      leftSquares += w * (2 * left + w);
      rightSquares -= w * (2 * right - w);
      leftSums[label] = left + w;
      rightSums[label] = right - w;
      leftWeight += w;
      leftCount++;
      previous = value;
    }
    if (phase === 0 && modeCount > 0) {
      if (mode > previous + FEATURE_TOLERANCE && leftCount >= minSamplesLeaf) {
        if (samples - leftCount < minSamplesLeaf) return;
        if (gini) offerGini(state, feature, leftWeight, leftSquares, rightSquares, previous, mode);
        else scoreClassBoundary(state, feature, previous, mode);
      }
      for (let k = 0; k < leftSums.length; k++) {
        leftSums[k] += modeCounts[k] * classWeights[k];
        rightSums[k] = totals.sums[k] - leftSums[k];
      }
      [leftSquares, rightSquares] = [sumOfSquares(leftSums), sumOfSquares(rightSums)];
      leftWeight = leftSums.reduce((sum, v) => sum + v, 0);
      leftCount += modeCount;
      previous = mode;
    }
  }
}

function sumOfSquares(values: Float64Array): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k] * values[k];
  return total;
}

/** scikit-learn's gini proxy −w_R·(1 − Σ_R²/w_R²) − w_L·(1 − Σ_L²/w_L²), from running sums of squares. */
function offerGini(state: SearchState, feature: number, leftWeight: number, leftSquares: number, rightSquares: number, below: number, above: number): void {
  const rightWeight = state.totals.weight - leftWeight;
  const score =
    -rightWeight * (1 - rightSquares / (rightWeight * rightWeight)) - leftWeight * (1 - leftSquares / (leftWeight * leftWeight));
  offer(state.best, score, feature, below, above);
}

/** Scores a boundary by scikit-learn's proxy −(w_R·impurity_R + w_L·impurity_L), given the left child's weighted counts. */
function scoreClassBoundary(state: SearchState, feature: number, below: number, above: number): void {
  const { totals } = state;
  const { leftSums } = state.workspace;
  const classCount = leftSums.length;
  let leftWeight = 0;
  for (let k = 0; k < classCount; k++) leftWeight += leftSums[k];
  const rightWeight = totals.weight - leftWeight;
  let leftImpurity = 0;
  let rightImpurity = 0;
  if (state.target.criterion === 'entropy') {
    for (let k = 0; k < classCount; k++) {
      leftImpurity -= entropyTerm(leftSums[k] / leftWeight);
      rightImpurity -= entropyTerm((totals.sums[k] - leftSums[k]) / rightWeight);
    }
  } else {
    let leftSquares = 0;
    let rightSquares = 0;
    for (let k = 0; k < classCount; k++) {
      const rightCount = totals.sums[k] - leftSums[k];
      leftSquares += leftSums[k] * leftSums[k];
      rightSquares += rightCount * rightCount;
    }
    leftImpurity = 1 - leftSquares / (leftWeight * leftWeight);
    rightImpurity = 1 - rightSquares / (rightWeight * rightWeight);
  }
  offer(state.best, -rightWeight * rightImpurity - leftWeight * leftImpurity, feature, below, above);
}

/** Records a candidate if it beats the best so far; ties keep the earlier one, as scikit-learn does. */
function offer(best: SearchState['best'], score: number, feature: number, below: number, above: number): void {
  if (!(score > best.score)) return;
  // Halves first so the sum cannot overflow; if rounding lands on the upper value, use the lower.
  let threshold = below / 2 + above / 2;
  if (threshold === above || !Number.isFinite(threshold)) threshold = below;
  best.score = score;
  best.feature = feature;
  best.threshold = threshold;
}

/**
 * Sends the node's rows with x[feature] ≤ threshold left, keeping the order within each side.
 * The children's feature slices are filled in by partitionSlices, when they will be searched.
 */
export function partitionRows(table: SortedTable, node: NodeRows, split: Split, workspace: SplitWorkspace): [NodeRows, NodeRows] {
  const { rows, goesLeft } = workspace;
  const { columns } = table;
  const base = split.feature * table.rows;
  for (let p = node.start; p < node.end; p++) goesLeft[rows[p]] = columns[base + rows[p]] <= split.threshold ? 1 : 0;
  const middle = node.start + stablePartition(rows, node.start, node.end, workspace);
  return [
    { start: node.start, end: middle, slices: new Int32Array(node.slices.length) },
    { start: middle, end: node.end, slices: new Int32Array(node.slices.length) },
  ];
}

/** Splits each feature's sorted slice the way partitionRows split the rows (it must run first). */
export function partitionSlices(table: SortedTable, node: NodeRows, children: [NodeRows, NodeRows], features: Int32Array, workspace: SplitWorkspace): void {
  const [left, right] = children;
  for (let f = 0; f < features.length; f++) {
    const feature = features[f];
    const [from, to] = [node.slices[2 * feature], node.slices[2 * feature + 1]];
    const leftEnd = from + stablePartition(table.orders[feature], from, to, workspace);
    left.slices[2 * feature] = from;
    left.slices[2 * feature + 1] = leftEnd;
    right.slices[2 * feature] = leftEnd;
    right.slices[2 * feature + 1] = to;
  }
}

/** Moves the rows of list[from, to) marked in goesLeft to the front, order kept; returns how many. */
function stablePartition(list: Int32Array, from: number, to: number, workspace: SplitWorkspace): number {
  const { goesLeft, spareRows } = workspace;
  let write = from;
  let rightCount = 0;
  for (let p = from; p < to; p++) {
    // Branch-free: which side a row goes to is unpredictable, so write both and advance one.
    const row = list[p];
    const left = goesLeft[row];
    list[write] = row;
    spareRows[rightCount] = row;
    write += left;
    rightCount += 1 - left;
  }
  list.set(spareRows.subarray(0, rightCount), write);
  return write - from;
}
