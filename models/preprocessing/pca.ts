import { featureNamesOf, type FitOptions } from '../estimator';
import type { Matrix } from '../frame';
import { assertFiniteFeatures } from '../linalg';

/**
 * Principal component analysis like scikit-learn's PCA: columns are centred (not scaled), and the
 * components are the eigenvectors of the sample covariance (divisor n − 1), largest variance first.
 */

export interface PCAParams {
  /** How many components to keep; null keeps min(rows, columns). */
  components: number | null;
}

export interface PCAJSON {
  params: PCAParams;
  featureNames: string[];
  mean: number[];
  /** k × p, one row per component. */
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
}

interface FittedPCA {
  featureNames: string[];
  mean: number[];
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
}

export class PCA {
  private readonly params: PCAParams;
  private fitted: FittedPCA | null = null;

  constructor(params: PCAParams) {
    const { components } = params;
    if (components !== null && !(Number.isInteger(components) && components >= 1)) {
      throw new Error(`The number of components must be a whole number of at least 1 (got ${components}).`);
    }
    this.params = { components };
  }

  /** Uses `featureNames`; `signal` is checked before the decomposition, which runs in one go. */
  fit(X: Matrix, options: Pick<FitOptions, 'featureNames' | 'signal'> = {}): this {
    options.signal?.throwIfAborted();
    const featureNames = featureNamesOf(X, options);
    const { rows: n, cols: p } = X;
    if (featureNames.length !== p) throw new Error(`Got ${featureNames.length} feature names for ${p} columns.`);
    if (n < 2) throw new Error(`PCA needs at least 2 rows; the table has ${n}.`);
    assertFiniteFeatures(X, featureNames);
    const limit = Math.min(n, p);
    const k = this.params.components ?? limit;
    if (k > limit) {
      throw new Error(
        `Asked for ${k} components, but this data allows at most ${limit} ` +
          `(the smaller of its ${n} rows and ${p} columns).`,
      );
    }

    const mean = columnMeans(X);
    const centred = centre(X, mean);
    const { values, vectors } = symmetricEigen(covariance(centred), p);
    const order = Array.from({ length: p }, (_, j) => j).sort((a, b) => values[b] - values[a]);
    // Rounding can leave a zero variance slightly negative.
    const variances = order.map((j) => Math.max(values[j], 0));
    const totalVariance = variances.reduce((sum, v) => sum + v, 0);
    const components = order.slice(0, k).map((j) => {
      const component = Array.from({ length: p }, (_, i) => vectors[i * p + j]);
      return orientLikeScikitLearn(component, centred);
    });

    this.fitted = {
      featureNames: featureNames.slice(),
      mean: Array.from(mean),
      components,
      explainedVariance: variances.slice(0, k),
      explainedVarianceRatio: variances.slice(0, k).map((v) => (totalVariance > 0 ? v / totalVariance : 0)),
    };
    return this;
  }

  /** Scores of each row on the kept components: (X − mean) · componentsᵀ. */
  transform(X: Matrix): Matrix {
    const { featureNames, mean, components } = this.requireFitted();
    const p = featureNames.length;
    if (X.cols !== p) throw new Error(`PCA was fitted on ${p} columns but got ${X.cols}.`);
    assertFiniteFeatures(X, featureNames);
    const k = components.length;
    const data = new Float64Array(X.rows * k);
    const centredRow = new Float64Array(p);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < p; j++) centredRow[j] = X.data[i * p + j] - mean[j];
      for (let c = 0; c < k; c++) {
        let score = 0;
        for (let j = 0; j < p; j++) score += centredRow[j] * components[c][j];
        data[i * k + c] = score;
      }
    }
    return { data, rows: X.rows, cols: k };
  }

  get explainedVarianceRatio(): number[] {
    return this.requireFitted().explainedVarianceRatio.slice();
  }

  get explainedVariance(): number[] {
    return this.requireFitted().explainedVariance.slice();
  }

  get components(): number[][] {
    return this.requireFitted().components.map((row) => row.slice());
  }

  get mean(): number[] {
    return this.requireFitted().mean.slice();
  }

  /** "PC1", "PC2", … for the kept components. */
  componentNames(): string[] {
    return this.requireFitted().components.map((_, c) => `PC${c + 1}`);
  }

  /** The features weighing most on a component (0 = PC1), by absolute weight; weights keep their sign. */
  topLoadings(componentIndex: number, count = 3): { feature: string; weight: number }[] {
    const { featureNames, components } = this.requireFitted();
    const component = components[componentIndex];
    if (!component) throw new Error(`There is no component ${componentIndex + 1}; the PCA kept ${components.length}.`);
    return featureNames
      .map((feature, j) => ({ feature, weight: component[j] }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, count);
  }

  toJSON(): PCAJSON {
    const fitted = this.requireFitted();
    return structuredClone({ params: this.params, ...fitted });
  }

  static fromJSON(json: PCAJSON): PCA {
    const pca = new PCA(json.params);
    const { featureNames, mean, components, explainedVariance, explainedVarianceRatio } = structuredClone(json);
    pca.fitted = { featureNames, mean, components, explainedVariance, explainedVarianceRatio };
    return pca;
  }

  private requireFitted(): FittedPCA {
    if (!this.fitted) throw new Error('PCA is not fitted yet.');
    return this.fitted;
  }
}

