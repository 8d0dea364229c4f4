/**
 * The multinomial (softmax) objective of LogisticRegression in float64 JavaScript, straight over the
 * caller's feature matrix, like logistic-binary.ts for two classes: no float32 copy and no
 * TensorFlow.js heap. Standardisation is folded into the parameters: with b = θ/s per class and
 * c = θ_intercept − Σ (m − v)·b, a row's logits are c + Σ (x − v)·b, and the gradient on the
 * standardised columns is (Σ r·(x − v) − (m − v)·Σ r)/s, for any centre v per column.
 *
 * Dense columns are read as they are (v = 0), a block of rows at a time (row-blocks.ts): from the
 * row-major `data` when the matrix has no columns, otherwise copied from its `columns` into a small
 * row-major buffer, so the full row-major copy is never made. When most values of the table equal their column's centre
 * (column-centres.ts: blank pixels, one-hot columns), each row keeps only the values that differ
 * from it (built once per fit, 12 bytes a value): the products then skip the rest.
 */
import { readRow, type Matrix } from '../frame';
import type { ColumnCentres } from './column-centres';
import { BLOCK_ROWS, rowBlocks, type RowBlocks } from './row-blocks';

export interface MultinomialObjective {
  /** Σ wᵢ·(−log softmax(zᵢ)[yᵢ]) at θ (width × K row-major, intercept row last) and its gradient, without the penalty. */
  evaluate: (theta: Float64Array) => { loss: number; gradient: Float64Array };
  /** Weighted mean of p(1 − p) over rows and classes at the last evaluated point. */
  curvature: () => number;
}

/**
 * Rows kept as their differing values only when at most this share of all values differ from their
 * centre: at 12 bytes a value, that copy is then at most half the size of a row-major one.
 */
const SPARSE_SHARE = 1 / 3;

/** Each row's values that differ from their column's centre, minus that centre, with their column's offset j·stride. */
interface SparseRows {
  starts: Int32Array;
  positions: Int32Array;
  values: Float64Array;
}

export function multinomialObjective(
  X: Matrix,
  y: Int32Array,
  K: number,
  weights: Float32Array,
  means: Float64Array,
  scales: Float64Array,
  columnCentres: ColumnCentres,
): MultinomialObjective {
  const { rows: n, cols: p } = X;
  // Classes padded to a multiple of four, so that the products need no loop for the remainder
  // (the padding's slopes stay 0, so its logits and residuals do too).
  const stride = 4 * Math.ceil(K / 4);
  const sparse = sparseRows(X, stride, columnCentres);
  // Dense rows are read as they are (centre 0).
  const centres = sparse ? columnCentres.centres : new Float64Array(p);
  const shifts = Float64Array.from(means, (mean, j) => mean - centres[j]);
  const slopes = new Float64Array(p * stride);
  const offsets = new Float64Array(stride);
  const sums = new Float64Array(p * stride);
  const residualSums = new Float64Array(K);
  const logits = new Float64Array(stride);
  const blocks = sparse ? null : rowBlocks(X);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights[i];
  let curvature = (1 / K) * (1 - 1 / K);

  const evaluate = (theta: Float64Array) => {
    for (let k = 0; k < K; k++) offsets[k] = theta[p * K + k];
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < K; k++) {
        const slope = theta[j * K + k] / scales[j];
        slopes[j * stride + k] = slope;
        offsets[k] -= shifts[j] * slope;
      }
    }
    sums.fill(0);
    residualSums.fill(0);
    const running = { loss: 0, curvature: 0 };
    for (let start = 0; start < n; start += BLOCK_ROWS) {
      const end = Math.min(n, start + BLOCK_ROWS);
      const first = blocks ? blocks.read(start, end) : 0;
      for (let i = start; i < end; i++) {
        const row = first + (i - start) * p;
        logits.set(offsets);
        if (sparse) sparseLogits(sparse, i, slopes, stride, logits);
        else denseLogits((blocks as RowBlocks).values, row, p, slopes, stride, logits);
        toResiduals(logits, K, y[i], weights[i], running);
        for (let k = 0; k < K; k++) residualSums[k] += logits[k];
        if (sparse) sparseGradient(sparse, i, logits, stride, sums);
        else denseGradient((blocks as RowBlocks).values, row, p, logits, stride, sums);
      }
    }
    curvature = running.curvature / (K * totalWeight);
    const gradient = new Float64Array((p + 1) * K);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < K; k++) gradient[j * K + k] = (sums[j * stride + k] - shifts[j] * residualSums[k]) / scales[j];
    }
    for (let k = 0; k < K; k++) gradient[p * K + k] = residualSums[k];
    return { loss: running.loss, gradient };
  };
  return { evaluate, curvature: () => curvature };
}

/**
 * Turns a row's logits into its weighted residuals w·(softmax − onehot) in place, adds its loss
 * and its Σ p(1 − p) to running. The loss is log(1 + Σ_{k ≠ top} e^(z_k − z_top)) + z_top − z_y,
 * through log1p, so it keeps its relative accuracy however sure the row is.
 */
