import type { Matrix } from './frame';

/**
 * Small dense float64 routines shared by the estimators: Cholesky, a least-squares solver that
 * tolerates redundant columns, and a preconditioned L-BFGS minimiser.
 * Matrices here are row-major Float64Arrays of a known size, like `Matrix` in frame.ts.
 */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Lower-triangular L with A = L·Lᵀ for a symmetric positive-definite n×n matrix. */
export function choleskyFactor(matrix: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diagonal = matrix[j * n + j];
    for (let k = 0; k < j; k++) diagonal -= lower[j * n + k] ** 2;
    if (!(diagonal > 0)) throw new Error('Matrix is not positive definite.');
    const pivot = Math.sqrt(diagonal);
    lower[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
      lower[i * n + j] = sum / pivot;
    }
  }
  return lower;
}

/** Solves (L·Lᵀ)·x = b given the factor from choleskyFactor. */
export function choleskySolve(lower: Float64Array, n: number, rhs: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(rhs);
  for (let i = 0; i < n; i++) {
    let sum = x[i];
    for (let k = 0; k < i; k++) sum -= lower[i * n + k] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  return x;
}

/** A column that added nothing new: it is zero, or an exact combination of `dependsOn`. */
export interface DependentColumn {
  column: number;
  dependsOn: number[];
}

export interface LeastSquaresResult {
  /** Coefficient per column; 0 for dependent columns. */
  solution: Float64Array;
  dependent: DependentColumn[];
}

/**
 * Minimises ||A·x − b|| by Householder QR, taking columns in order. A column whose part not
 * explained by the columns already taken is below `relativeTolerance` of its own norm is
 * redundant: it is left out (coefficient 0) and reported, so the earlier-listed feature is kept.
 * Works directly on A (never forms AᵀA), so accuracy follows cond(A), not its square.
 */
export function leastSquaresQR(
  a: Float64Array,
  rows: number,
  cols: number,
  b: Float64Array,
  relativeTolerance = 1e-10,
): LeastSquaresResult {
  const reflectors: Float64Array[] = [];
  const taken: number[] = [];
  const rColumns: Float64Array[] = []; // rColumns[t][i] = R[i][t], for i ≤ t
  const dependent: DependentColumn[] = [];
  const column = new Float64Array(rows);

  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) column[i] = a[i * cols + j];
    const originalNorm = norm(column);
    reflectors.forEach((v, k) => applyReflector(v, k, column));
    const k = taken.length;
    const residualNorm = norm(column.subarray(k));
    if (originalNorm === 0 || residualNorm <= relativeTolerance * originalNorm) {
      dependent.push({ column: j, dependsOn: explainingColumns(rColumns, taken, column, originalNorm) });
      continue;
    }
    const alpha = column[k] > 0 ? -residualNorm : residualNorm;
    const v = new Float64Array(rows);
    for (let i = k; i < rows; i++) v[i] = column[i];
    v[k] -= alpha;
    const vNorm = norm(v.subarray(k));
    for (let i = k; i < rows; i++) v[i] /= vNorm;
    reflectors.push(v);
    const r = new Float64Array(k + 1);
    r.set(column.subarray(0, k));
    r[k] = alpha;
    rColumns.push(r);
    taken.push(j);
  }

  const qtb = Float64Array.from(b);
  reflectors.forEach((v, k) => applyReflector(v, k, qtb));
  const reduced = backSubstitute(rColumns, qtb);
  const solution = new Float64Array(cols);
  taken.forEach((j, t) => (solution[j] = reduced[t]));
  return { solution, dependent };
}

/** Euclidean norm, scaled first so huge or tiny entries neither overflow nor underflow. */
function norm(values: Float64Array): number {
  const scale = maxAbs(values);
  if (scale === 0) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] / scale) ** 2;
  return scale * Math.sqrt(sum);
}

/** x ← (I − 2·v·vᵀ)·x for a unit vector v that is zero above row `start`. */
function applyReflector(v: Float64Array, start: number, x: Float64Array): void {
  let projection = 0;
  for (let i = start; i < v.length; i++) projection += v[i] * x[i];
  projection *= 2;
  for (let i = start; i < v.length; i++) x[i] -= projection * v[i];
}

