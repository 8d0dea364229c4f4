import { featureNamesOf, type FitOptions } from '../estimator';
import type { Matrix } from '../frame';
import { assertFiniteFeatures, standardizationMoments, type ColumnMoments } from '../linalg';
import { seededRandom } from '../split';

/**
 * Univariate feature scoring and SelectKBest, like scikit-learn's feature_selection module:
 * - 'anova': f_classif, the one-way ANOVA F of each feature across the classes;
 * - 'fRegression': f_regression, the F test of each feature's correlation with a numeric target;
 * - 'mutualInfo': mutual_info_classif, the k-nearest-neighbour estimate of mutual information
 *   between each (continuous) feature and the class.
 * Constant columns score 0 (scikit-learn gives NaN for f_classif and mutual information of them
 * is 0 anyway), with p-value 1.
 */
export type ScoreFunction = 'anova' | 'mutualInfo' | 'fRegression';

export interface FeatureScores {
  scores: number[];
  /** null for mutual information, which has no test behind it. */
  pValues: number[] | null;
  /** Columns that hold one value only; they score 0. */
  constant: boolean[];
}

// scikit-learn reports a perfect separation or correlation as the largest finite float rather than
// Infinity, which also keeps the scores JSON-safe.
const PERFECT_SCORE = Number.MAX_VALUE;
const MUTUAL_INFO_NEIGHBOURS = 3;

export function scoreFeatures(
  X: Matrix,
  y: Int32Array | Float64Array,
  fn: ScoreFunction,
  nClasses?: number,
): FeatureScores {
  if (y.length !== X.rows) throw new Error(`Got ${y.length} target values for ${X.rows} rows.`);
  assertFiniteFeatures(X, Array.from({ length: X.cols }, (_, j) => `column ${j + 1}`));
  const moments = standardizationMoments(X);
  const { constant } = moments;
  if (fn === 'fRegression') return { ...fRegression(X, y, moments), constant };
  const classes = classIndex(y, nClasses);
  if (fn === 'anova') return { ...anovaF(X, classes, moments), constant };
  if (fn === 'mutualInfo') return { scores: mutualInformation(X, classes, moments), pValues: null, constant };
  throw new Error(`Unknown score function "${fn as string}".`);
}

export interface SelectKBestParams {
  k: number;
  score: ScoreFunction;
}

export interface FeatureRank {
  feature: string;
  score: number;
  pValue: number | null;
  kept: boolean;
  /** Why a score means little, e.g. "constant column". */
  note?: string;
}

export interface SelectKBestJSON {
  params: SelectKBestParams;
  featureNames: string[];
  scores: number[];
  pValues: number[] | null;
  constant: boolean[];
  kept: boolean[];
}

export class SelectKBest {
  private readonly params: SelectKBestParams;
  private fitted: Omit<SelectKBestJSON, 'params'> | null = null;

  constructor(params: SelectKBestParams) {
    if (!(Number.isInteger(params.k) && params.k >= 1)) {
      throw new Error(`The number of features to keep must be a whole number of at least 1 (got ${params.k}).`);
    }
    this.params = { k: params.k, score: params.score };
  }

  /** Uses `featureNames` and, for class scores, `classCount` (without it any class numbers are accepted). */
  fit(X: Matrix, y: Int32Array | Float64Array, options: FitOptions = {}): this {
    const featureNames = featureNamesOf(X, options);
    if (featureNames.length !== X.cols) {
      throw new Error(`Got ${featureNames.length} feature names for ${X.cols} columns.`);
    }
    assertFiniteFeatures(X, featureNames);
    if (this.params.k > X.cols) {
      throw new Error(`Asked to keep ${this.params.k} features, but there are only ${X.cols}.`);
    }
    const { scores, pValues, constant } = scoreFeatures(X, y, this.params.score, options.classCount);
    // Same pick as scikit-learn: the last k of a stable ascending sort, so among equal scores
    // the later columns win.
    const ascending = scores.map((_, j) => j).sort((a, b) => scores[a] - scores[b] || a - b);
    const kept = scores.map(() => false);
    for (const j of ascending.slice(ascending.length - this.params.k)) kept[j] = true;
    this.fitted = { featureNames: featureNames.slice(), scores, pValues, constant, kept };
    return this;
  }

