/**
 * The preconditioner behind LogisticRegression's L-BFGS: M = c·XᵀSX + diag(penalty) on the
 * standardised columns plus a ones column (S the row weights), with c the loss's current mean
 * curvature. It absorbs feature correlations and scale, so the solver needs few iterations; it
 * only shapes the steps, never the optimum.
 */
import { readRow, type Matrix } from '../frame';
import { choleskyFactor } from '../linalg';
import type { ColumnCentres } from './column-centres';

/** Multiply-adds allowed for the Gram matrix in JavaScript (zeros skipped); larger data is sampled. */
const GRAM_WORK_BUDGET = 3e7;
/** The same for dense data, whose Gram matrix needs no index bookkeeping. */
const DENSE_GRAM_WORK_BUDGET = 1.5e8;
/** Above this share of values away from their column's centre a row is dense: skipping no longer pays. */
const DENSE_SHARE = 0.5;
/** A sampled Gram matrix needs this many rows per column to resemble the full one. */
const MIN_SAMPLED_ROWS_PER_COLUMN = 20;
/** Beyond this many columns the preconditioner's Cholesky factorisation gets slow. */
const MAX_DENSE_PRECONDITIONER_COLUMNS = 1000;
/** Below this mean curvature the data term no longer shapes the preconditioner. */
const MIN_CURVATURE = 1e-8;

export interface GramInputs {
  X: Matrix;
  weights: Float32Array;
  means: Float64Array;
  scales: Float64Array;
  penalty: Float64Array;
  /** Values equal to their column's centre are skipped when most are. */
  centres: ColumnCentres;
}

export interface Preconditioner {
  /** M⁻¹·g for a width × outputs gradient (row-major). */
  apply: (gradient: Float64Array, outputs: number, curvature: number) => Float64Array;
  /** vᵀ·M⁻¹·v = ‖L⁻¹·v‖², which needs only the forward half of the solve. */
  inverseSquare: (vector: Float64Array, outputs: number, curvature: number) => number;
}

/**
 * M built for the given mean curvature. Factors are kept per curvature rounded to a power of
 * √2, so the solver can follow the curvature as the fit sharpens without refactoring on every step.
 */
export function createPreconditioner(inputs: GramInputs): Preconditioner {
  const width = inputs.penalty.length;
  const gram = standardizedGram(inputs);
  let trace = 0;
  for (let j = 0; j < width; j++) trace += gram[j * width + j];
  const factors = new Map<number, TriangularFactor>();
  const factorFor = (curvature: number) => {
    const level = Math.round(2 * Math.log2(Math.max(curvature, MIN_CURVATURE)));
    let factor = factors.get(level);
    if (!factor) {
      const rounded = 2 ** (level / 2);
      const matrix = new Float64Array(gram.length);
      for (let index = 0; index < gram.length; index++) matrix[index] = rounded * gram[index];
      for (let j = 0; j < width; j++) matrix[j * width + j] += inputs.penalty[j];
      factor = withTranspose(factorWithRidge(matrix, width, (rounded * trace) / width), width);
      factors.set(level, factor);
    }
    return factor;
  };
  return {
    apply: (gradient, outputs, curvature) => choleskySolveColumns(factorFor(curvature), width, outputs, gradient),
    inverseSquare: (vector, outputs, curvature) => forwardSquares(factorFor(curvature).lower, width, outputs, vector),
  };
}

/**
 * XᵀSX of the standardised design plus ones column. Data whose values mostly equal their column's
 * centre v (one-hot columns, blank pixels) is accumulated on u = x − v, those values skipped, then
 * centred and scaled: with μ = m − v, Σw(x−m)(x'−m') = Σwuu' − μ'Σwu − μΣwu' + W·μ·μ'; dense data
 * on the standardised rows. Large data
 * uses evenly spaced rows, rescaled to the full weight; the diagonal is always exact. Too many
 * columns for a dense factorisation: the diagonal alone.
 */