function backSubstitute(rColumns: Float64Array[], rhs: Float64Array): Float64Array {
  const n = rColumns.length;
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = rhs[i];
    for (let t = i + 1; t < n; t++) sum -= rColumns[t][i] * x[t];
    x[i] = sum / rColumns[i][i];
  }
  return x;
}

/** Which taken columns carry a redundant column, found by solving R·c = (Qᵀ·column)[0..k]. */
function explainingColumns(
  rColumns: Float64Array[],
  taken: number[],
  transformed: Float64Array,
  originalNorm: number,
): number[] {
  if (originalNorm === 0 || taken.length === 0) return [];
  const weights = backSubstitute(rColumns, transformed.subarray(0, taken.length));
  const contribution = (t: number) => Math.abs(weights[t]) * Math.abs(rColumns[t][t]);
  return taken.filter((_, t) => contribution(t) > 1e-7 * originalNorm);
}

export interface ObjectiveValue {
  value: number;
  gradient: Float64Array;
}

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop once no coordinate moves by more than this in an iteration. */
  stepTolerance: number;
  /** Stop once no gradient component exceeds this in size. */
  gradientTolerance?: number;
  /**
   * Stop once an iteration lowers the objective by no more than this fraction of its size
   * (SciPy's L-BFGS-B `ftol`, which scikit-learn leaves at 2.2e-9).
   */
  relativeDecreaseTolerance?: number;
  /** Number of correction pairs kept. */
  memory?: number;
  /** Applies an approximate inverse Hessian; the better it is, the fewer iterations are needed. */
  precondition?: (gradient: Float64Array) => Float64Array;
  /** vᵀ·P·v for that preconditioner P, when it is cheaper than applying P (half a Cholesky solve). */
  preconditionedSquare?: (vector: Float64Array) => number;
  /** Called after each accepted step; may throw to stop the minimisation. */
  onIteration?: (iteration: number, value: number) => void | Promise<void>;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/**
 * Limited-memory BFGS with a weak-Wolfe line search. A line search that cannot
 * decrease the objective any further means the objective's rounding noise has been reached,
 * which is treated as convergence.
 */
export async function minimizeLbfgs(
  evaluate: (x: Float64Array) => ObjectiveValue | Promise<ObjectiveValue>,
  start: Float64Array,
  options: LbfgsOptions,
): Promise<LbfgsResult> {
  const precondition = options.precondition ?? ((g: Float64Array) => Float64Array.from(g));
  const preconditioned: Preconditioned = {
    apply: precondition,
    square: options.preconditionedSquare ?? ((v: Float64Array) => dot64(v, precondition(v))),
  };
  const history = new CorrectionHistory(start.length, options.memory ?? 10);
  let x: Float64Array = Float64Array.from(start);
  let current = await evaluate(x);

  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    let direction = searchDirection(current.gradient, history, preconditioned);
    let slope = dot64(current.gradient, direction);
    if (!(slope < 0)) {
      history.clear();
      direction = searchDirection(current.gradient, history, preconditioned);
      slope = dot64(current.gradient, direction);
      if (!(slope < 0)) return { x, value: current.value, iterations: iteration - 1, converged: true };
    }
    const step = await lineSearch(evaluate, x, current.value, direction, slope);
    if (!step) return { x, value: current.value, iterations: iteration - 1, converged: true };

    const largestMove = history.record(x, step.x, current.gradient, step.result.gradient);
    const previousValue = current.value;
    x = step.x;
    current = step.result;
    await options.onIteration?.(iteration, current.value);
    const decrease = (previousValue - current.value) / Math.max(Math.abs(previousValue), Math.abs(current.value), 1);
    const settled =
      largestMove <= options.stepTolerance ||
      maxAbs(current.gradient) <= (options.gradientTolerance ?? 0) ||
      decrease <= (options.relativeDecreaseTolerance ?? -Infinity);
    if (settled) return { x, value: current.value, iterations: iteration, converged: true };
  }
  return { x, value: current.value, iterations: options.maxIterations, converged: false };
}