  /** Kept feature names, in their original column order. */
  get selected(): string[] {
    const { featureNames, kept } = this.requireFitted();
    return featureNames.filter((_, j) => kept[j]);
  }

  /** Every feature with its score, best first. */
  get ranking(): FeatureRank[] {
    const { featureNames, scores, pValues, constant, kept } = this.requireFitted();
    const order = featureNames.map((_, j) => j);
    order.sort((a, b) => scores[b] - scores[a] || Number(kept[b]) - Number(kept[a]) || a - b);
    return order.map((j) => ({
      feature: featureNames[j],
      score: scores[j],
      pValue: pValues ? pValues[j] : null,
      kept: kept[j],
      ...(constant[j] ? { note: 'constant column' } : {}),
    }));
  }

  toJSON(): SelectKBestJSON {
    return structuredClone({ params: this.params, ...this.requireFitted() });
  }

  static fromJSON(json: SelectKBestJSON): SelectKBest {
    const selector = new SelectKBest(json.params);
    const { params: _params, ...fitted } = structuredClone(json);
    selector.fitted = fitted;
    return selector;
  }

  private requireFitted(): Omit<SelectKBestJSON, 'params'> {
    if (!this.fitted) throw new Error('Feature selection is not fitted yet.');
    return this.fitted;
  }
}

// ---- F tests ----

interface ClassIndex {
  /** Dense class number per row, 0 … count − 1 over the classes present. */
  codes: Int32Array;
  sizes: number[];
}

function classIndex(y: Int32Array | Float64Array, nClasses?: number): ClassIndex {
  const present = new Map<number, number>();
  for (const label of y) {
    if (!Number.isInteger(label) || label < 0 || (nClasses !== undefined && label >= nClasses)) {
      const range = nClasses ? ` from 0 to ${nClasses - 1}` : '';
      throw new Error(`Class labels must be class numbers${range}; got ${label}.`);
    }
    present.set(label, (present.get(label) ?? 0) + 1);
  }
  if (present.size < 2) throw new Error('Scoring features against a class needs at least 2 classes in the target.');
  const labels = [...present.keys()].sort((a, b) => a - b);
  const dense = new Map(labels.map((label, code) => [label, code]));
  return { codes: Int32Array.from(y, (label) => dense.get(label)!), sizes: labels.map((label) => present.get(label)!) };
}

type FTestResult = { scores: number[]; pValues: number[] };

/** F and its p-value per column; constant columns get F = 0 and p = 1. */
function fTest(moments: ColumnMoments, d1: number, d2: number, fOfColumn: (j: number) => number): FTestResult {
  const scores = moments.constant.map((isConstant, j) => (isConstant ? 0 : fOfColumn(j)));
  return { scores, pValues: scores.map((f) => fDistributionSurvival(f, d1, d2)) };
}

/** One-way ANOVA F per column (f_classif): between-class over within-class mean square. */
function anovaF(X: Matrix, classes: ClassIndex, moments: ColumnMoments): FTestResult {
  const { rows: n, cols: p, data } = X;
  const classCount = classes.sizes.length;
  if (n <= classCount) throw new Error(`The F test needs more rows (${n}) than classes (${classCount}).`);
  const dfBetween = classCount - 1;
  const dfWithin = n - classCount;
  return fTest(moments, dfBetween, dfWithin, (j) => {
    const sums = new Float64Array(classCount);
    for (let i = 0; i < n; i++) sums[classes.codes[i]] += data[i * p + j];
    const means = Array.from(sums, (sum, c) => sum / classes.sizes[c]);
    let within = 0;
    for (let i = 0; i < n; i++) within += (data[i * p + j] - means[classes.codes[i]]) ** 2;
    const between = means.reduce((sum, mean, c) => sum + classes.sizes[c] * (mean - moments.means[j]) ** 2, 0);
    return within > 0 ? between / dfBetween / (within / dfWithin) : PERFECT_SCORE;
  });
}

