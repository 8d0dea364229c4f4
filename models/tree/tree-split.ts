import type { FeatureSampler } from './tree-sampler';
import { entropyTerm, sumOfSquares, type NodeStats, type SortedTable, type TreeTarget } from './tree-table';
import { valueAt, type SortedRows, type SortedValues } from './tree-sort';

/**
 * Split search for CART trees, following scikit-learn's BestSplitter: every feature is tried,
 * thresholds sit halfway between consecutive distinct values, and the split with the largest
 * weighted impurity decrease wins, scored with the same proxy arithmetic as scikit-learn.
 * Columns come presorted (see tree-table.ts); a node keeps, per feature, the slice of that
 * feature's sorted list holding its rows, and splitting a node partitions the slices stably.
 */

/**
 * scikit-learn treats a value as equal to the one below it when it is at most this much larger,
 * so no threshold is placed between them. Like scikit-learn, the sum is taken in float32.
 */
const FEATURE_TOLERANCE = Math.fround(1e-7);

function isWithinTolerance(lower: number, upper: number): boolean {
  return upper <= Math.fround(lower + FEATURE_TOLERANCE);
}

export interface Split {
  feature: number;
  threshold: number;
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
  readonly spareLow: Uint16Array;
  readonly spareHigh: Uint8Array | Uint16Array;
  readonly spareValues: Float32Array;
  readonly spareCodes: Uint16Array;
  readonly modeCounts: Int32Array;
  readonly leftSums: Float64Array;
  readonly seenSums: Float64Array;
  readonly unseenSums: Float64Array;

  constructor(rowCount: number, width: number) {
    this.rows = new Int32Array(rowCount);
    for (let i = 0; i < rowCount; i++) this.rows[i] = i;
    this.goesLeft = new Uint8Array(rowCount);
    this.spareRows = new Int32Array(rowCount);
    this.spareLow = new Uint16Array(rowCount);
    this.spareHigh = rowCount > 1 << 24 ? new Uint16Array(rowCount) : new Uint8Array(rowCount);
    this.spareValues = new Float32Array(rowCount);
    this.spareCodes = new Uint16Array(rowCount);
    this.modeCounts = new Int32Array(width);
    this.leftSums = new Float64Array(width);
    this.seenSums = new Float64Array(width);
    this.unseenSums = new Float64Array(width);
  }
}