/** Σ a·b over two equally long vectors, four running sums (this and the updates below are the solver's own work). */
function dot64(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

/** target += scale · source. */
function addScaled(target: Float64Array, source: Float64Array, scale: number): void {
  for (let i = 0; i < target.length; i++) target[i] += scale * source[i];
}

/**
 * The last `memory` correction pairs (s = step, y = change of gradient), oldest first, in buffers
 * allocated once and reused round-robin, so the solver's loop allocates nothing per pair.
 */
class CorrectionHistory {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];
  private readonly sy: number[] = [];
  private first = 0;
  length = 0;

  constructor(
    private readonly size: number,
    private readonly memory: number,
  ) {}

  clear(): void {
    this.length = 0;
    this.first = 0;
  }

  /** Pair i (0 = oldest). */
  pair(i: number): { s: Float64Array; y: Float64Array; rho: number; sy: number } {
    const slot = (this.first + i) % this.memory;
    return { s: this.s[slot], y: this.y[slot], rho: this.rho[slot], sy: this.sy[slot] };
  }

  /** Keeps the pair for the step from x to next when its curvature is positive; answers max |s|. */
  record(x: Float64Array, next: Float64Array, gradient: Float64Array, nextGradient: Float64Array): number {
    const slot = (this.first + this.length) % this.memory;
    if (!this.s[slot]) {
      this.s[slot] = new Float64Array(this.size);
      this.y[slot] = new Float64Array(this.size);
    }
    const s = this.s[slot];
    const y = this.y[slot];
    let largest = 0;
    for (let i = 0; i < this.size; i++) {
      s[i] = next[i] - x[i];
      y[i] = nextGradient[i] - gradient[i];
      largest = Math.max(largest, Math.abs(s[i]));
    }
    const curvature = dot64(s, y);
    if (curvature > 1e-12 * Math.sqrt(dot64(s, s) * dot64(y, y))) {
      this.rho[slot] = 1 / curvature;
      this.sy[slot] = curvature;
      if (this.length < this.memory) this.length++;
      else this.first = (this.first + 1) % this.memory;
    }
    return largest;
  }
}

interface Preconditioned {
  apply: (g: Float64Array) => Float64Array;
  square: (v: Float64Array) => number;
}

/** Two-loop recursion: −H·g with H the L-BFGS inverse-Hessian estimate built on the preconditioner. */
function searchDirection(gradient: Float64Array, history: CorrectionHistory, precondition: Preconditioned): Float64Array {
  const q = gradient.slice();
  const alphas = new Float64Array(history.length);
  for (let i = history.length - 1; i >= 0; i--) {
    const { s, y, rho } = history.pair(i);
    const alpha = rho * dot64(s, q);
    alphas[i] = alpha;
    addScaled(q, y, -alpha);
  }
  const r = precondition.apply(q);
  if (history.length > 0) {
    // Rescale the preconditioner so its curvature matches the latest observed step.
    const { y, sy } = history.pair(history.length - 1);
    const gamma = sy / precondition.square(y);
    if (gamma > 0 && Number.isFinite(gamma)) for (let j = 0; j < r.length; j++) r[j] *= gamma;
  }
  for (let i = 0; i < history.length; i++) {
    const { s, y, rho } = history.pair(i);
    addScaled(r, s, alphas[i] - rho * dot64(y, r));
  }
  for (let j = 0; j < r.length; j++) r[j] = -r[j];
  return r;
}

type AcceptedStep = { x: Float64Array; result: ObjectiveValue };

/**
 * Finds a step length along `direction`: halves it until the objective decreases enough, and
 * doubles it while the objective still falls steeply at the new point, so that each accepted
 * step has positive curvature for the L-BFGS update (weak Wolfe conditions).
 */
