/**
 * Sequential minimal optimisation for the C-SVC dual, following libsvm step for step (Fan,
 * Chen & Lin 2005 working-set selection with second-order information, shrinking, and the
 * same bias formula), so a trained machine reproduces scikit-learn's SVC.
 *
 *   min ½·αᵀQα − eᵀα   subject to   yᵀα = 0,   0 ≤ α_i ≤ C_i
 */
import { SignedKernelMatrix, type KernelFunction } from './svm-kernel';
import { solvePair } from './svm-pair-update';
import { createSolverLoops, type SolverLoops } from './svm-solver-loops';

/** Iterations between cancellation checks; each is O(rows) plus at most two kernel rows. */
const ITERATIONS_PER_CHECK = 64;

const LOWER_BOUND = 0;
const UPPER_BOUND = 1;
const FREE = 2;

export interface BinaryProblem {
  /** Row-major features of the machine's rows. */
  x: Float64Array;
  rows: number;
  cols: number;
  /** +1 or −1 per row. */
  y: Int8Array;
  /** Box constraint C_i per row (C times the row's class weight). */
  upperBounds: Float64Array;
}

export interface SolverSettings {
  kernel: KernelFunction;
  /** Stop once the maximal KKT violation falls below this (libsvm's eps). */
  tol: number;
  /** Iteration limit, or −1 for none. */
  maxIter: number;
  cacheBytes: number;
}

export interface BinarySolution {
  /** y_i·α_i in the problem's row order; zero for rows that are not support vectors. */
  coefficients: Float64Array;
  /** Decision value of x is Σ coefficients_i·K(x_i, x) − rho. */
  rho: number;
  iterations: number;
  converged: boolean;
}

/** Called every few dozen iterations with the share of the solve that looks done. */
export type SolverCheckpoint = (fraction: number) => Promise<void>;

export async function solveBinaryProblem(
  problem: BinaryProblem,
  settings: SolverSettings,
  checkpoint: SolverCheckpoint,
): Promise<BinarySolution> {
  const solver = new SmoSolver(problem, settings);
  try {
    let firstViolation = NaN;
    let fraction = 0;
    while (!solver.step(ITERATIONS_PER_CHECK)) {
      const violation = solver.violation;
      if (Number.isNaN(firstViolation) && violation > 0) firstViolation = violation;
      // Violations shrink roughly geometrically, so progress is measured on a log scale.
      const span = Math.log(firstViolation / settings.tol);
      const estimate = span > 0 ? Math.log(firstViolation / violation) / span : 0;
      fraction = Math.max(fraction, Math.min(0.99, estimate));
      await checkpoint(fraction);
    }
    return solver.solution();
  } finally {
    solver.release();
  }
}

class SmoSolver {
  private readonly l: number;
  private readonly Q: SignedKernelMatrix;
  /** The per-iteration scans, and the arrays they read (G, y, QD, inUp, inLow below). */
  private readonly loops: SolverLoops;
  /** Q_ii in the solver's current order. */
  private readonly QD: Float64Array;
  /** ±1 labels as doubles, so −y_i·G_i is one multiplication in the hot loops. */
  private readonly y: Float64Array;
  private readonly originalY: Int8Array;
  private readonly alpha: Float64Array;
  private readonly status: Uint8Array;
  /** 1 where variable t may still move in the direction that raises y_t·α_t (libsvm's I_up). */
  private readonly inUp: Uint8Array;
  /** 1 where it may still move in the direction that lowers y_t·α_t (I_low). */
  private readonly inLow: Uint8Array;
  private readonly G: Float64Array;
  /** Gradient contribution of the variables at their upper bound, for unshrinking. */
  private readonly GBar: Float64Array;
  private readonly C: Float64Array;
  private readonly activeSet: Int32Array;
  private readonly tol: number;
  private readonly maxIter: number;
  private activeSize: number;
  private unshrink = false;
  private counter: number;
  private iterations = 0;
  private finished = false;
  private converged = false;
  private selectedI = -1;
  private selectedJ = -1;
  /** argmax of −y_t·G_t over I_up, found during the last gradient update (see updatePair). */
  private hasNextUp = false;
  private nextUpIndex = -1;
  private nextUpViolation = -Infinity;
  /** Maximal KKT violation seen at the last working-set selection. */
  violation = Infinity;

  constructor(problem: BinaryProblem, settings: SolverSettings) {
    const l = problem.rows;
    this.l = l;
    this.Q = new SignedKernelMatrix(problem.x, l, problem.cols, problem.y, settings.kernel, settings.cacheBytes);
    this.loops = createSolverLoops(l);
    this.G = this.loops.G;
    this.y = this.loops.y;
    this.QD = this.loops.QD;
    this.inUp = this.loops.inUp;
    this.inLow = this.loops.inLow;
    this.QD.set(this.Q.diagonal);
    for (let i = 0; i < l; i++) this.y[i] = problem.y[i];
    this.originalY = problem.y;
    this.C = Float64Array.from(problem.upperBounds);
    this.tol = settings.tol;
    this.maxIter = settings.maxIter;
    // Starting from α = 0 every variable is at its lower bound and the gradient is −e.
    this.alpha = new Float64Array(l);
    this.status = new Uint8Array(l).fill(LOWER_BOUND);
    for (let i = 0; i < l; i++) this.updateStatus(i);
    this.G.fill(-1);
    this.GBar = new Float64Array(l);
    this.activeSet = new Int32Array(l);
    for (let i = 0; i < l; i++) this.activeSet[i] = i;
    this.activeSize = l;
    this.counter = Math.min(l, 1000) + 1;
  }