export function rootRows(table: SortedTable): NodeRows {
  const slices = new Int32Array(2 * table.cols);
  table.orders.forEach((order, j) => (slices[2 * j + 1] = order.low.length));
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
 * Best split of `node`, or null when no feature can split it. Features are tried in
 * scikit-learn's order (see tree-sampler.ts) so that equally good splits are settled the same
 * way. Also returns how many features are constant in the node: they stay constant in every
 * descendant, which therefore never looks at them again.
 */
export function findBestSplit(
  table: SortedTable,
  target: TreeTarget,
  node: NodeRows,
  knownConstants: number,
  totals: NodeStats,
  minSamplesLeaf: number,
  workspace: SplitWorkspace,
  sampler: FeatureSampler,
): { split: Split | null; constantCount: number } {
  const best = { feature: -1, threshold: 0, score: -Infinity };
  const state: SearchState = { table, target, totals, minSamplesLeaf, workspace, best };
  const constantCount = sampler.visit(knownConstants, (feature) => {
    const walk = planWalk(state, feature, node.slices);
    if (!walk) return false;
    if (target.scalar) scanScalarFeature(state, walk);
    else scanClassFeature(state, walk);
    return true;
  });
  const split = best.feature < 0 ? null : { feature: best.feature, threshold: best.threshold };
  return { split, constantCount };
}

/**
 * How a feature's rows are visited. The rows holding the mode form one block at its place in
 * value order. Walking toward that block leaves it for last, where its totals are simply what
 * the node has not seen yet; only a mode strictly inside the value range needs them counted.
 */
interface Walk {
  feature: number;
  /** Slice positions in visiting order: first, and one past the last. */
  first: number;
  end: number;
  /** Descending value order (when the mode is the lowest value). */
  reverse: boolean;
  mode: number;
  modeCount: number;
  /** Slice position before which the mode block enters, when it lies inside; otherwise −1. */
  modeInsideAt: number;
}

/** The walk over a feature's rows in the node, or null when the feature is constant there. */
function planWalk(state: SearchState, feature: number, slices: Int32Array): Walk | null {
  const { table, totals } = state;
  const [from, to] = [slices[2 * feature], slices[2 * feature + 1]];
  if (from === to) return null; // every row holds the mode
  const mode = table.modes[feature];
  const modeCount = totals.samples - (to - from);
  const [values, levels] = [table.values[feature], table.levels[feature]];
  let lowest = valueAt(values, levels, from);
  let highest = valueAt(values, levels, to - 1);
  if (modeCount > 0) [lowest, highest] = [Math.min(lowest, mode), Math.max(highest, mode)];
  if (isWithinTolerance(lowest, highest)) return null;
  const modeAt = modeCount > 0 ? firstAbove(table, feature, from, to, mode) : to;
  const reverse = modeCount > 0 && modeAt === from;
  const modeInsideAt = modeCount > 0 && modeAt > from && modeAt < to ? modeAt : -1;
  return { feature, first: reverse ? to - 1 : from, end: reverse ? from - 1 : to, reverse, mode, modeCount, modeInsideAt };
}

/** First position in order[from, to) whose value exceeds `value` (the slice is sorted). */
function firstAbove(table: SortedTable, feature: number, from: number, to: number, value: number): number {
  const [values, levels] = [table.values[feature], table.levels[feature]];
  let [low, high] = [from, to];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (valueAt(values, levels, middle) > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** scikit-learn's test for room for a threshold between consecutive sorted values. */
function isGap(previous: number, value: number, reverse: boolean): boolean {
  return reverse ? !isWithinTolerance(value, previous) : !isWithinTolerance(previous, value);
}

/** Running totals on the visited side of a walk. */
interface Seen {
  count: number;
  /** Σ scalar (scalar walks) or Σ row weights (class walks). */
  sum: number;
  /** Class walks: Σ_k (weight of class k)² on the visited side and on the rest. */
  squares: number;
  unseenSquares: number;
  previous: number;
}

function startSeen(walk: Walk): Seen {
  return { count: 0, sum: 0, squares: 0, unseenSquares: 0, previous: walk.reverse ? Infinity : -Infinity };
}

/**
 * Walks a feature keeping the running total of the per-row scalar (y, or class-1 membership) on
 * the visited side, and scores each boundary between distinct values.
 */
function scanScalarFeature(state: SearchState, walk: Walk): void {
  const seen = startSeen(walk);
  const { modeInsideAt, modeCount, mode } = walk;
  if (!walkScalarRows(state, walk, walk.first, modeInsideAt >= 0 ? modeInsideAt : walk.end, seen)) return;
  if (modeCount === 0 || !considerScalarBoundary(state, walk, seen, mode) || modeInsideAt < 0) return;
  // A mode inside the range means a forward walk, over slice positions [first, end).
  const otherSum = sumOver(state.table.orders[walk.feature], state.target.scalar!, walk.first, walk.end);
  seen.count += modeCount;
  seen.sum += scalarTotal(state) - otherSum;
  seen.previous = mode;
  walkScalarRows(state, walk, modeInsideAt, walk.end, seen);
}

/** Visits slice positions [from, stop) in walk order; false once the unvisited side is too small to be a leaf. */
function walkScalarRows(state: SearchState, walk: Walk, from: number, stop: number, seen: Seen): boolean {
  const { table, minSamplesLeaf } = state;
  const scalar = state.target.scalar!;
  const { low, high } = table.orders[walk.feature];
  const [values, levels] = [table.values[walk.feature], table.levels[walk.feature]];
  const { reverse } = walk;
  const samples = state.totals.samples;
  const step = reverse ? -1 : 1;
  let { count, sum, previous } = seen;
  let bestScore = state.best.score;
  for (let p = from; p !== stop; p += step) {
    const row = low[p] | (high[p] << 16);
    const value = valueAt(values, levels, p);
    if (isGap(previous, value, reverse) && count >= minSamplesLeaf) {
      if (samples - count < minSamplesLeaf) return false;
      // Scored inline: continuous columns have a boundary at almost every row.
      const score = scalarScore(state, reverse, count, sum);
      if (score >= bestScore) bestScore = offer(state, walk, score, previous, value);
    }
    count++;
    sum += scalar[row];
    previous = value;
  }
  seen.count = count;
  seen.sum = sum;
  seen.previous = previous;
  return true;
}

function considerScalarBoundary(state: SearchState, walk: Walk, seen: Seen, value: number): boolean {
  if (!isGap(seen.previous, value, walk.reverse) || seen.count < state.minSamplesLeaf) return true;
  if (state.totals.samples - seen.count < state.minSamplesLeaf) return false;
  offer(state, walk, scalarScore(state, walk.reverse, seen.count, seen.sum), seen.previous, value);
  return true;
}

function sumOver({ low, high }: SortedRows, values: Float64Array | Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let p = from; p < to; p++) sum += values[low[p] | (high[p] << 16)];
  return sum;
}

/** Σ y over the node (regression), or its count of class 1. */
function scalarTotal(state: SearchState): number {
  return state.target.criterion === 'squared_error' ? state.totals.sums[0] : state.totals.counts[1];
}

/** The proxy score of a boundary given the visited side's row count and scalar total. */
function scalarScore(state: SearchState, reverse: boolean, seenCount: number, seenSum: number): number {
  const { totals, target } = state;
  const samples = totals.samples;
  const total = scalarTotal(state);
  const leftCount = reverse ? samples - seenCount : seenCount;
  const leftSum = reverse ? total - seenSum : seenSum;
  if (target.criterion === 'squared_error') {
    // Σ_L²/n_L + Σ_R²/n_R orders splits exactly as the decrease in squared error does.
    const rightSum = reverse ? seenSum : total - seenSum;
    return (leftSum * leftSum) / leftCount + (rightSum * rightSum) / (samples - leftCount);
  }
  const leftNegative = (leftCount - leftSum) * target.classWeights[0];
  const leftPositive = leftSum * target.classWeights[1];
  if (target.criterion === 'entropy') {
    state.workspace.leftSums[0] = leftNegative;
    state.workspace.leftSums[1] = leftPositive;
    return classProxy(state);
  }
  // classProxy's gini arithmetic, unrolled for two classes.
  const leftWeight = leftNegative + leftPositive;
  const rightWeight = totals.weight - leftWeight;
  const rightNegative = totals.sums[0] - leftNegative;
  const rightPositive = totals.sums[1] - leftPositive;
  const leftImpurity = 1 - (leftNegative * leftNegative + leftPositive * leftPositive) / (leftWeight * leftWeight);
  const rightImpurity = 1 - (rightNegative * rightNegative + rightPositive * rightPositive) / (rightWeight * rightWeight);
  return -rightWeight * rightImpurity - leftWeight * leftImpurity;
}

/**
 * scanScalarFeature for three or more classes: per-class running weights on the visited side.
 * For gini the sums of squared class weights on both sides are updated per row as well, so a
 * boundary is scored without looping over the classes (with unit weights these sums are exact
 * integers, identical to recomputing them).
 */
function scanClassFeature(state: SearchState, walk: Walk): void {
  const { totals, workspace } = state;
  const { seenSums, unseenSums, modeCounts } = workspace;
  const { modeInsideAt, modeCount, mode } = walk;
  seenSums.fill(0);
  unseenSums.set(totals.sums);
  const seen = startSeen(walk);
  seen.unseenSquares = sumOfSquares(unseenSums);
  if (!walkClassRows(state, walk, walk.first, modeInsideAt >= 0 ? modeInsideAt : walk.end, seen)) return;
  if (modeCount === 0 || !considerClassBoundary(state, walk, seen, mode) || modeInsideAt < 0) return;
  modeCounts.set(totals.counts);
  // A mode inside the range means a forward walk, over slice positions [first, end).
  subtractLabels(state.table.orders[walk.feature], state.target.labels, walk.first, walk.end, modeCounts);
  const { classWeights } = state.target;
  for (let k = 0; k < seenSums.length; k++) {
    seenSums[k] += modeCounts[k] * classWeights[k];
    unseenSums[k] = totals.sums[k] - seenSums[k];
  }
  seen.count += modeCount;
  seen.sum = seenSums.reduce((sum, v) => sum + v, 0);
  seen.squares = sumOfSquares(seenSums);
  seen.unseenSquares = sumOfSquares(unseenSums);
  seen.previous = mode;
  walkClassRows(state, walk, modeInsideAt, walk.end, seen);
}

function walkClassRows(state: SearchState, walk: Walk, from: number, stop: number, seen: Seen): boolean {
  const { table, minSamplesLeaf } = state;
  const { labels, classWeights } = state.target;
  const { seenSums, unseenSums } = state.workspace;
  const { low, high } = table.orders[walk.feature];
  const [values, levels] = [table.values[walk.feature], table.levels[walk.feature]];
  const { reverse } = walk;
  const samples = state.totals.samples;
  const step = reverse ? -1 : 1;
  let { count, sum: weight, squares, unseenSquares, previous } = seen;
  for (let p = from; p !== stop; p += step) {
    const row = low[p] | (high[p] << 16);
    const value = valueAt(values, levels, p);
    if (isGap(previous, value, reverse) && count >= minSamplesLeaf) {
      if (samples - count < minSamplesLeaf) return false;
      scoreClassBoundary(state, walk, weight, squares, unseenSquares, previous, value);
    }
    const label = labels[row];
    const w = classWeights[label];
    const inSeen = seenSums[label];
    const inUnseen = unseenSums[label];
    squares += w * (2 * inSeen + w);
    unseenSquares -= w * (2 * inUnseen - w);
    seenSums[label] = inSeen + w;
    unseenSums[label] = inUnseen - w;
    weight += w;
    count++;
    previous = value;
  }
  seen.count = count;
  seen.sum = weight;
  seen.squares = squares;
  seen.unseenSquares = unseenSquares;
  seen.previous = previous;
  return true;
}

function considerClassBoundary(state: SearchState, walk: Walk, seen: Seen, value: number): boolean {
  if (!isGap(seen.previous, value, walk.reverse) || seen.count < state.minSamplesLeaf) return true;
  if (state.totals.samples - seen.count < state.minSamplesLeaf) return false;
  scoreClassBoundary(state, walk, seen.sum, seen.squares, seen.unseenSquares, seen.previous, value);
  return true;
}

function subtractLabels({ low, high }: SortedRows, labels: Int32Array, from: number, to: number, counts: Int32Array): void {
  for (let p = from; p < to; p++) counts[labels[low[p] | (high[p] << 16)]]--;
}

/** Scores a boundary from the visited side's weight and both sides' Σ_k (weight of class k)². */
function scoreClassBoundary(
  state: SearchState,
  walk: Walk,
  seenWeight: number,
  seenSquares: number,
  unseenSquares: number,
  previous: number,
  value: number,
): void {
  const { totals, workspace } = state;
  let score: number;
  if (state.target.criterion === 'gini') {
    const unseenWeight = totals.weight - seenWeight;
    const leftWeight = walk.reverse ? unseenWeight : seenWeight;
    const rightWeight = walk.reverse ? seenWeight : unseenWeight;
    const leftSquares = walk.reverse ? unseenSquares : seenSquares;
    const rightSquares = walk.reverse ? seenSquares : unseenSquares;
    // scikit-learn's gini proxy −w_R·(1 − Σ_R²/w_R²) − w_L·(1 − Σ_L²/w_L²).
    score = -rightWeight * (1 - rightSquares / (rightWeight * rightWeight)) - leftWeight * (1 - leftSquares / (leftWeight * leftWeight));
  } else {
    workspace.leftSums.set(walk.reverse ? workspace.unseenSums : workspace.seenSums);
    score = classProxy(state);
  }
  offer(state, walk, score, previous, value);
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
    let [leftSquares, rightSquares] = [0, 0];
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
 * Records a candidate if it beats the best so far, and returns the best score. On equal scores scikit-learn keeps the lower
 * threshold within a feature and the earlier feature across features; a descending walk meets
 * lower thresholds later, so there an equal score from the same feature replaces the best.
 */
function offer(state: SearchState, walk: Walk, score: number, previous: number, value: number): number {
  const { best } = state;
  const better = score > best.score || (walk.reverse && score === best.score && best.feature === walk.feature);
  if (!better) return best.score;
  const below = walk.reverse ? value : previous;
  const above = walk.reverse ? previous : value;
  // Halves first so the sum cannot overflow; if rounding lands on the upper value, use the lower.
  let threshold = below / 2 + above / 2;
  if (threshold === above || !Number.isFinite(threshold)) threshold = below;
  best.score = score;
  best.feature = walk.feature;
  best.threshold = threshold;
  return score;
}

/**
 * Sends the node's rows with x[feature] ≤ threshold left, keeping the order within each side.
 * The children's feature slices are filled in by partitionSlices, when they will be searched.
 */
export function partitionRows(table: SortedTable, node: NodeRows, split: Split, workspace: SplitWorkspace): [NodeRows, NodeRows] {
  const { feature, threshold } = split;
  const { rows, goesLeft } = workspace;
  // Rows holding the feature's mode are not listed in its slice: mark every row as the mode goes, then the others.
  markRows(rows, node.start, node.end, table.modes[feature] <= threshold ? 1 : 0, goesLeft);
  const [from, to] = [node.slices[2 * feature], node.slices[2 * feature + 1]];
  markByValue(table.orders[feature], table.values[feature], table.levels[feature], from, to, threshold, goesLeft);
  const middle = node.start + stablePartition(rows, node.start, node.end, workspace);
  return [
    { start: node.start, end: middle, slices: NO_SLICES },
    { start: middle, end: node.end, slices: NO_SLICES },
  ];
}

/** Slices of a node that will not be searched. */
const NO_SLICES = new Int32Array(0);

function markRows(rows: Int32Array, start: number, end: number, side: number, goesLeft: Uint8Array): void {
  for (let p = start; p < end; p++) goesLeft[rows[p]] = side;
}

function markByValue(
  { low, high }: SortedRows,
  values: SortedValues,
  levels: Float32Array | null,
  from: number,
  to: number,
  threshold: number,
  goesLeft: Uint8Array,
): void {
  for (let p = from; p < to; p++) goesLeft[low[p] | (high[p] << 16)] = valueAt(values, levels, p) <= threshold ? 1 : 0;
}

/** Splits each feature's sorted slice the way partitionRows split the rows (it must run first). */
export function partitionSlices(table: SortedTable, node: NodeRows, children: [NodeRows, NodeRows], features: Int32Array, workspace: SplitWorkspace): void {
  const [left, right] = children;
  left.slices = new Int32Array(node.slices.length);
  right.slices = new Int32Array(node.slices.length);
  for (let f = 0; f < features.length; f++) {
    const feature = features[f];
    const [from, to] = [node.slices[2 * feature], node.slices[2 * feature + 1]];
    const [order, values] = [table.orders[feature], table.values[feature]];
    // Values move with their rows, through a spare array of their own type.
    const spare = table.levels[feature] === null ? workspace.spareValues : workspace.spareCodes;
    const leftCount = moveLeftEntriesForward(order, values, from, to, workspace, spare);
    copyBack(workspace, spare, order, values, from + leftCount, to - from - leftCount);
    left.slices[2 * feature] = from;
    left.slices[2 * feature + 1] = from + leftCount;
    right.slices[2 * feature] = from + leftCount;
    right.slices[2 * feature + 1] = to;
  }
}

/** Moves the rows of list[from, to) marked in goesLeft to the front, order kept; returns how many. */
function stablePartition(list: Int32Array, from: number, to: number, workspace: SplitWorkspace): number {
  const leftCount = moveLeftRowsForward(list, from, to, workspace.goesLeft, workspace.spareRows);
  copyRows(workspace.spareRows, list, from + leftCount, to - from - leftCount);
  return leftCount;
}

/** The loop of stablePartition, kept apart so the code after it never runs without type feedback. */
function moveLeftRowsForward(list: Int32Array, from: number, to: number, goesLeft: Uint8Array, rightRows: Int32Array): number {
  let leftCount = 0;
  let rightCount = 0;
  for (let p = from; p < to; p++) {
    // Branch-free: which side a row goes to is unpredictable, so write both and advance one.
    const row = list[p];
    const left = goesLeft[row];
    list[from + leftCount] = row;
    rightRows[rightCount] = row;
    leftCount += left;
    rightCount += 1 - left;
  }
  return leftCount;
}

/** source[0, count) into target from `offset`; a loop, as views for set() would cost an allocation per call. */
function copyRows(source: Int32Array, target: Int32Array, offset: number, count: number): void {
  for (let i = 0; i < count; i++) target[offset + i] = source[i];
}

/** moveLeftRowsForward for a feature slice, whose values move with its rows. */
function moveLeftEntriesForward(order: SortedRows, values: SortedValues, from: number, to: number, workspace: SplitWorkspace, spareValues: SortedValues): number {
  const { low, high } = order;
  const { goesLeft, spareLow, spareHigh } = workspace;
  let leftCount = 0;
  let rightCount = 0;
  for (let p = from; p < to; p++) {
    const rowLow = low[p];
    const rowHigh = high[p];
    const value = values[p];
    const left = goesLeft[rowLow | (rowHigh << 16)];
    low[from + leftCount] = rowLow;
    high[from + leftCount] = rowHigh;
    values[from + leftCount] = value;
    spareLow[rightCount] = rowLow;
    spareHigh[rightCount] = rowHigh;
    spareValues[rightCount] = value;
    leftCount += left;
    rightCount += 1 - left;
  }
  return leftCount;
}

function copyBack(workspace: SplitWorkspace, spareValues: SortedValues, order: SortedRows, values: SortedValues, offset: number, count: number): void {
  const { spareLow, spareHigh } = workspace;
  const { low, high } = order;
  for (let i = 0; i < count; i++) {
    low[offset + i] = spareLow[i];
    high[offset + i] = spareHigh[i];
    values[offset + i] = spareValues[i];
  }
}
