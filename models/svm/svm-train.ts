/**
 * One-vs-one training of a multiclass support vector classifier, laid out exactly like libsvm's
 * model so its decision values, support vectors and probabilities line up with scikit-learn's.
 */
import type { FitOptions } from '../estimator';
import type { Matrix } from '../frame';
import type { KernelFunction } from './svm-kernel';
import { crossValidatedSigmoid, PLATT_FOLDS, type PlattSigmoid } from './svm-probability';
import { solveBinaryProblem, type BinaryProblem, type SolverCheckpoint, type SolverSettings } from './svm-solver';
import { seededRandom } from '../split';

export interface TrainingSettings {
  kernel: KernelFunction;
  C: number;
  /** Multiplier of C for each class. */
  classWeights: Float64Array;
  tol: number;
  maxIter: number;
  probability: boolean;
  cacheBytes: number;
  /** Seed of the shuffle behind the probability cross-validation. */
  seed: number;
}

export interface OneVsOneModel {
  /** Training row of each support vector, grouped by class (ascending), rows ascending within. */
  supportIndices: Int32Array;
  /** Support vectors per class. */
  supportCounts: number[];
  /**
   * libsvm's sv_coef, (K − 1) rows × support vectors: machine (i, j) keeps the coefficients of
   * class i's vectors in row j − 1 and those of class j's vectors in row i.
   */
  coefficients: Float64Array[];
  /** Per machine in the order (0,1), (0,2), …, (1,2), …: decision value = Σ coef·K − rho. */
  rho: Float64Array;
  sigmoids: PlattSigmoid[] | null;
  iterations: number;
  converged: boolean;
}

/** How long the solver may run before letting other work (and a cancel click) through. */
const YIELD_INTERVAL_MS = 50;

class ProgressTracker {
  private completed = 0;
  private lastYield = performance.now();

  constructor(private readonly total: number, private readonly callbacks: FitOptions) {}

  /** Announces the next piece of work, worth `weight` of the whole, and returns its checkpoint. */
  piece(weight: number, message: string): SolverCheckpoint {
    const base = this.completed;
    this.completed += weight;
    this.callbacks.onProgress?.(Math.min(1, base / this.total), message);
    return (fraction) => this.report((base + fraction * weight) / this.total, message);
  }

  /** Checks for cancellation; now and then also reports progress and lets other work run. */
  async report(fraction: number, message: string): Promise<void> {
    throwIfCancelled(this.callbacks.signal);
    const now = performance.now();
    if (now - this.lastYield < YIELD_INTERVAL_MS) return;
    this.lastYield = now;
    this.callbacks.onProgress?.(Math.min(1, fraction), message);
    await yieldToEventLoop();
    throwIfCancelled(this.callbacks.signal);
  }
}

/** Lets pending events (a cancel click, a progress repaint) run; setImmediate skips the timer clamp. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('Cancelled');
}

interface ClassGroups {
  /** Row indices ordered by class, original order kept within a class. */
  order: Int32Array;
  start: number[];
  count: number[];
}

function groupByClass(y: Int32Array, nClasses: number): ClassGroups {
  const count = new Array<number>(nClasses).fill(0);
  for (const label of y) count[label]++;
  const start = count.map((_, k) => count.slice(0, k).reduce((sum, c) => sum + c, 0));
  const cursor = [...start];
  const order = new Int32Array(y.length);
  y.forEach((label, row) => (order[cursor[label]++] = row));
  return { order, start, count };
}

/** Rows of classes i (labelled +1) and j (labelled −1), in that order, as one binary problem. */
function pairProblem(X: Matrix, groups: ClassGroups, i: number, j: number, weightedC: Float64Array): BinaryProblem {
  const { cols } = X;
  const rows = groups.count[i] + groups.count[j];
  const x = new Float64Array(rows * cols);
  const y = new Int8Array(rows);
  const upperBounds = new Float64Array(rows);
  let k = 0;
  for (const [label, sign] of [[i, 1], [j, -1]] as const) {
    for (let m = 0; m < groups.count[label]; m++, k++) {
      const row = groups.order[groups.start[label] + m];
      for (let c = 0; c < cols; c++) x[k * cols + c] = X.data[row * cols + c];
      y[k] = sign;
      upperBounds[k] = weightedC[label];
    }
  }
  return { x, rows, cols, y, upperBounds };
}