/** F of each column's squared correlation with y (f_regression with centring), n − 2 degrees of freedom. */
function fRegression(X: Matrix, y: Int32Array | Float64Array, moments: ColumnMoments): FTestResult {
  const { rows: n, cols: p, data } = X;
  if (n < 3) throw new Error(`The F test needs at least 3 rows; the table has ${n}.`);
  for (const value of y) if (!Number.isFinite(value)) throw new Error('The target has a missing or infinite value.');
  let ySum = 0;
  for (const value of y) ySum += value;
  const yMean = ySum / n;
  const yCentred = Float64Array.from(y, (v) => v - yMean);
  const yNorm = Math.sqrt(yCentred.reduce((sum, v) => sum + v * v, 0));
  const degrees = n - 2;
  return fTest(moments, 1, degrees, (j) => {
    if (yNorm === 0) return 0;
    let cross = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const centred = data[i * p + j] - moments.means[j];
      cross += centred * yCentred[i];
      squares += centred * centred;
    }
    const r2 = Math.min(1, (cross / Math.sqrt(squares) / yNorm) ** 2);
    return r2 < 1 ? (r2 / (1 - r2)) * degrees : PERFECT_SCORE;
  });
}

/** P(F > f) for an F(d1, d2) variable: I_x(d2/2, d1/2) with x = d2 / (d2 + d1·f). */
export function fDistributionSurvival(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (f === PERFECT_SCORE || f === Infinity) return 0;
  const denominator = d2 + d1 * f;
  // Both x and 1 − x are formed directly, so neither loses digits to cancellation.
  return regularizedIncompleteBeta(d2 / denominator, (d1 * f) / denominator, d2 / 2, d1 / 2);
}

/** I_x(a, b) by the Lentz continued fraction (Numerical Recipes' betacf), given x and y = 1 − x. */
export function regularizedIncompleteBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  // The fraction converges fast only below the mean; above it use I_x(a, b) = 1 − I_y(b, a).
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let result = d;
  for (let m = 1; m <= 100_000; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    result *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < 1e-16) return result;
  }
  return result;
}

/**
 * ln B(a, b). With many rows one argument is huge and ln Γ of it is large, so subtracting two such
 * values would lose digits; Stirling's series lets the difference ln Γ(L) − ln Γ(L + s) be formed
 * from small terms instead.
 */