function standardizedGram(inputs: GramInputs): Float64Array {
  const { X } = inputs;
  const diagonal = standardizedDiagonal(inputs);
  const width = X.cols + 1;
  const nonZeros = inputs.centres.differingShare * X.cols;
  const denseRows = nonZeros > DENSE_SHARE * X.cols;
  const budget = denseRows ? DENSE_GRAM_WORK_BUDGET : GRAM_WORK_BUDGET;
  const sampleRows = Math.min(X.rows, Math.floor(budget / (denseRows ? width * width : (nonZeros + 1) ** 2 / 2)));
  const full = width <= MAX_DENSE_PRECONDITIONER_COLUMNS && (sampleRows === X.rows || sampleRows >= MIN_SAMPLED_ROWS_PER_COLUMN * width);
  const gram = !full
    ? new Float64Array(width * width)
    : denseRows
      ? sampledGram(inputs, sampleRows)
      : sparseGram(inputs, sampleRows);
  for (let j = 0; j < width; j++) gram[j * width + j] = Math.max(gram[j * width + j], diagonal[j]);
  return gram;
}

/** The Gram matrix accumulated on the values away from their centres, then centred and scaled. */
function sparseGram({ X, weights, means: columnMeans, scales, centres: { centres } }: GramInputs, sampleRows: number): Float64Array {
  const { rows: n, cols: p } = X;
  const means = Float64Array.from(columnMeans, (mean, j) => mean - centres[j]);
  const row = new Float64Array(p);
  const width = p + 1;
  const gram = new Float64Array(width * width);
  const raw = new Float64Array(p * p);
  const sums = new Float64Array(p);
  const columns = new Int32Array(p);
  const values = new Float64Array(p);
  let sampledWeight = 0;
  for (let s = 0; s < sampleRows; s++) {
    const i = sampleRows === n ? s : Math.floor((s * n) / sampleRows);
    const w = weights[i];
    let count = 0;
    readRow(X, i, row);
    for (let j = 0; j < p; j++) {
      const value = row[j];
      if (value !== centres[j]) {
        columns[count] = j;
        values[count++] = value - centres[j];
      }
    }
    for (let a = 0; a < count; a++) {
      const weighted = w * values[a];
      const offset = columns[a] * p;
      sums[columns[a]] += weighted;
      for (let b = 0; b <= a; b++) raw[offset + columns[b]] += weighted * values[b];
    }
    sampledWeight += w;
  }
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights[i];
  const rescale = totalWeight / sampledWeight;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      const centred = raw[a * p + b] - means[b] * sums[a] - means[a] * sums[b] + sampledWeight * means[a] * means[b];
      gram[a * width + b] = gram[b * width + a] = (rescale * centred) / (scales[a] * scales[b]);
    }
    gram[p * width + a] = gram[a * width + p] = (rescale * (sums[a] - sampledWeight * means[a])) / scales[a];
  }
  return gram;
}

/** Exact Σ wᵢ·dᵢⱼ² of the standardised columns plus the ones column (last). */
function standardizedDiagonal({ X, weights, means, scales }: GramInputs): Float64Array {
  const { rows: n, cols: p } = X;
  const diagonal = new Float64Array(p + 1);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    readRow(X, i, row);
    const w = weights[i];
    for (let j = 0; j < p; j++) {
      const deviation = row[j] - means[j];
      diagonal[j] += w * deviation * deviation;
    }
    diagonal[p] += w;
  }
  for (let j = 0; j < p; j++) diagonal[j] /= scales[j] * scales[j];
  return diagonal;
}

/** The weighted Gram matrix of the standardised rows (ones column last) over evenly spaced rows. */
function sampledGram({ X, weights, means, scales }: GramInputs, sampleRows: number): Float64Array {
  const { rows: n, cols: p } = X;
  const width = p + 1;
  const gram = new Float64Array(width * width);
  const standardized = new Float64Array(width);
  let sampledWeight = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights[i];
  for (let s = 0; s < sampleRows; s++) {
    const i = sampleRows >= n ? s : Math.floor((s * n) / sampleRows);
    const w = weights[i];
    readRow(X, i, standardized);
    for (let j = 0; j < p; j++) standardized[j] = (standardized[j] - means[j]) / scales[j];
    standardized[p] = 1;
    for (let a = 0; a < width; a++) {
      const weighted = w * standardized[a];
      const offset = a * width;
      for (let b = 0; b <= a; b++) gram[offset + b] += weighted * standardized[b];
    }
    sampledWeight += w;
  }
  const rescale = totalWeight / sampledWeight;
  for (let a = 0; a < width; a++) {
    for (let b = 0; b <= a; b++) gram[a * width + b] = gram[b * width + a] = rescale * gram[a * width + b];
  }
  return gram;
}

