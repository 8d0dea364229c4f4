/**
 * The binary (sigmoid) objective of LogisticRegression in float64 JavaScript, straight over the
 * caller's feature matrix: no standardised copy and no TensorFlow.js heap, whose
 * WebAssembly memory would keep a float32 copy of every row (400 MB at a million rows × 50) for the
 * life of the process. Standardisation is folded into the parameters instead: with b = θ/s and
 * c = θ_intercept − Σ m·b, a row's logit is c + Σ x·b, and the gradient on the standardised columns
 * is (Σ r·x − m·Σ r)/s. Each row is read once per evaluation, its logit and its share of the gradient
 * taken while it is in cache. Rows are read a block at a time (row-blocks.ts): a matrix over a
 * table's columns is copied 64 rows at a time into a small buffer, never into its full row-major
 * copy, and the values and their order of summation are the same either way.
 */
import type { Matrix } from '../frame';
import { BLOCK_ROWS, rowBlocks } from './row-blocks';

export interface BinaryObjective {
  /** Σ wᵢ·logloss at θ (standardised units, intercept last) and its gradient, without the penalty. */
  evaluate: (theta: Float64Array) => { loss: number; gradient: Float64Array };
  /** Weighted mean of σ(z)(1 − σ(z)) at the last evaluated point. */
  curvature: () => number;
}

export function binaryObjective(X: Matrix, y: Int32Array, weights: Float32Array, means: Float64Array, scales: Float64Array): BinaryObjective {
  const { rows: n, cols: p } = X;
  const blocks = rowBlocks(X);
  const values = blocks.values;
  const slopes = new Float64Array(p);
  const sums = new Float64Array(p);
  let curvature = 0.25;
  const evaluate = (theta: Float64Array) => {
    let offset = theta[p];
    for (let j = 0; j < p; j++) {
      slopes[j] = theta[j] / scales[j];
      offset -= means[j] * slopes[j];
    }
    sums.fill(0);
    let loss = 0;
    let residualSum = 0;
    let curvatureSum = 0;
    let totalWeight = 0;
    for (let start = 0; start < n; start += BLOCK_ROWS) {
      const end = Math.min(n, start + BLOCK_ROWS);
      const first = blocks.read(start, end);
      for (let i = start; i < end; i++) {
        const row = first + (i - start) * p;
        const z = offset + dotRow(values, row, slopes, p);
        const w = weights[i];
        const label = y[i];
        const e = Math.exp(-Math.abs(z));
        const probability = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        loss += w * ((z > 0 ? z : 0) + Math.log1p(e) - label * z);
        const residual = w * (probability - label);
        residualSum += residual;
        curvatureSum += w * probability * (1 - probability);
        totalWeight += w;
        if (residual !== 0) addScaledRow(sums, values, row, residual, p);
      }
    }
    curvature = curvatureSum / totalWeight;
    const gradient = new Float64Array(p + 1);
    for (let j = 0; j < p; j++) gradient[j] = (sums[j] - means[j] * residualSum) / scales[j];
    gradient[p] = residualSum;
    return { loss, gradient };
  };
  return { evaluate, curvature: () => curvature };
}

/** Σ data[row + j]·b[j], four running sums. */
function dotRow(data: Float64Array, row: number, b: Float64Array, p: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < p; j += 4) {
    s0 += data[row + j] * b[j];
    s1 += data[row + j + 1] * b[j + 1];
    s2 += data[row + j + 2] * b[j + 2];
    s3 += data[row + j + 3] * b[j + 3];
  }
  for (; j < p; j++) s0 += data[row + j] * b[j];
  return s0 + s1 + s2 + s3;
}

/** sums += scale · data[row ..  row + p]. */
function addScaledRow(sums: Float64Array, data: Float64Array, row: number, scale: number, p: number): void {
  let j = 0;
  for (; j + 3 < p; j += 4) {
    sums[j] += scale * data[row + j];
    sums[j + 1] += scale * data[row + j + 1];
    sums[j + 2] += scale * data[row + j + 2];
    sums[j + 3] += scale * data[row + j + 3];
  }
  for (; j < p; j++) sums[j] += scale * data[row + j];
}
