/**
 * Probability estimates for support vector machines, as in libsvm: Platt's sigmoid fitted to
 * cross-validated decision values (with the Newton method of Lin, Lin & Weng 2007), and
 * pairwise coupling of the one-vs-one probabilities (method 2 of Wu, Lin & Weng 2004).
 */
import { supportVectorKernel, type KernelFunction } from './svm-kernel';
import { solveBinaryProblem, type BinaryProblem, type SolverCheckpoint, type SolverSettings } from './svm-solver';

/** Pairwise probabilities are kept this far from 0 and 1 before coupling, like libsvm. */
const MIN_PAIRWISE_PROBABILITY = 1e-7;
export const PLATT_FOLDS = 5;

export interface PlattSigmoid {
  /** P(first class of the pair | decision value f) = 1 / (1 + exp(A·f + B)). */
  A: number;
  B: number;
}

/** Loss of the sigmoid at (A, B) against regularised targets t. */
function sigmoidLoss(decisionValues: Float64Array, targets: Float64Array, A: number, B: number): number {
  let loss = 0;
  for (let i = 0; i < decisionValues.length; i++) {
    const fApB = decisionValues[i] * A + B;
    loss += fApB >= 0 ? targets[i] * fApB + Math.log1p(Math.exp(-fApB)) : (targets[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
  }
  return loss;
}

/**
 * Fits Platt's sigmoid by Newton's method with backtracking. Targets are smoothed towards the
 * class priors ((N₊+1)/(N₊+2), 1/(N₋+2)) so a perfectly separated fold cannot push A to infinity.
 */
export function fitSigmoid(decisionValues: Float64Array, positive: Uint8Array): PlattSigmoid {
  const l = decisionValues.length;
  let prior1 = 0;
  for (let i = 0; i < l; i++) prior1 += positive[i];
  const prior0 = l - prior1;
  const hiTarget = (prior1 + 1) / (prior1 + 2);
  const loTarget = 1 / (prior0 + 2);
  const targets = Float64Array.from(positive, (p) => (p ? hiTarget : loTarget));
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  let loss = sigmoidLoss(decisionValues, targets, A, B);
  for (let iteration = 0; iteration < 100; iteration++) {
    // Hessian with a tiny ridge so it stays strictly positive definite.
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < l; i++) {
      const f = decisionValues[i];
      const fApB = f * A + B;
      const e = Math.exp(-Math.abs(fApB));
      const p = fApB >= 0 ? e / (1 + e) : 1 / (1 + e);
      const q = fApB >= 0 ? 1 / (1 + e) : e / (1 + e);
      const d2 = p * q;
      h11 += f * f * d2;
      h22 += d2;
      h21 += f * d2;
      const d1 = targets[i] - p;
      g1 += f * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const slope = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const candidate = sigmoidLoss(decisionValues, targets, A + step * dA, B + step * dB);
      if (candidate < loss + 1e-4 * step * slope) {
        A += step * dA;
        B += step * dB;
        loss = candidate;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { A, B };
}

export function sigmoidProbability(decisionValue: number, { A, B }: PlattSigmoid): number {
  const fApB = decisionValue * A + B;
  // Written so that 1 − p stays accurate too.
  return fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
}

/**
 * Class probabilities from one-vs-one decision values (libsvm pair order), written into
 * out[offset .. offset + K). Used for two classes as well, exactly as scikit-learn does.
 */
export function coupledProbabilities(
  decisionValues: Float64Array,
  decisionOffset: number,
  sigmoids: PlattSigmoid[],
  K: number,
  out: Float64Array,
  offset: number,
): void {
  const r: number[][] = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let pair = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const probability = sigmoidProbability(decisionValues[decisionOffset + pair], sigmoids[pair]);
      r[i][j] = Math.min(Math.max(probability, MIN_PAIRWISE_PROBABILITY), 1 - MIN_PAIRWISE_PROBABILITY);
      r[j][i] = 1 - r[i][j];
      pair++;
    }
  }
  const p = coupling(r, K);
  for (let k = 0; k < K; k++) out[offset + k] = p[k];
}

/** Wu, Lin & Weng's method 2: min ½pᵀQp on the simplex, by libsvm's fixed-point iteration. */
function coupling(r: number[][], K: number): Float64Array {
  const Q: number[][] = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const p = new Float64Array(K).fill(1 / K);
  const Qp = new Float64Array(K);
  for (let t = 0; t < K; t++) {
    for (let j = 0; j < K; j++) {
      if (j === t) continue;
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = -r[j][t] * r[t][j];
    }
  }
  const tolerance = 0.005 / K;
  for (let iteration = 0; iteration < Math.max(100, K); iteration++) {
    let pQp = 0;
    for (let t = 0; t < K; t++) {
      Qp[t] = 0;
      for (let j = 0; j < K; j++) Qp[t] += Q[t][j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < K; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
    if (maxError < tolerance) break;
    for (let t = 0; t < K; t++) {
      const diff = (-Qp[t] + pQp) / Q[t][t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < K; j++) {
        Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return p;
}

/** Uniform numbers in [0, 1). */
type RandomSource = () => number;

/**
 * Platt sigmoid for one binary machine, fitted on decision values that each row received from
 * a machine trained without it (5-fold cross-validation over a seeded shuffle), so the
 * sigmoid sees honest out-of-sample margins rather than the optimistic training ones.
 */
export async function crossValidatedSigmoid(
  problem: BinaryProblem,
  settings: SolverSettings,
  random: RandomSource,
  foldCheckpoint: (fold: number) => SolverCheckpoint,
): Promise<PlattSigmoid> {
  const l = problem.rows;
  const order = Int32Array.from({ length: l }, (_, i) => i);
  for (let i = 0; i < l; i++) {
    const j = i + Math.floor(random() * (l - i));
    const value = order[i];
    order[i] = order[j];
    order[j] = value;
  }
  const decisionValues = new Float64Array(l);
  for (let fold = 0; fold < PLATT_FOLDS; fold++) {
    const begin = Math.floor((fold * l) / PLATT_FOLDS);
    const end = Math.floor(((fold + 1) * l) / PLATT_FOLDS);
    const trainRows = new Int32Array(l - (end - begin));
    trainRows.set(order.subarray(0, begin));
    trainRows.set(order.subarray(end), begin);
    const heldOut = order.subarray(begin, end);
    const checkpoint = foldCheckpoint(fold);
    const subproblem = selectRows(problem, trainRows);
    let positives = 0;
    for (let k = 0; k < subproblem.rows; k++) if (subproblem.y[k] === 1) positives++;
    if (positives === 0 || positives === subproblem.rows) {
      // A fold with one class left can only say which side everything is on.
      const constant = subproblem.rows === 0 ? 0 : positives > 0 ? 1 : -1;
      for (const row of heldOut) decisionValues[row] = constant;
      continue;
    }
    const solution = await solveBinaryProblem(subproblem, settings, checkpoint);
    writeDecisionValues(problem, subproblem, solution.coefficients, solution.rho, settings.kernel, heldOut, decisionValues);
  }
  return fitSigmoid(decisionValues, Uint8Array.from(problem.y, (label) => (label === 1 ? 1 : 0)));
}

function selectRows(problem: BinaryProblem, rows: Int32Array): BinaryProblem {
  const { cols } = problem;
  const x = new Float64Array(rows.length * cols);
  const y = new Int8Array(rows.length);
  const upperBounds = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    for (let c = 0; c < cols; c++) x[k * cols + c] = problem.x[row * cols + c];
    y[k] = problem.y[row];
    upperBounds[k] = problem.upperBounds[row];
  }
  return { x, rows: rows.length, cols, y, upperBounds };
}

function writeDecisionValues(
  problem: BinaryProblem,
  trained: BinaryProblem,
  coefficients: Float64Array,
  rho: number,
  kernel: KernelFunction,
  rows: Int32Array,
  out: Float64Array,
): void {
  const supportRows = Int32Array.from(coefficients.keys()).filter((k) => coefficients[k] !== 0);
  const supportVectors = selectRows(trained, supportRows).x;
  const supportCoefficients = Float64Array.from(supportRows, (k) => coefficients[k]);
  const kernelAgainstSupport = supportVectorKernel(kernel, supportVectors, supportRows.length, problem.cols);
  for (const row of rows) {
    const values = kernelAgainstSupport.evaluate(problem.x, row * problem.cols);
    let sum = 0;
    for (let s = 0; s < values.length; s++) sum += supportCoefficients[s] * values[s];
    out[row] = sum - rho;
  }
  kernelAgainstSupport.release();
}