  /** Runs up to `budget` iterations; true once the solve has finished. */
  step(budget: number): boolean {
    for (let n = 0; n < budget && !this.finished; n++) {
      if (this.maxIter >= 0 && this.iterations >= this.maxIter) {
        this.finished = true;
        break;
      }
      if (--this.counter === 0) {
        this.counter = Math.min(this.l, 1000);
        this.shrink();
      }
      if (!this.selectWorkingSet()) {
        // Optimal on the active set: check again with every variable before stopping.
        this.reconstructGradient();
        this.activeSize = this.l;
        if (!this.selectWorkingSet()) {
          this.finished = true;
          this.converged = true;
          break;
        }
        this.counter = 1;
      }
      this.iterations++;
      this.updatePair(this.selectedI, this.selectedJ);
    }
    return this.finished;
  }

  release(): void {
    this.Q.release();
    this.loops.release();
  }

  solution(): BinarySolution {
    if (this.activeSize < this.l) {
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    const coefficients = new Float64Array(this.l);
    for (let i = 0; i < this.l; i++) {
      const original = this.activeSet[i];
      coefficients[original] = this.alpha[i] * this.originalY[original];
    }
    return { coefficients, rho: this.calculateRho(), iterations: this.iterations, converged: this.converged };
  }

  /** Moves α_i and α_j to the optimum of their two-variable subproblem, then updates G. */
  private updatePair(i: number, j: number): void {
    const { alpha, y, QD, C, G, status } = this;
    const activeSize = this.activeSize;
    const Qi = this.Q.row(i, activeSize);
    const Qj = this.Q.row(j, activeSize);
    const oldAlphaI = alpha[i];
    const oldAlphaJ = alpha[j];
    solvePair(alpha, i, j, y[i] === y[j], G[i], G[j], QD[i], QD[j], Qi[j], C[i], C[j]);
    const wasUpperI = status[i] === UPPER_BOUND;
    const wasUpperJ = status[j] === UPPER_BOUND;
    // Status first: the gradient scan also finds the next i, which depends on I_up.
    this.updateStatus(i);
    this.updateStatus(j);
    const next = this.loops.updateGradient(Qi, i, Qj, alpha[i] - oldAlphaI, alpha[j] - oldAlphaJ, activeSize);
    this.nextUpIndex = next;
    this.nextUpViolation = next === -1 ? -Infinity : -y[next] * G[next];
    this.hasNextUp = true;
    // Only now fetch full rows: that may recycle the buffers behind Qi and Qj.
    this.updateGBar(i, wasUpperI);
    this.updateGBar(j, wasUpperJ);
  }

  /** Keeps GBar = Σ over upper-bound variables of C_k·Q_k current when i enters or leaves the bound. */
  private updateGBar(i: number, wasUpper: boolean): void {
    const isUpper = this.status[i] === UPPER_BOUND;
    if (wasUpper === isUpper) return;
    const Qi = this.Q.row(i, this.l);
    const GBar = this.GBar;
    const scale = isUpper ? this.C[i] : -this.C[i];
    for (let k = 0; k < this.l; k++) GBar[k] += scale * Qi[k];
  }

  private updateStatus(i: number): void {
    const a = this.alpha[i];
    const status = a >= this.C[i] ? UPPER_BOUND : a <= 0 ? LOWER_BOUND : FREE;
    const positive = this.y[i] === 1;
    this.status[i] = status;
    this.inUp[i] = status !== (positive ? UPPER_BOUND : LOWER_BOUND) ? 1 : 0;
    this.inLow[i] = status !== (positive ? LOWER_BOUND : UPPER_BOUND) ? 1 : 0;
  }

  /**
   * WSS3: i maximises −y_i·∇f_i over I_up; j, among the violating partners in I_low, gives the
   * largest decrease of the objective using second-order information. False when optimal.
   * Signs are folded in with multiplications by ±1, which are exact, so the arithmetic is
   * libsvm's bit for bit.
   */
  private selectWorkingSet(): boolean {
    const { y, G, inUp } = this;
    const activeSize = this.activeSize;
    let gMax = this.nextUpViolation;
    let gMaxIndex = this.nextUpIndex;
    if (!this.hasNextUp) {
      gMax = -Infinity;
      gMaxIndex = -1;
      for (let t = 0; t < activeSize; t++) {
        if (inUp[t] === 0) continue;
        const violation = -y[t] * G[t];
        if (violation >= gMax) {
          gMax = violation;
          gMaxIndex = t;
        }
      }
    }
    this.hasNextUp = false;
    const i = gMaxIndex;
    if (i === -1) return false;
    const Qi = this.Q.row(i, activeSize);
    const gMinIndex = this.loops.selectPartner(Qi, i, gMax, activeSize);
    const gMax2 = this.loops.lastGMax2;
    this.violation = gMax + gMax2;
    if (gMax + gMax2 < this.tol || gMinIndex === -1) return false;
    this.selectedI = gMaxIndex;
    this.selectedJ = gMinIndex;
    return true;
  }

  private isShrinkable(i: number, gMax1: number, gMax2: number): boolean {
    const status = this.status[i];
    if (status === UPPER_BOUND) return this.y[i] === 1 ? -this.G[i] > gMax1 : -this.G[i] > gMax2;
    if (status === LOWER_BOUND) return this.y[i] === 1 ? this.G[i] > gMax2 : this.G[i] > gMax1;
    return false;
  }

  /** Moves bound variables that are unlikely to change to the end of the active set. */
  private shrink(): void {
    this.hasNextUp = false;
    const { y, G, status } = this;
    let gMax1 = -Infinity; // max −y_i·∇f_i over I_up
    let gMax2 = -Infinity; // max  y_i·∇f_i over I_low
    for (let i = 0; i < this.activeSize; i++) {
      const up = status[i] !== UPPER_BOUND;
      const low = status[i] !== LOWER_BOUND;
      if (y[i] === 1) {
        if (up && -G[i] >= gMax1) gMax1 = -G[i];
        if (low && G[i] >= gMax2) gMax2 = G[i];
      } else {
        if (up && -G[i] >= gMax2) gMax2 = -G[i];
        if (low && G[i] >= gMax1) gMax1 = G[i];
      }
    }
    if (!this.unshrink && gMax1 + gMax2 <= this.tol * 10) {
      // Close to the optimum: bring everything back once so early shrinking mistakes are undone.
      this.unshrink = true;
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    for (let i = 0; i < this.activeSize; i++) {
      if (!this.isShrinkable(i, gMax1, gMax2)) continue;
      this.activeSize--;
      while (this.activeSize > i) {
        if (!this.isShrinkable(this.activeSize, gMax1, gMax2)) {
          this.swapIndex(i, this.activeSize);
          break;
        }
        this.activeSize--;
      }
    }
  }

  private swapIndex(i: number, j: number): void {
    this.Q.swapIndex(i, j);
    swap(this.y, i, j);
    swap(this.G, i, j);
    swap(this.status, i, j);
    swap(this.inUp, i, j);
    swap(this.inLow, i, j);
    swap(this.alpha, i, j);
    swap(this.activeSet, i, j);
    swap(this.GBar, i, j);
    swap(this.C, i, j);
    swap(this.QD, i, j);
  }

  /** Recomputes the gradient of shrunk variables from GBar and the free variables. */
  private reconstructGradient(): void {
    this.hasNextUp = false;
    const { l, activeSize, G, GBar, alpha, status } = this;
    if (activeSize === l) return;
    for (let j = activeSize; j < l; j++) G[j] = GBar[j] - 1;
    let freeCount = 0;
    for (let j = 0; j < activeSize; j++) if (status[j] === FREE) freeCount++;
    // Read whichever set of kernel rows is shorter overall, as libsvm does.
    if (freeCount * l > 2 * activeSize * (l - activeSize)) {
      for (let i = activeSize; i < l; i++) {
        const Qi = this.Q.row(i, activeSize);
        let sum = G[i];
        for (let j = 0; j < activeSize; j++) if (status[j] === FREE) sum += alpha[j] * Qi[j];
        G[i] = sum;
      }
    } else {
      for (let i = 0; i < activeSize; i++) {
        if (status[i] !== FREE) continue;
        const Qi = this.Q.row(i, l);
        const alphaI = alpha[i];
        for (let j = activeSize; j < l; j++) G[j] += alphaI * Qi[j];
      }
    }
  }

  /** The bias: mean of y_i·∇f_i over free variables, else the midpoint of the feasible range. */
  private calculateRho(): number {
    const { y, G, status } = this;
    let upper = Infinity;
    let lower = -Infinity;
    let freeCount = 0;
    let freeSum = 0;
    for (let i = 0; i < this.activeSize; i++) {
      const yG = y[i] * G[i];
      if (status[i] === UPPER_BOUND) {
        if (y[i] === -1) upper = Math.min(upper, yG);
        else lower = Math.max(lower, yG);
      } else if (status[i] === LOWER_BOUND) {
        if (y[i] === 1) upper = Math.min(upper, yG);
        else lower = Math.max(lower, yG);
      } else {
        freeCount++;
        freeSum += yG;
      }
    }
    return freeCount > 0 ? freeSum / freeCount : (upper + lower) / 2;
  }
}

function swap(values: Float64Array | Uint8Array | Int32Array, i: number, j: number): void {
  const value = values[i];
  values[i] = values[j];
  values[j] = value;
}