async function lineSearch(
  evaluate: (x: Float64Array) => ObjectiveValue | Promise<ObjectiveValue>,
  x: Float64Array,
  value: number,
  direction: Float64Array,
  slope: number,
): Promise<AcceptedStep | null> {
  let stepLength = 1;
  let acceptable: AcceptedStep | null = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    const candidate = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) candidate[i] = x[i] + stepLength * direction[i];
    const result = await evaluate(candidate);
    const newSlope = dot64(result.gradient, direction);
    const decreases = Number.isFinite(result.value) && result.value <= value + 1e-4 * stepLength * slope;
    // Near the optimum the decrease drowns in the objective's rounding noise while the gradient
    // is still informative: also accept a step that roughly minimises along the line without
    // raising the objective beyond that noise (Hager–Zhang approximate Wolfe condition).
    const approximatelyMinimises =
      Number.isFinite(result.value) &&
      result.value <= value + 1e-6 * Math.abs(value) &&
      newSlope >= 0.9 * slope &&
      newSlope <= -0.8 * slope;
    if (!decreases && !approximatelyMinimises) {
      if (acceptable) return acceptable;
      stepLength *= 0.5;
      continue;
    }
    acceptable = { x: candidate, result };
    const flattened = newSlope >= 0.9 * slope;
    if (flattened || stepLength >= 1024) return acceptable;
    stepLength *= 2;
  }
  return acceptable;
}

/** Rejects NaN and infinite feature values, naming the first offending column and row. */
export function assertFiniteFeatures(X: Matrix, featureNames: string[]): void {
  if (X.columns) {
    // Column by column, so that the check does not make the row-major copy; the first bad row wins.
    let badRow = X.rows;
    let badColumn = -1;
    X.columns.forEach((values, column) => {
      for (let row = 0; row < badRow; row++) {
        if (!Number.isFinite(values[row])) {
          badRow = row;
          badColumn = column;
        }
      }
    });
    if (badColumn >= 0) throw new Error(`Feature "${featureNames[badColumn]}" has a missing or infinite value at row ${badRow + 1}.`);
    return;
  }
  for (let index = 0; index < X.data.length; index++) {
    if (!Number.isFinite(X.data[index])) {
      const name = featureNames[index % X.cols];
      throw new Error(`Feature "${name}" has a missing or infinite value at row ${Math.floor(index / X.cols) + 1}.`);
    }
  }
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Writes softmax(scores) into out[offset ..], shifted by the maximum so exp cannot overflow. */
export function softmaxInto(scores: Float64Array, out: Float64Array, offset: number): void {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) max = Math.max(max, scores[k]);
  let total = 0;
  for (let k = 0; k < scores.length; k++) total += Math.exp(scores[k] - max);
  for (let k = 0; k < scores.length; k++) out[offset + k] = Math.exp(scores[k] - max) / total;
}

export interface ColumnMoments {
  means: Float64Array;
  /** Population standard deviation; 1 for constant columns, so scaling by it is always safe. */
  scales: Float64Array;
  constant: boolean[];
}

/** Per-column mean and spread of a row-major matrix, with rounding-level spread read as constant. */
export function standardizationMoments(X: Matrix): ColumnMoments {
  const { rows: n, cols: p } = X;
  const means = new Float64Array(p);
  const scales = new Float64Array(p);
  if (X.columns) {
    // The same sums in the same order, column by column, without the row-major copy.
    X.columns.forEach((values, j) => {
      for (let i = 0; i < n; i++) means[j] += values[i];
      means[j] /= n;
      for (let i = 0; i < n; i++) {
        const deviation = values[i] - means[j];
        scales[j] += deviation * deviation;
      }
    });
    return momentsFrom(means, scales, n);
  }
  const data = X.data;
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let j = 0; j < p; j++) means[j] += data[row + j];
  }
  for (let j = 0; j < p; j++) means[j] /= n;
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let j = 0; j < p; j++) {
      const deviation = data[row + j] - means[j];
      scales[j] += deviation * deviation;
    }
  }
  return momentsFrom(means, scales, n);
}

/** Means and summed squared deviations to moments, with rounding-level spread read as constant. */
function momentsFrom(means: Float64Array, scales: Float64Array, n: number): ColumnMoments {
  const p = means.length;
  const constant: boolean[] = [];
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(scales[j] / n);
    constant.push(!(sd > 1e-12 * Math.abs(means[j])));
    scales[j] = constant[j] ? 1 : sd;
  }
  return { means, scales, constant };
}
