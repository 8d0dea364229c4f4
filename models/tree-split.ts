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
  readonly seenSums: Float64Array;
  readonly unseenSums: Float64Array;

  constructor(rowCount: number, width: number) {
    this.rows = Int32Array.from({ length: rowCount }, (_, i) => i);
    this.goesLeft = new Uint8Array(rowCount);
    this.spareRows = new Int32Array(rowCount);
    this.modeCounts = new Int32Array(width);
    this.leftSums = new Float64Array(width);
    this.seenSums = new Float64Array(width);
    this.unseenSums = new Float64Array(width);
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
    const walk = planWalk(state, feature, from, to);
    if (target.scalar) scanScalarFeature(state, walk);
    else scanClassFeature(state, walk);
  }
  const split = best.feature < 0 ? null : { feature: best.feature, threshold: best.threshold };
  return { split, varyingFeatures: Int32Array.from(varying) };
}

/**
 * How a feature's rows are visited. Rows holding the mode form one block at their place in value
 * order. Walking toward that block leaves it for last, where its totals are simply whatever the
 * node has not seen yet; only a mode strictly inside the value range needs its totals counted.
 */
interface Walk {
  feature: number;
  /** Slice positions in visiting order: first, and one past the last. */
  first: number;
  end: number;
  /** Descending value order (the mode is the lowest value). */
  reverse: boolean;
  modeCount: number;
  /** Slice position before which the mode block enters, when it lies inside; otherwise −1. */
  modeInsideAt: number;
}

