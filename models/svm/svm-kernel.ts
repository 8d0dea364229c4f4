/**
 * Kernel evaluation for the support vector classifier: the dense row-major loops that dominate
 * training time, the least-recently-used cache of kernel rows the solver reads from, and the
 * kernel values a trained model needs at prediction time.
 */

import { loadRowKernels, loadSupportVectorKernels, type RowKernels } from './svm-wasm';

export type KernelKind = 'linear' | 'rbf';

export interface KernelFunction {
  kind: KernelKind;
  /** Width of the RBF kernel exp(−gamma·‖x − x′‖²); ignored by the linear kernel. */
  gamma: number;
}

/** Dot product of two rows of length `cols`, with four running sums so the adds can overlap. */
function dotRows(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, cols: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < cols; k += 4) {
    s0 += a[aOffset + k] * b[bOffset + k];
    s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
    s2 += a[aOffset + k + 2] * b[bOffset + k + 2];
    s3 += a[aOffset + k + 3] * b[bOffset + k + 3];
  }
  for (; k < cols; k++) s0 += a[aOffset + k] * b[bOffset + k];
  return s0 + s1 + (s2 + s3);
}

/**
 * Squared distance between two rows, summed from differences rather than from norms so that
 * near-identical rows keep full precision (libsvm does the same at prediction time).
 */
function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, cols: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < cols; k += 4) {
    const d0 = a[aOffset + k] - b[bOffset + k];
    const d1 = a[aOffset + k + 1] - b[bOffset + k + 1];
    const d2 = a[aOffset + k + 2] - b[bOffset + k + 2];
    const d3 = a[aOffset + k + 3] - b[bOffset + k + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; k < cols; k++) {
    const d = a[aOffset + k] - b[bOffset + k];
    s0 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}

function rowSquaredNorms(data: Float64Array, rows: number, cols: number): Float64Array {
  const norms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) norms[i] = dotRows(data, i * cols, data, i * cols, cols);
  return norms;
}

/**
 * Writes K(x, s) for one row x of `source` against every row s of `supportVectors` into `out`.
 * Used for decision values, where there is no cache to amortise and accuracy matters most.
 */
function kernelAgainstRows(
  kernel: KernelFunction,
  source: Float64Array,
  sourceOffset: number,
  supportVectors: Float64Array,
  count: number,
  cols: number,
  out: Float64Array,
): void {
  if (kernel.kind === 'linear') {
    for (let s = 0; s < count; s++) out[s] = dotRows(source, sourceOffset, supportVectors, s * cols, cols);
    return;
  }
  const gamma = kernel.gamma;
  for (let s = 0; s < count; s++) {
    out[s] = Math.exp(-gamma * squaredDistance(source, sourceOffset, supportVectors, s * cols, cols));
  }
}

export interface SupportVectorKernel {
  /** K(x, s) for the row x at source[offset ..] and each support vector s; reused by the next call. */
  evaluate(source: Float64Array, offset: number): Float64Array;
  /** Frees working memory; call once done. */
  release(): void;
}

/** Kernel values against `count` fixed support vectors, in WebAssembly when available. */
export function supportVectorKernel(
  kernel: KernelFunction,
  supportVectors: Float64Array,
  count: number,
  cols: number,
): SupportVectorKernel {
  const fast = loadSupportVectorKernels(supportVectors, count, cols, kernel.kind === 'rbf' ? kernel.gamma : 0);
  if (fast) return fast;
  const values = new Float64Array(count);
  return {
    evaluate(source, offset) {
      kernelAgainstRows(kernel, source, offset, supportVectors, count, cols, values);
      return values;
    },
    release() {},
  };
}

/** Evicted kernel rows kept for reuse; a handful covers the two rows an iteration needs. */
const MAX_SPARE_BUFFERS = 8;

/** Bytes of kernel rows kept between solver iterations, the same default as scikit-learn. */
export const DEFAULT_KERNEL_CACHE_BYTES = 200 * 1024 * 1024;

/**
 * libsvm's kernel cache: row i holds its first `length` entries (the solver only asks for the
 * active prefix while variables are shrunk), rows are evicted least-recently-used first, and
 * the budget is counted in stored entries so short rows let more of them fit.
 */
