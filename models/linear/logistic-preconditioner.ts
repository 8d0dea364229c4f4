/**
 * The preconditioner behind LogisticRegression's L-BFGS: M = c·XᵀSX + diag(penalty) on the
 * standardised columns plus a ones column (S the row weights), with c the loss's current mean
 * curvature. It absorbs feature correlations and scale, so the solver needs few iterations; it
 * only shapes the steps, never the optimum.
 */
import type { Matrix } from '../frame';
import { choleskyFactor } from '../linalg';

/** Multiply-adds allowed for the Gram matrix in JavaScript (zeros skipped); larger data is sampled. */
const GRAM_WORK_BUDGET = 3e7;
/** The same for dense data, whose Gram matrix TensorFlow.js computes several times faster. */
const DENSE_GRAM_WORK_BUDGET = 1.5e8;
/** Above this share of non-zero values a row is dense: skipping zeros no longer pays. */
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
  /** Exact Σ wᵢ·dᵢⱼ² of the standardised design, ones column last. */
  diagonal: Float64Array;
  penalty: Float64Array;
  /** XᵀSX of the standardised design over `sampleRows` evenly spaced rows, rescaled to the full weight. */
  denseGram: (sampleRows: number) => Float64Array;
}

/**
 * Returns M⁻¹·g for a width × outputs gradient (row-major), with M built for the given mean
 * curvature. Factors are kept per curvature rounded to a power of √2, so the solver can follow
 * the curvature as the fit sharpens without refactoring on every step.
 */
export function createPreconditioner(inputs: GramInputs): (gradient: Float64Array, outputs: number, curvature: number) => Float64Array {
  const width = inputs.penalty.length;
  const gram = standardizedGram(inputs);
  let trace = 0;
  for (let j = 0; j < width; j++) trace += gram[j * width + j];
  const factors = new Map<number, Float64Array>();
  const factorFor = (curvature: number) => {
    const level = Math.round(2 * Math.log2(Math.max(curvature, MIN_CURVATURE)));
    let lower = factors.get(level);
    if (!lower) {
      const rounded = 2 ** (level / 2);
      const matrix = new Float64Array(gram.length);
      for (let index = 0; index < gram.length; index++) matrix[index] = rounded * gram[index];
      for (let j = 0; j < width; j++) matrix[j * width + j] += inputs.penalty[j];
      lower = factorWithRidge(matrix, width, (rounded * trace) / width);
      factors.set(level, lower);
    }
    return lower;
  };
  return (gradient, outputs, curvature) => choleskySolveColumns(factorFor(curvature), width, outputs, gradient);
}

/**
 * XᵀSX of the standardised design plus ones column. Mostly-zero data (one-hot columns) is
 * accumulated in JavaScript on the raw values, zeros skipped, then centred and scaled:
 * Σw(x−m)(x'−m') = Σwxx' − m'Σwx − mΣwx' + W·m·m'. Dense data goes to TensorFlow.js. Large data
 * uses evenly spaced rows, rescaled to the full weight; the diagonal is always exact. Too many
 * columns for a dense factorisation: the diagonal alone.
 */
function standardizedGram(inputs: GramInputs): Float64Array {
  const { X, diagonal } = inputs;
  const width = X.cols + 1;
  const nonZeros = averageNonZeros(X);
  const denseRows = nonZeros > DENSE_SHARE * X.cols;
  const budget = denseRows ? DENSE_GRAM_WORK_BUDGET : GRAM_WORK_BUDGET;
  const sampleRows = Math.min(X.rows, Math.floor(budget / (denseRows ? width * width : (nonZeros + 1) ** 2 / 2)));
  const full = width <= MAX_DENSE_PRECONDITIONER_COLUMNS && (sampleRows === X.rows || sampleRows >= MIN_SAMPLED_ROWS_PER_COLUMN * width);
  const gram = !full
    ? new Float64Array(width * width)
    : denseRows
      ? inputs.denseGram(sampleRows)
      : sparseGram(inputs, sampleRows);
  for (let j = 0; j < width; j++) gram[j * width + j] = Math.max(gram[j * width + j], diagonal[j]);
  return gram;
}

/** The Gram matrix accumulated on the raw values, skipping zeros, then centred and scaled. */
function sparseGram({ X, weights, means, scales }: GramInputs, sampleRows: number): Float64Array {
  const { rows: n, cols: p, data } = X;
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
    for (let j = 0; j < p; j++) {
      const value = data[i * p + j];
      if (value !== 0) {
        columns[count] = j;
        values[count++] = value;
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

/** Mean count of non-zero values per row, from up to 1,000 evenly spaced rows. */
function averageNonZeros(X: Matrix): number {
  const probes = Math.min(X.rows, 1000);
  let nonZeros = 0;
  for (let s = 0; s < probes; s++) {
    const row = Math.floor((s * X.rows) / probes) * X.cols;
    for (let j = 0; j < X.cols; j++) if (X.data[row + j] !== 0) nonZeros++;
  }
  return nonZeros / probes;
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

/**
 * Solves (L·Lᵀ)·X = B for a width × outputs right-hand side stored row-major (one column per
 * class), all classes in one sweep so the inner loops run over contiguous memory.
 */
function choleskySolveColumns(lower: Float64Array, width: number, outputs: number, rhs: Float64Array): Float64Array {
  const x = rhs.slice();
  for (let i = 0; i < width; i++) {
    const row = i * outputs;
    for (let j = 0; j < i; j++) {
      const factor = lower[i * width + j];
      const other = j * outputs;
      for (let k = 0; k < outputs; k++) x[row + k] -= factor * x[other + k];
    }
    const pivot = lower[i * width + i];
    for (let k = 0; k < outputs; k++) x[row + k] /= pivot;
  }
  for (let i = width - 1; i >= 0; i--) {
    const row = i * outputs;
    for (let j = i + 1; j < width; j++) {
      const factor = lower[j * width + i];
      const other = j * outputs;
      for (let k = 0; k < outputs; k++) x[row + k] -= factor * x[other + k];
    }
    const pivot = lower[i * width + i];
    for (let k = 0; k < outputs; k++) x[row + k] /= pivot;
  }
  return x;
}