function logBeta(a: number, b: number): number {
  const large = Math.max(a, b);
  const small = Math.min(a, b);
  if (large < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const difference =
    -(large - 0.5) * Math.log1p(small / large) - small * Math.log(large + small) + small +
    stirlingCorrection(large) - stirlingCorrection(large + small);
  return logGamma(small) + difference;
}

/** ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π], accurate to about 1e-12 for x ≥ 10. */
function stirlingCorrection(x: number): number {
  const inverseSquare = 1 / (x * x);
  return (1 / x) * (1 / 12 - inverseSquare * (1 / 360 - inverseSquare * (1 / 1260 - inverseSquare / 1680)));
}

// Lanczos approximation (g = 7, 9 terms), relative error around 1e-15 for positive arguments.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x ≥ 0.5, enough for half degrees of freedom. */
export function logGamma(x: number): number {
  const shifted = x - 1;
  let series = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i] / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

// ---- mutual information ----

/**
 * Kraskov/Ross k-nearest-neighbour estimate (k = 3) of the mutual information between each
 * continuous column and the class, the estimator of scikit-learn's mutual_info_classif.
 * Like scikit-learn, each column is divided by its standard deviation and gets a tiny noise
 * (1e-10 of its mean size) so that tied values do not make neighbour distances degenerate.
 * scikit-learn draws that noise afresh unless given a random_state; here it comes from a fixed
 * seed, so scores are repeatable but differ from scikit-learn's by its run-to-run spread (about
 * ±0.02 on the wine data), and rankings agree except between features that close.
 */
function mutualInformation(X: Matrix, classes: ClassIndex, moments: ColumnMoments): number[] {
  const { rows: n, cols: p, data } = X;
  const random = seededRandom(0);
  const scores: number[] = [];
  for (let j = 0; j < p; j++) {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = data[i * p + j];
    const noise = Float64Array.from({ length: n }, () => gaussian(random));
    if (moments.constant[j]) {
      scores.push(0);
      continue;
    }
    scaleWithNoise(column, moments.scales[j], noise);
    scores.push(mutualInformationWithClass(column, classes));
  }
  return scores;
}

/** Divides by the population standard deviation, then adds 1e-10 · max(1, mean |value|) of noise. */
function scaleWithNoise(column: Float64Array, sd: number, noise: Float64Array): void {
  const n = column.length;
  let meanAbs = 0;
  for (let i = 0; i < n; i++) {
    column[i] /= sd;
    meanAbs += Math.abs(column[i]);
  }
  const amplitude = 1e-10 * Math.max(1, meanAbs / n);
  for (let i = 0; i < n; i++) column[i] += amplitude * noise[i];
}

function mutualInformationWithClass(values: Float64Array, classes: ClassIndex): number {
  // Rows of classes with a single row have no neighbour of their class and are left out.
  const byClass = classes.sizes.map((size) => new Float64Array(size > 1 ? size : 0));
  const filled = new Int32Array(classes.sizes.length);
  values.forEach((value, i) => {
    const code = classes.codes[i];
    if (byClass[code].length > 0) byClass[code][filled[code]++] = value;
  });
  const everyValue = values.filter((_, i) => byClass[classes.codes[i]].length > 0).sort();
  const count = everyValue.length;
  if (count === 0) return 0;
  const digammaOfCount = cachedDigamma(count);
  let total = 0;
  for (const classValues of byClass) {
    if (classValues.length === 0) continue;
    classValues.sort();
    const k = Math.min(MUTUAL_INFO_NEIGHBOURS, classValues.length - 1);
    total += classValues.length * (digamma(k) - digamma(classValues.length));
    for (let position = 0; position < classValues.length; position++) {
      // Points strictly closer than the k-th neighbour of the same class, counted over all classes.
      const radius = nextBelow(kthNeighbourDistance(classValues, position, k));
      total -= digammaOfCount(countWithin(everyValue, classValues[position], radius));
    }
  }
  return Math.max(0, digamma(count) + total / count);
}

/** digamma on the integers 1 … max, each computed once. */
function cachedDigamma(max: number): (m: number) => number {
  const cache = new Float64Array(max + 1).fill(NaN);
  return (m) => (Number.isNaN(cache[m]) ? (cache[m] = digamma(m)) : cache[m]);
}

/** Distance from sorted[position] to its k-th nearest other entry; the neighbours are contiguous. */
function kthNeighbourDistance(sorted: Float64Array, position: number, k: number): number {
  let left = position - 1;
  let right = position + 1;
  let distance = 0;
  for (let step = 0; step < k; step++) {
    const leftGap = left >= 0 ? sorted[position] - sorted[left] : Infinity;
    const rightGap = right < sorted.length ? sorted[right] - sorted[position] : Infinity;
    if (leftGap <= rightGap) {
      distance = leftGap;
      left--;
    } else {
      distance = rightGap;
      right++;
    }
  }
  return distance;
}

/** How many entries of an ascending array lie within `radius` of `centre`, by two binary searches. */
function countWithin(sorted: Float64Array, centre: number, radius: number): number {
  let low = 0; // first entry not below the window
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (centre - sorted[middle] > radius) low = middle + 1;
    else high = middle;
  }
  const first = low;
  high = sorted.length; // then the first entry above the window
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] - centre <= radius) low = middle + 1;
    else high = middle;
  }
  return low - first;
}

const FLOAT_BITS = new Float64Array(1);
const FLOAT_WORDS = new Uint32Array(FLOAT_BITS.buffer);
const LOW_WORD = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;

/** The largest double below a non-negative number (0 stays 0), like numpy's nextafter(r, 0). */
function nextBelow(value: number): number {
  if (value <= 0 || !Number.isFinite(value)) return value;
  // Positive doubles are ordered like their 64-bit patterns, so one less is the next one down.
  FLOAT_BITS[0] = value;
  if (FLOAT_WORDS[LOW_WORD] === 0) FLOAT_WORDS[1 - LOW_WORD] -= 1;
  FLOAT_WORDS[LOW_WORD] -= 1; // wraps to 0xffffffff after a borrow
  return FLOAT_BITS[0];
}

function digamma(x: number): number {
  let result = 0;
  let shifted = x;
  while (shifted < 6) {
    result -= 1 / shifted;
    shifted += 1;
  }
  const inverseSquare = 1 / (shifted * shifted);
  const tail =
    inverseSquare * (1 / 12 - inverseSquare * (1 / 120 - inverseSquare * (1 / 252 - inverseSquare * (1 / 240))));
  return result + Math.log(shifted) - 0.5 / shifted - tail;
}

/** Standard normal draw by Box–Muller. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