export class KernelRowCache {
  private readonly rows: (Float32Array | null)[];
  private readonly lengths: Int32Array;
  /** Doubly linked LRU list over row indices; index `size` is the sentinel, oldest after it. */
  private readonly previous: Int32Array;
  private readonly next: Int32Array;
  private freeEntries: number;
  /** Evicted rows kept for reuse, outside the budget (see takeBuffer). */
  private readonly spareBuffers: Float32Array[] = [];
  /** Position swaps not yet applied inside cached rows (see swapIndex). */
  private readonly pendingLow: number[] = [];
  private readonly pendingHigh: number[] = [];

  constructor(private readonly size: number, budgetBytes: number) {
    this.rows = new Array<Float32Array | null>(size).fill(null);
    this.lengths = new Int32Array(size);
    this.previous = new Int32Array(size + 1).fill(size);
    this.next = new Int32Array(size + 1).fill(size);
    // Bookkeeping is charged like libsvm's 32-byte row headers; two full rows must always fit
    // because the solver holds rows i and j at once.
    this.freeEntries = Math.max(Math.floor(budgetBytes / 4) - 8 * size, 2 * size);
  }

  /**
   * Makes row `index` hold at least `length` entries and marks it most recently used. Returns
   * the position from which entries still have to be computed (≥ length when none).
   */
  acquire(index: number, length: number): number {
    if (this.pendingLow.length > 0) this.applyPendingSwaps();
    const cached = this.lengths[index];
    if (cached > 0) this.unlink(index);
    const missing = length - cached;
    if (missing > 0) {
      while (this.freeEntries < missing) this.evict(this.next[this.size]);
      const grown = this.takeBuffer(length);
      const old = this.rows[index];
      if (old) {
        grown.set(old.subarray(0, cached));
        this.recycle(old);
      }
      this.rows[index] = grown;
      this.lengths[index] = length;
      this.freeEntries -= missing;
    }
    this.appendAsNewest(index);
    return missing > 0 ? cached : length;
  }

  /** The buffer of a row returned by the last `acquire` of that index. */
  rowAt(index: number): Float32Array {
    return this.rows[index] as Float32Array;
  }

  /**
   * Follows the solver swapping positions i and j. Row ownership moves at once; the entries
   * inside cached rows are swapped lazily, all pending swaps per row in one pass before the
   * next read, because shrinking swaps thousands of positions in a burst and visiting every
   * cached row once per swap is dominated by cache misses.
   */
  swapIndex(i: number, j: number): void {
    if (i === j) return;
    if (this.lengths[i] > 0) this.unlink(i);
    if (this.lengths[j] > 0) this.unlink(j);
    const row = this.rows[i];
    this.rows[i] = this.rows[j];
    this.rows[j] = row;
    const length = this.lengths[i];
    this.lengths[i] = this.lengths[j];
    this.lengths[j] = length;
    if (this.lengths[i] > 0) this.appendAsNewest(i);
    if (this.lengths[j] > 0) this.appendAsNewest(j);
    this.pendingLow.push(Math.min(i, j));
    this.pendingHigh.push(Math.max(i, j));
  }

  /** Applies the pending position swaps to every cached row, in the order they happened. */
  private applyPendingSwaps(): void {
    const count = this.pendingLow.length;
    const lows = Int32Array.from(this.pendingLow);
    const highs = Int32Array.from(this.pendingHigh);
    this.pendingLow.length = 0;
    this.pendingHigh.length = 0;
    const lowest = lows.reduce((min, low) => Math.min(min, low), Infinity);
    for (let h = this.next[this.size]; h !== this.size; ) {
      const following = this.next[h];
      const length = this.lengths[h];
      if (length > lowest) {
        const data = this.rows[h] as Float32Array;
        for (let s = 0; s < count; s++) {
          const low = lows[s];
          if (length <= low) continue;
          const high = highs[s];
          if (length <= high) {
            // The row covers one position but not the other; recomputing later is simpler.
            this.evict(h);
            break;
          }
          const value = data[low];
          data[low] = data[high];
          data[high] = value;
        }
      }
      h = following;
    }
  }

  private evict(index: number): void {
    this.unlink(index);
    this.freeEntries += this.lengths[index];
    this.recycle(this.rows[index] as Float32Array);
    this.rows[index] = null;
    this.lengths[index] = 0;
  }

  /**
   * A buffer of exactly `length` entries, reusing an evicted one when possible: allocating
   * (and zero-filling) a fresh array for every computed row keeps the garbage collector busy.
   */
  private takeBuffer(length: number): Float32Array {
    const spare = this.spareBuffers.findIndex((buffer) => buffer.length === length);
    if (spare < 0) return new Float32Array(length);
    return this.spareBuffers.splice(spare, 1)[0];
  }