/**
 * Nearly collinear columns plus rounding can leave the Gram matrix a hair indefinite; a
 * preconditioner only has to be positive definite, so add the smallest ridge that makes it so.
 */
function factorWithRidge(matrix: Float64Array, width: number, typicalDiagonal: number): Float64Array {
  for (const relativeRidge of [1e-10, 1e-7, 1e-5, 1e-3, 1e-1]) {
    const ridged = Float64Array.from(matrix);
    for (let j = 0; j < width; j++) ridged[j * width + j] += relativeRidge * typicalDiagonal;
    try {
      return choleskyFactor(ridged, width);
    } catch {
      // Try a larger ridge.
    }
  }
  const diagonalOnly = new Float64Array(width * width);
  for (let j = 0; j < width; j++) diagonalOnly[j * width + j] = matrix[j * width + j] + typicalDiagonal;
  return choleskyFactor(diagonalOnly, width);
}

/** A Cholesky factor L and its transpose, both row-major, so both triangular solves read rows. */
interface TriangularFactor {
  lower: Float64Array;
  upper: Float64Array;
}

function withTranspose(lower: Float64Array, width: number): TriangularFactor {
  const upper = new Float64Array(lower.length);
  for (let i = 0; i < width; i++) for (let j = 0; j <= i; j++) upper[j * width + i] = lower[i * width + j];
  return { lower, upper };
}

/**
 * Solves (L·Lᵀ)·X = B for a width × outputs right-hand side stored row-major (one column per
 * class), one class at a time on a contiguous copy of its column, so that every inner loop is a
 * dot product over contiguous memory (this runs twice per solver iteration).
 */
function choleskySolveColumns({ lower, upper }: TriangularFactor, width: number, outputs: number, rhs: Float64Array): Float64Array {
  const x = new Float64Array(rhs.length);
  const column = new Float64Array(width);
  for (let k = 0; k < outputs; k++) {
    for (let i = 0; i < width; i++) column[i] = rhs[i * outputs + k];
    forwardSolve(lower, width, column);
    for (let i = width - 1; i >= 0; i--) {
      const row = i * width;
      column[i] = (column[i] - dotRange(upper, row + i + 1, column, i + 1, width - i - 1)) / upper[row + i];
    }
    for (let i = 0; i < width; i++) x[i * outputs + k] = column[i];
  }
  return x;
}

/** Σ over classes of ‖L⁻¹·v_k‖² for a width × outputs v stored row-major. */
function forwardSquares(lower: Float64Array, width: number, outputs: number, vector: Float64Array): number {
  const column = new Float64Array(width);
  let sum = 0;
  for (let k = 0; k < outputs; k++) {
    for (let i = 0; i < width; i++) column[i] = vector[i * outputs + k];
    forwardSolve(lower, width, column);
    sum += dotRange(column, 0, column, 0, width);
  }
  return sum;
}

/** Overwrites b with L⁻¹·b. */
function forwardSolve(lower: Float64Array, width: number, b: Float64Array): void {
  for (let i = 0; i < width; i++) {
    const row = i * width;
    b[i] = (b[i] - dotRange(lower, row, b, 0, i)) / lower[row + i];
  }
}

/** Σ a[aStart + t]·b[bStart + t] over `length` terms, with four running sums to keep the FPU busy. */
function dotRange(a: Float64Array, aStart: number, b: Float64Array, bStart: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < length; t += 4) {
    s0 += a[aStart + t] * b[bStart + t];
    s1 += a[aStart + t + 1] * b[bStart + t + 1];
    s2 += a[aStart + t + 2] * b[bStart + t + 2];
    s3 += a[aStart + t + 3] * b[bStart + t + 3];
  }
  for (; t < length; t++) s0 += a[aStart + t] * b[bStart + t];
  return s0 + s1 + s2 + s3;
}
