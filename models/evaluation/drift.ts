/**
 * Drift statistics: how far the rows a model scores today have moved from the rows it learned from.
 * Population stability index (PSI) on binned shares, as Evidently computes it, and the two-sample
 * Kolmogorov–Smirnov statistic with its asymptotic p-value, as scipy's ks_2samp reports it.
 */

/** Shares of zero would make PSI infinite; Evidently replaces them with this before taking logarithms. */
export const PSI_EPSILON = 0.0001;

export type DriftLevel = 'stable' | 'moderate' | 'major';

/** PSI below 0.1 is read as stable, 0.1 to 0.25 as a moderate shift, above 0.25 as a major one. */
export function driftLevel(psi: number): DriftLevel {
  if (psi < 0.1) return 'stable';
  return psi <= 0.25 ? 'moderate' : 'major';
}

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, c) => sum + c, 0);
  return counts.map((c) => (total > 0 && c > 0 ? c / total : PSI_EPSILON));
}

/** PSI of two histograms on the same bins: Σ (current% − reference%) · ln(current% / reference%). */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length) throw new Error(`PSI needs the same bins on both sides (${reference.length} vs ${current.length}).`);
  const expected = shares(reference);
  const actual = shares(current);
  let psi = 0;
  for (let i = 0; i < expected.length; i++) psi += (actual[i] - expected[i]) * Math.log(actual[i] / expected[i]);
  return psi;
}

/** The q-quantile of sorted values with linear interpolation (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Inner bin edges at the training deciles (or another number of equal-count bins), duplicates removed,
 * so that a column with many equal values still gets bins that each hold something.
 */
export function quantileEdges(values: ArrayLike<number>, bins = 10): number[] {
  return quantileEdgesOfFinite(finiteValues(values), bins);
}

/** The finite values, in a typed array (no boxed copy: tables reach millions of rows). */
export function finiteValues(values: ArrayLike<number>): Float64Array {
  const finite = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isFinite(value)) finite[count++] = value;
  }
  return finite.subarray(0, count);
}

/**
 * quantileEdges of finite values, reordering them in place. Only the ranks the deciles read are put in
 * their sorted places (a partial quickselect): several times faster than sorting a million values.
 */
export function quantileEdgesOfFinite(finite: Float64Array, bins = 10): number[] {
  if (finite.length === 0) return [];
  const last = finite.length - 1;
  const ranks = new Set<number>();
  for (let i = 1; i < bins; i++) {
    const below = Math.floor(last * (i / bins));
    ranks.add(below).add(Math.min(below + 1, last));
  }
  selectRanks(finite, [...ranks].sort((a, b) => a - b));
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = quantileSorted(finite, i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

/** Reorders `values` so that each of `ranks` (ascending) holds the value a full sort would put there. */
export function selectRanks(values: Float64Array, ranks: readonly number[]): void {
  const pending: [number, number, number, number][] = [[0, values.length - 1, 0, ranks.length]];
  while (pending.length > 0) {
    const [low, high, firstRank, endRank] = pending.pop()!;
    if (firstRank >= endRank || low >= high) continue;
    if (high - low < 24) {
      values.subarray(low, high + 1).sort();
      continue;
    }
    const split = partition(values, low, high);
    let rank = firstRank;
    while (rank < endRank && ranks[rank] <= split) rank++;
    pending.push([low, split, firstRank, rank], [split + 1, high, rank, endRank]);
  }
}

/** Hoare partition around the median of three: answers j with values[low..j] ≤ values[j+1..high], low ≤ j < high. */
function partition(values: Float64Array, low: number, high: number): number {
  const middle = (low + high) >>> 1;
  const [a, b, c] = [values[low], values[middle], values[high]];
  const medianAt = (a <= b) === (b <= c) ? middle : (b <= a) === (a <= c) ? low : high;
  const pivot = values[medianAt];
  values[medianAt] = values[low];
  values[low] = pivot;
  let i = low - 1;
  let j = high + 1;
  for (;;) {
    do i++;
    while (values[i] < pivot);
    do j--;
    while (values[j] > pivot);
    if (i >= j) return j;
    const swap = values[i];
    values[i] = values[j];
    values[j] = swap;
  }
}

/** Bins are (−∞, e₀], (e₀, e₁], …, (eₖ, ∞): the index is the number of edges below the value. */
export function binIndex(edges: readonly number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (edges[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function histogram(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) counts[binIndex(edges, values[i])]++;
  return counts;
}

export interface KsResult {
  statistic: number;
  pValue: number;
}

/** P(K > x) for the Kolmogorov distribution (scipy.stats.kstwobign.sf). */
export function kolmogorovSurvival(x: number): number {
  if (x <= 0) return 1;
  if (x < 0.2) return 1; // the series converges slowly here and the value rounds to 1
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function ksPValue(statistic: number, n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  return kolmogorovSurvival(statistic * Math.sqrt((n * m) / (n + m)));
}

/** The largest gap between the two samples' empirical distribution functions (scipy's ks_2samp statistic). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = Float64Array.from(Array.from(a).filter(Number.isFinite)).sort();
  const y = Float64Array.from(Array.from(b).filter(Number.isFinite)).sort();
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === value) i++;
    while (j < y.length && y[j] === value) j++;
    statistic = Math.max(statistic, Math.abs(i / x.length - j / y.length));
  }
  return { statistic, pValue: ksPValue(statistic, x.length, y.length) };
}

/**
 * The KS statistic read from two histograms on the same bins: the gap between their cumulative shares
 * at each bin edge. Binning can hide a gap inside a bin, so this is never above the exact figure.
 */
export function ksFromHistograms(reference: readonly number[], current: readonly number[]): KsResult {
  const n = reference.reduce((s, c) => s + c, 0);
  const m = current.reduce((s, c) => s + c, 0);
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
  let cumulativeReference = 0;
  let cumulativeCurrent = 0;
  let statistic = 0;
  for (let i = 0; i < reference.length; i++) {
    cumulativeReference += reference[i];
    cumulativeCurrent += current[i];
    statistic = Math.max(statistic, Math.abs(cumulativeReference / n - cumulativeCurrent / m));
  }
  return { statistic, pValue: ksPValue(statistic, n, m) };
}

/**
 * The median read from a histogram on the given inner edges, interpolating inside the bin that holds it;
 * the two open bins are closed by the lowest and highest values seen.
 */
export function histogramMedian(edges: readonly number[], counts: readonly number[], min: number, max: number): number {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return NaN;
  const half = total / 2;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    if (below + counts[i] >= half && counts[i] > 0) {
      const low = i === 0 ? Math.min(min, edges[0] ?? min) : edges[i - 1];
      const high = i === edges.length ? Math.max(max, edges[edges.length - 1] ?? max) : edges[i];
      return low + ((half - below) / counts[i]) * (high - low);
    }
    below += counts[i];
  }
  return max;
}