  private recycle(buffer: Float32Array): void {
    if (this.spareBuffers.length >= MAX_SPARE_BUFFERS) this.spareBuffers.shift();
    this.spareBuffers.push(buffer);
  }

  private unlink(index: number): void {
    const before = this.previous[index];
    const after = this.next[index];
    this.next[before] = after;
    this.previous[after] = before;
  }

  private appendAsNewest(index: number): void {
    const sentinel = this.size;
    const newest = this.previous[sentinel];
    this.next[index] = sentinel;
    this.previous[index] = newest;
    this.next[newest] = index;
    this.previous[sentinel] = index;
  }
}

/**
 * The matrix Q_ij = y_i·y_j·K(x_i, x_j) of the C-SVC dual, served row by row from the cache.
 * It keeps its own copy of the rows so the solver can reorder them (shrinking moves inactive
 * variables to the end) while every kernel loop stays a contiguous scan.
 */
export class SignedKernelMatrix {
  /** Q_ii in the original row order (the solver keeps its own reordered copy). */
  readonly diagonal: Float64Array;
  private readonly x: Float64Array;
  private readonly squaredNorms: Float64Array;
  /** The ±1 labels as doubles, reordered together with the rows. */
  private readonly signs: Float64Array;
  private readonly cache: KernelRowCache;
  /** The same row computation in WebAssembly, or null to use the JavaScript loop. */
  private readonly rowKernels: RowKernels | null;

  constructor(
    x: Float64Array,
    rows: number,
    private readonly cols: number,
    y: Int8Array,
    private readonly kernel: KernelFunction,
    cacheBytes: number,
  ) {
    this.rowKernels = loadRowKernels(rows, cols);
    this.x = this.rowKernels?.x ?? new Float64Array(rows * cols);
    this.squaredNorms = this.rowKernels?.squaredNorms ?? new Float64Array(rows);
    this.signs = this.rowKernels?.signs ?? new Float64Array(rows);
    this.x.set(x.subarray(0, rows * cols));
    this.squaredNorms.set(rowSquaredNorms(this.x, rows, cols));
    for (let i = 0; i < rows; i++) this.signs[i] = y[i];
    this.cache = new KernelRowCache(rows, cacheBytes);
    this.diagonal = new Float64Array(rows);
    for (let i = 0; i < rows; i++) this.diagonal[i] = kernel.kind === 'rbf' ? 1 : this.squaredNorms[i];
  }

  /** Row i of Q, valid in entries [0, length). */
  row(i: number, length: number): Float32Array {
    const start = this.cache.acquire(i, length);
    const data = this.cache.rowAt(i);
    if (start < length) this.fill(i, data, start, length);
    return data;
  }

  /** Frees working memory once the solver is done with the matrix. */
  release(): void {
    this.rowKernels?.release();
  }

  swapIndex(i: number, j: number): void {
    this.cache.swapIndex(i, j);
    const { x, cols } = this;
    for (let k = 0, a = i * cols, b = j * cols; k < cols; k++, a++, b++) {
      const value = x[a];
      x[a] = x[b];
      x[b] = value;
    }
    swapEntries(this.squaredNorms, i, j);
    swapEntries(this.signs, i, j);
  }

  private fill(i: number, out: Float32Array, start: number, end: number): void {
    const gamma = this.kernel.kind === 'rbf' ? this.kernel.gamma : 0;
    if (this.rowKernels) {
      out.set(this.rowKernels.signedKernelRow(i, start, end, gamma), start);
      return;
    }
    const { x, cols, signs, squaredNorms } = this;
    const offset = i * cols;
    const si = signs[i];
    if (gamma === 0) {
      for (let j = start; j < end; j++) out[j] = si * signs[j] * dotRows(x, offset, x, j * cols, cols);
      return;
    }
    const normI = squaredNorms[i];
    for (let j = start; j < end; j++) {
      const distance = normI + squaredNorms[j] - 2 * dotRows(x, offset, x, j * cols, cols);
      out[j] = si * signs[j] * Math.exp(-gamma * distance);
    }
  }
}

function swapEntries(values: Float64Array, i: number, j: number): void {
  const value = values[i];
  values[i] = values[j];
  values[j] = value;
}