function planWalk(state: SearchState, feature: number, from: number, to: number): Walk {
  const modeCount = state.totals.samples - (to - from);
  const modeAt = modeCount > 0 ? firstAbove(state.table, feature, from, to, state.table.modes[feature]) : to;
  const reverse = modeCount > 0 && modeAt === from;
  const modeInsideAt = modeCount > 0 && modeAt > from && modeAt < to ? modeAt : -1;
  return { feature, first: reverse ? to - 1 : from, end: reverse ? from - 1 : to, reverse, modeCount, modeInsideAt };
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

/** scikit-learn's test for a threshold between consecutive sorted values. */
function isGap(previous: number, value: number, reverse: boolean): boolean {
  return reverse ? previous > value + FEATURE_TOLERANCE : value > previous + FEATURE_TOLERANCE;
}

/**
 * Visits the node's rows in value order, keeping the running total of the per-row scalar (y,
 * or class-1 membership) on the visited side, and scores each boundary between distinct values.
 */
function scanScalarFeature(state: SearchState, walk: Walk): void {
  const { table, totals, minSamplesLeaf } = state;
  const { feature, reverse, modeCount, modeInsideAt } = walk;
  const scalar = state.target.scalar!;
  const { columns } = table;
  const order = table.orders[feature];
  const base = feature * table.rows;
  const samples = totals.samples;
  const mode = table.modes[feature];
  const step = reverse ? -1 : 1;
  let modeSum = 0;
  if (modeInsideAt >= 0) {
    let otherSum = 0;
    for (let p = walk.first; p !== walk.end; p += step) otherSum += scalar[order[p]];
    modeSum = scalarTotal(state) - otherSum;
  }
  let seenCount = 0;
  let seenSum = 0;
  let previous = reverse ? Infinity : -Infinity;
  let p = walk.first;
  for (let phase = 0; phase < 2; phase++) {
    const stop = phase === 0 && modeInsideAt >= 0 ? modeInsideAt : walk.end;
    for (; p !== stop; p += step) {
      const row = order[p];
      const value = columns[base + row];
      if (isGap(previous, value, reverse) && seenCount >= minSamplesLeaf) {
        if (samples - seenCount < minSamplesLeaf) return;
        scoreScalarBoundary(state, walk, seenCount, seenSum, previous, value);
      }
      seenCount++;
      seenSum += scalar[row];
      previous = value;
    }
    if (modeCount === 0 || phase === 1) return;
    if (isGap(previous, mode, reverse) && seenCount >= minSamplesLeaf) {
      if (samples - seenCount < minSamplesLeaf) return;
      scoreScalarBoundary(state, walk, seenCount, seenSum, previous, mode);
    }
    if (modeInsideAt < 0) return; // the mode block was the last of the node
    seenCount += modeCount;
    seenSum += modeSum;
    previous = mode;
  }
}

/** Σ y over the node (regression), or its count of class 1. */
function scalarTotal(state: SearchState): number {
  return state.target.criterion === 'squared_error' ? state.totals.sums[0] : state.totals.counts[1];
}

function scoreScalarBoundary(state: SearchState, walk: Walk, seenCount: number, seenSum: number, previous: number, value: number): void {
  const { totals, target } = state;
  const total = scalarTotal(state);
  const leftCount = walk.reverse ? totals.samples - seenCount : seenCount;
  const [leftSum, rightSum] = walk.reverse ? [total - seenSum, seenSum] : [seenSum, total - seenSum];
  let score: number;
  if (target.criterion === 'squared_error') {
    // Σ_L²/n_L + Σ_R²/n_R orders splits exactly as the decrease in squared error does.
    score = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / (totals.samples - leftCount);
  } else {
    const { leftSums } = state.workspace;
    leftSums[0] = (leftCount - leftSum) * target.classWeights[0];
    leftSums[1] = leftSum * target.classWeights[1];
    score = classProxy(state);
  }
  offer(state, walk, score, previous, value);
}

/**
 * scanScalarFeature for three or more classes: per-class running weights on the visited side.
 * For gini the sums of squared class weights on both sides are updated per row as well, so a
 * boundary is scored without looping over the classes (with unit weights these sums are exact
 * integers, identical to recomputing them).
 */
function scanClassFeature(state: SearchState, walk: Walk): void {
  const { table, totals, minSamplesLeaf, workspace } = state;
  const { feature, reverse, modeCount, modeInsideAt } = walk;
  const { labels, classWeights } = state.target;
  const { modeCounts, seenSums, unseenSums } = workspace;
  const { columns } = table;
  const order = table.orders[feature];
  const base = feature * table.rows;
  const samples = totals.samples;
  const mode = table.modes[feature];
  const step = reverse ? -1 : 1;
  if (modeInsideAt >= 0) {
    modeCounts.set(totals.counts);
    for (let p = walk.first; p !== walk.end; p += step) modeCounts[labels[order[p]]]--;
  }
  seenSums.fill(0);
  unseenSums.set(totals.sums);
  const squares = { seen: 0, unseen: sumOfSquares(unseenSums), seenWeight: 0 };
  let seenCount = 0;
  let previous = reverse ? Infinity : -Infinity;
  let p = walk.first;
  for (let phase = 0; phase < 2; phase++) {
    const stop = phase === 0 && modeInsideAt >= 0 ? modeInsideAt : walk.end;
    for (; p !== stop; p += step) {
      const row = order[p];
      const value = columns[base + row];
      if (isGap(previous, value, reverse) && seenCount >= minSamplesLeaf) {
        if (samples - seenCount < minSamplesLeaf) return;
        scoreCountedBoundary(state, walk, squares, previous, value);
      }
      const label = labels[row];
      const w = classWeights[label];
      const [seen, unseen] = [seenSums[label], unseenSums[label]];
      squares.seen += w * (2 * seen + w);
      squares.unseen -= w * (2 * unseen - w);
      seenSums[label] = seen + w;
      unseenSums[label] = unseen - w;
      squares.seenWeight += w;
      seenCount++;
      previous = value;
    }
    if (modeCount === 0 || phase === 1) return;
    if (isGap(previous, mode, reverse) && seenCount >= minSamplesLeaf) {
      if (samples - seenCount < minSamplesLeaf) return;
      scoreCountedBoundary(state, walk, squares, previous, mode);
    }
    if (modeInsideAt < 0) return; // the mode block was the last of the node
    for (let k = 0; k < seenSums.length; k++) {
      seenSums[k] += modeCounts[k] * classWeights[k];
      unseenSums[k] = totals.sums[k] - seenSums[k];
    }
    Object.assign(squares, { seen: sumOfSquares(seenSums), unseen: sumOfSquares(unseenSums) });
    squares.seenWeight = seenSums.reduce((sum, v) => sum + v, 0);
    seenCount += modeCount;
    previous = mode;
  }
}

interface RunningSquares {
  /** Σ_k (weight of class k)² on the visited side, and on the rest. */
  seen: number;
  unseen: number;
  seenWeight: number;
}

function scoreCountedBoundary(state: SearchState, walk: Walk, squares: RunningSquares, previous: number, value: number): void {
  const { totals, workspace } = state;
  let score: number;
  if (state.target.criterion === 'gini') {
    const unseenWeight = totals.weight - squares.seenWeight;
    const [leftWeight, rightWeight] = walk.reverse ? [unseenWeight, squares.seenWeight] : [squares.seenWeight, unseenWeight];
    const [leftSquares, rightSquares] = walk.reverse ? [squares.unseen, squares.seen] : [squares.seen, squares.unseen];
    // scikit-learn's gini proxy −w_R·(1 − Σ_R²/w_R²) − w_L·(1 − Σ_L²/w_L²).
    score = -rightWeight * (1 - rightSquares / (rightWeight * rightWeight)) - leftWeight * (1 - leftSquares / (leftWeight * leftWeight));
  } else {
    workspace.leftSums.set(walk.reverse ? workspace.unseenSums : workspace.seenSums);
    score = classProxy(state);
  }
  offer(state, walk, score, previous, value);
}

function sumOfSquares(values: Float64Array): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k] * values[k];
  return total;
}

/** scikit-learn's proxy −(w_R·impurity_R + w_L·impurity_L) from the left child's weighted class counts. */
function classProxy(state: SearchState): number {
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
  return -rightWeight * rightImpurity - leftWeight * leftImpurity;
}

/**
 * Records a candidate if it beats the best so far. On equal scores scikit-learn keeps the lower
 * threshold within a feature and the earlier feature across features; a descending walk meets
 * lower thresholds later, so there an equal score from the same feature replaces the best.
 */
function offer(state: SearchState, walk: Walk, score: number, previous: number, value: number): void {
  const { best } = state;
  const better = score > best.score || (walk.reverse && score === best.score && best.feature === walk.feature);
  if (!better) return;
  const [below, above] = walk.reverse ? [value, previous] : [previous, value];
  // Halves first so the sum cannot overflow; if rounding lands on the upper value, use the lower.
  let threshold = below / 2 + above / 2;
  if (threshold === above || !Number.isFinite(threshold)) threshold = below;
  best.score = score;
  best.feature = walk.feature;
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