function toResiduals(logits: Float64Array, K: number, label: number, w: number, running: { loss: number; curvature: number }): void {
  let top = 0;
  for (let k = 1; k < K; k++) if (logits[k] > logits[top]) top = k;
  const max = logits[top];
  const own = logits[label];
  let others = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(logits[k] - max);
    logits[k] = e;
    if (k !== top) others += e;
  }
  running.loss += w * (Math.log1p(others) + (max - own));
  const total = 1 + others;
  let squares = 0;
  for (let k = 0; k < K; k++) {
    const probability = logits[k] / total;
    squares += probability * probability;
    logits[k] = w * probability;
  }
  logits[label] -= w;
  // Σ p(1 − p) = 1 − Σ p².
  running.curvature += w * (1 - squares);
}

// The four products below keep four classes at a time in local variables, so each value of the row
// is loaded once per four classes and each running sum stays in a register; `stride` is the padded
// class count.

/** logits[k] += Σⱼ values[row + j]·slopes[j·stride + k]. */
function denseLogits(values: Float64Array, row: number, p: number, slopes: Float64Array, stride: number, logits: Float64Array): void {
  for (let k = 0; k < stride; k += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0, at = k; j < p; j++, at += stride) {
      const x = values[row + j];
      a0 += x * slopes[at];
      a1 += x * slopes[at + 1];
      a2 += x * slopes[at + 2];
      a3 += x * slopes[at + 3];
    }
    logits[k] += a0;
    logits[k + 1] += a1;
    logits[k + 2] += a2;
    logits[k + 3] += a3;
  }
}

/** sums[j·stride + k] += values[row + j]·residuals[k]. */
function denseGradient(values: Float64Array, row: number, p: number, residuals: Float64Array, stride: number, sums: Float64Array): void {
  for (let k = 0; k < stride; k += 4) {
    const r0 = residuals[k];
    const r1 = residuals[k + 1];
    const r2 = residuals[k + 2];
    const r3 = residuals[k + 3];
    for (let j = 0, at = k; j < p; j++, at += stride) {
      const x = values[row + j];
      sums[at] += x * r0;
      sums[at + 1] += x * r1;
      sums[at + 2] += x * r2;
      sums[at + 3] += x * r3;
    }
  }
}

function sparseLogits({ starts, positions, values }: SparseRows, i: number, slopes: Float64Array, stride: number, logits: Float64Array): void {
  const first = starts[i];
  const last = starts[i + 1];
  for (let k = 0; k < stride; k += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let t = first; t < last; t++) {
      const x = values[t];
      const at = positions[t] + k;
      a0 += x * slopes[at];
      a1 += x * slopes[at + 1];
      a2 += x * slopes[at + 2];
      a3 += x * slopes[at + 3];
    }
    logits[k] += a0;
    logits[k + 1] += a1;
    logits[k + 2] += a2;
    logits[k + 3] += a3;
  }
}

function sparseGradient({ starts, positions, values }: SparseRows, i: number, residuals: Float64Array, stride: number, sums: Float64Array): void {
  const first = starts[i];
  const last = starts[i + 1];
  for (let k = 0; k < stride; k += 4) {
    const r0 = residuals[k];
    const r1 = residuals[k + 1];
    const r2 = residuals[k + 2];
    const r3 = residuals[k + 3];
    for (let t = first; t < last; t++) {
      const x = values[t];
      const at = positions[t] + k;
      sums[at] += x * r0;
      sums[at + 1] += x * r1;
      sums[at + 2] += x * r2;
      sums[at + 3] += x * r3;
    }
  }
}

/**
 * The rows as their values away from their column's centre, when at most SPARSE_SHARE of all
 * values are (the sample says so first, so dense tables cost no pass); otherwise null.
 */
function sparseRows(X: Matrix, stride: number, { centres, differingShare }: ColumnCentres): SparseRows | null {
  if (differingShare > SPARSE_SHARE) return null;
  const { rows: n, cols: p } = X;
  const row = new Float64Array(p);
  let differing = 0;
  for (let i = 0; i < n; i++) {
    readRow(X, i, row);
    for (let j = 0; j < p; j++) if (row[j] !== centres[j]) differing++;
  }
  // More values away from their centres than the sample said: the rows are dense after all.
  if (differing > SPARSE_SHARE * n * p) return null;
  const starts = new Int32Array(n + 1);
  const positions = new Int32Array(differing);
  const values = new Float64Array(differing);
  let t = 0;
  for (let i = 0; i < n; i++) {
    readRow(X, i, row);
    for (let j = 0; j < p; j++) {
      if (row[j] !== centres[j]) {
        positions[t] = j * stride;
        values[t++] = row[j] - centres[j];
      }
    }
    starts[i + 1] = t;
  }
  return { starts, positions, values };
}