function columnMeans(X: Matrix): Float64Array {
  const { rows: n, cols: p } = X;
  const means = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j] += X.data[i * p + j];
  for (let j = 0; j < p; j++) means[j] /= n;
  return means;
}

function centre(X: Matrix, means: Float64Array): Matrix {
  const data = new Float64Array(X.data.length);
  for (let index = 0; index < data.length; index++) data[index] = X.data[index] - means[index % X.cols];
  return { data, rows: X.rows, cols: X.cols };
}

/** Sample covariance (divisor n − 1) of already centred columns, as a p×p row-major matrix. */
function covariance(centred: Matrix): Float64Array {
  const { rows: n, cols: p, data } = centred;
  const result = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const value = data[offset + a];
      if (value === 0) continue;
      for (let b = a; b < p; b++) result[a * p + b] += value * data[offset + b];
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      result[a * p + b] /= n - 1;
      result[b * p + a] = result[a * p + b];
    }
  }
  return result;
}

/**
 * scikit-learn (1.2) fixes each component's sign so that the row scoring furthest from the centre
 * on it (the largest |U| entry of the SVD, first such row on ties) scores positive.
 * scikit-learn 1.5 and later instead make each component's largest loading positive, so signs can
 * differ from those versions.
 */
function orientLikeScikitLearn(component: number[], centred: Matrix): number[] {
  const { rows: n, cols: p, data } = centred;
  let extreme = 0;
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < p; j++) score += data[i * p + j] * component[j];
    if (Math.abs(score) > Math.abs(extreme)) extreme = score;
  }
  return extreme < 0 ? component.map((w) => -w) : component;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations. Slower than QR for large
 * n but simple and very accurate for covariance matrices (positive semi-definite), which is what
 * matters for matching scikit-learn's SVD-based components. Returns eigenvalues in no particular
 * order and eigenvectors as the columns of a row-major n×n matrix.
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  // Diagonal updates are collected per sweep and applied at its end, which limits rounding drift.
  const sweepStart = Float64Array.from(values);
  const sweepChange = new Float64Array(n);

  for (let sweep = 1; sweep <= 100; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) offDiagonal += Math.abs(a[p * n + q]);
    if (offDiagonal === 0) return { values, vectors };
    // Early sweeps only rotate away the large entries; later ones everything.
    const threshold = sweep < 4 ? (0.2 * offDiagonal) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const entry = a[p * n + q];
        const scaled = 100 * Math.abs(entry);
        const negligible =
          Math.abs(values[p]) + scaled === Math.abs(values[p]) && Math.abs(values[q]) + scaled === Math.abs(values[q]);
        if (sweep > 4 && negligible) a[p * n + q] = 0;
        else if (Math.abs(entry) > threshold) rotate(a, vectors, values, sweepChange, n, p, q);
      }
    }
    for (let i = 0; i < n; i++) {
      sweepStart[i] += sweepChange[i];
      values[i] = sweepStart[i];
      sweepChange[i] = 0;
    }
  }
  throw new Error('The eigen-decomposition did not converge.');
}

/** One Jacobi rotation that zeroes a[p][q], keeping only the upper triangle of `a` up to date. */
function rotate(
  a: Float64Array,
  vectors: Float64Array,
  values: Float64Array,
  change: Float64Array,
  n: number,
  p: number,
  q: number,
): void {
  const entry = a[p * n + q];
  const difference = values[q] - values[p];
  let t: number;
  if (Math.abs(difference) + 100 * Math.abs(entry) === Math.abs(difference)) {
    t = entry / difference;
  } else {
    const theta = (0.5 * difference) / entry;
    t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
    if (theta < 0) t = -t;
  }
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  const tau = s / (1 + c);
  const shift = t * entry;
  change[p] -= shift;
  change[q] += shift;
  values[p] -= shift;
  values[q] += shift;
  a[p * n + q] = 0;
  const turn = (x: number, y: number) => {
    const g = a[x];
    const h = a[y];
    a[x] = g - s * (h + g * tau);
    a[y] = h + s * (g - h * tau);
  };
  for (let j = 0; j < p; j++) turn(j * n + p, j * n + q);
  for (let j = p + 1; j < q; j++) turn(p * n + j, j * n + q);
  for (let j = q + 1; j < n; j++) turn(p * n + j, q * n + j);
  for (let j = 0; j < n; j++) {
    const g = vectors[j * n + p];
    const h = vectors[j * n + q];
    vectors[j * n + p] = g - s * (h + g * tau);
    vectors[j * n + q] = h + s * (g - h * tau);
  }
}