export async function trainOneVsOne(
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  settings: TrainingSettings,
  callbacks: FitOptions,
): Promise<OneVsOneModel> {
  const K = nClasses;
  const groups = groupByClass(y, K);
  const weightedC = Float64Array.from(settings.classWeights, (w) => settings.C * w);
  const solverSettings: SolverSettings = {
    kernel: settings.kernel,
    tol: settings.tol,
    maxIter: settings.maxIter,
    cacheBytes: settings.cacheBytes,
  };
  const pairs: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) pairs.push([i, j]);
  // Solver work grows roughly with the square of the rows; a cross-validation fit sees 80% of them.
  const foldWeight = ((PLATT_FOLDS - 1) / PLATT_FOLDS) ** 2;
  const pairWeight = pairs.map(([i, j]) => (groups.count[i] + groups.count[j]) ** 2);
  const weightPerPair = 1 + (settings.probability ? PLATT_FOLDS * foldWeight : 0);
  const tracker = new ProgressTracker(weightPerPair * pairWeight.reduce((sum, w) => sum + w, 0), callbacks);
  const random = seededRandom(settings.seed);

  const solutions: Float64Array[] = [];
  const rho = new Float64Array(pairs.length);
  const sigmoids: PlattSigmoid[] = [];
  let iterations = 0;
  let converged = true;
  for (const [p, [i, j]] of pairs.entries()) {
    const problem = pairProblem(X, groups, i, j, weightedC);
    const label = K === 2 ? '' : ` ${p + 1} of ${pairs.length} (classes ${i} and ${j})`;
    if (settings.probability) {
      const foldCheckpoint = (fold: number) =>
        tracker.piece(foldWeight * pairWeight[p], `Calibrating probabilities${label}: fold ${fold + 1} of ${PLATT_FOLDS}`);
      sigmoids.push(await crossValidatedSigmoid(problem, solverSettings, random, foldCheckpoint));
    }
    const checkpoint = tracker.piece(pairWeight[p], `Training support vector machine${label}`);
    const solution = await solveBinaryProblem(problem, solverSettings, checkpoint);
    solutions.push(solution.coefficients);
    rho[p] = solution.rho;
    iterations += solution.iterations;
    converged &&= solution.converged;
    await checkpoint(1);
  }
  callbacks.onProgress?.(1, converged ? 'Converged' : 'Stopped at the iteration limit before fully converging');
  return {
    ...assembleSupportVectors(groups, pairs, solutions),
    rho,
    sigmoids: settings.probability ? sigmoids : null,
    iterations,
    converged,
  };
}

/** libsvm's model layout: the union of every machine's support vectors, coefficients per row. */
function assembleSupportVectors(groups: ClassGroups, pairs: [number, number][], solutions: Float64Array[]) {
  const K = groups.count.length;
  const isSupport = new Uint8Array(groups.order.length);
  pairs.forEach(([i, j], p) => {
    const solution = solutions[p];
    for (let k = 0; k < groups.count[i]; k++) if (solution[k] !== 0) isSupport[groups.start[i] + k] = 1;
    for (let k = 0; k < groups.count[j]; k++) if (solution[groups.count[i] + k] !== 0) isSupport[groups.start[j] + k] = 1;
  });
  const supportCounts = groups.count.map((count, c) => {
    let n = 0;
    for (let k = 0; k < count; k++) n += isSupport[groups.start[c] + k];
    return n;
  });
  const supportStart = supportCounts.map((_, c) => supportCounts.slice(0, c).reduce((sum, n) => sum + n, 0));
  const supportIndices = Int32Array.from(groups.order.filter((_, position) => isSupport[position] === 1));
  const total = supportIndices.length;
  const coefficients = Array.from({ length: K - 1 }, () => new Float64Array(total));
  pairs.forEach(([i, j], p) => {
    const solution = solutions[p];
    let q = supportStart[i];
    for (let k = 0; k < groups.count[i]; k++) {
      if (isSupport[groups.start[i] + k]) coefficients[j - 1][q++] = solution[k];
    }
    q = supportStart[j];
    for (let k = 0; k < groups.count[j]; k++) {
      if (isSupport[groups.start[j] + k]) coefficients[i][q++] = solution[groups.count[i] + k];
    }
  });
  return { supportIndices, supportCounts, coefficients };
}
