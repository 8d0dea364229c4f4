import { classCountOf, featureNamesOf, type Estimator, type FitOptions } from '../estimator';
import type { Matrix } from '../frame';
import { assertFiniteFeatures } from '../linalg';
import { DEFAULT_KERNEL_CACHE_BYTES, supportVectorKernel, type KernelFunction } from './svm-kernel';
import { coupledProbabilities, type PlattSigmoid } from './svm-probability';
import { trainOneVsOne, throwIfCancelled, type OneVsOneModel } from './svm-train';

export interface SvmParams {
  kernel: 'linear' | 'rbf';
  /** Penalty on margin violations; larger C fits the training rows more tightly. */
  C: number;
  /** RBF width. 'scale' = 1 / (features · variance of all values), 'auto' = 1 / features, as in scikit-learn. */
  gamma: 'scale' | 'auto' | number;
  /** 'balanced' multiplies C for class k by n / (K · rows in k), as in scikit-learn. */
  classWeight: 'none' | 'balanced';
  /** Fit Platt sigmoids (extra cross-validation fits) so predictProba and ROC AUC are available. */
  probability: boolean;
  /** Stopping tolerance on the optimality conditions, libsvm's eps. */
  tol: number;
  /** Iteration limit per binary machine, or −1 for none (scikit-learn's default). */
  maxIter: number;
}

export const defaultSvmParams: SvmParams = {
  kernel: 'rbf',
  C: 1,
  gamma: 'scale',
  classWeight: 'none',
  probability: true,
  tol: 1e-3,
  maxIter: -1,
};

export interface SvmJSON {
  kind: 'supportVectorClassifier';
  params: SvmParams;
  featureNames: string[];
  nClasses: number;
  /** The RBF width actually used (params.gamma resolved against the training data). */
  gamma: number;
  /** Support vectors grouped by class, in the training rows' order within a class. */
  supportVectors: number[][];
  /** Training row of each support vector. */
  supportIndices: number[];
  supportCounts: number[];
  /** libsvm layout, (K − 1) × support vectors; see OneVsOneModel.coefficients. */
  coefficients: number[][];
  /** Per one-vs-one machine: decision value = Σ coefficient·K(sv, x) − rho, positive for the first class. */
  rho: number[];
  /** Platt sigmoid per machine, or null when trained without probabilities. */
  sigmoids: PlattSigmoid[] | null;
  iterations: number;
  converged: boolean;
}

interface FittedState extends OneVsOneModel {
  featureNames: string[];
  nClasses: number;
  gamma: number;
  supportVectors: Float64Array;
}

/** Seed of the shuffle behind the probability cross-validation, fixed so fits repeat exactly. */
const PROBABILITY_SEED = 0;

/**
 * Support vector classifier with scikit-learn's SVC semantics (libsvm's C-SVC): one binary
 * machine per pair of classes, prediction by voting, probabilities from Platt scaling and
 * pairwise coupling.
 */
export class SupportVectorClassifier implements Estimator {
  readonly params: SvmParams;
  private state: FittedState | null = null;

  constructor(params: Partial<SvmParams> = {}) {
    this.params = validateParams({ ...defaultSvmParams, ...params });
  }

  async fit(X: Matrix, y: Int32Array, options: FitOptions = {}): Promise<this> {
    const featureNames = featureNamesOf(X, options);
    const nClasses = classCountOf(y, options);
    const classCounts = validateTrainingData(X, y, nClasses, featureNames);
    throwIfCancelled(options.signal);
    const gamma = resolveGamma(this.params.gamma, X);
    const kernel: KernelFunction = { kind: this.params.kernel, gamma };
    const classWeights = Float64Array.from(classCounts, (count) =>
      this.params.classWeight === 'balanced' ? X.rows / (nClasses * count) : 1,
    );
    const model = await trainOneVsOne(
      X,
      y,
      nClasses,
      {
        kernel,
        C: this.params.C,
        classWeights,
        tol: this.params.tol,
        maxIter: this.params.maxIter,
        probability: this.params.probability,
        cacheBytes: DEFAULT_KERNEL_CACHE_BYTES,
        seed: PROBABILITY_SEED,
      },
      options,
    );
    const supportVectors = new Float64Array(model.supportIndices.length * X.cols);
    model.supportIndices.forEach((row, s) => supportVectors.set(X.data.subarray(row * X.cols, (row + 1) * X.cols), s * X.cols));
    this.state = { featureNames: [...featureNames], nClasses, gamma, supportVectors, ...model };
    return this;
  }

  /**
   * Binary: one value per row, positive for class 1 (scikit-learn's sign). Multiclass: rows ×
   * K(K−1)/2 one-vs-one values in the order (0,1), (0,2), …, (1,2), …, positive for the first
   * class of the pair (scikit-learn's decision_function_shape='ovo').
   */
  decisionFunction(X: Matrix): Float64Array {
    const values = this.pairwiseDecisionValues(X);
    if (this.fitted().nClasses === 2) for (let i = 0; i < values.length; i++) values[i] = -values[i];
    return values;
  }

  /** Class index per row by one-vs-one voting, ties to the lower class index (libsvm's rule). */
  predict(X: Matrix): Int32Array {
    const K = this.fitted().nClasses;
    const machines = (K * (K - 1)) / 2;
    const values = this.pairwiseDecisionValues(X);
    const labels = new Int32Array(X.rows);
    const votes = new Int32Array(K);
    for (let row = 0; row < X.rows; row++) {
      votes.fill(0);
      let p = row * machines;
      for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) votes[values[p++] > 0 ? i : j]++;
      let best = 0;
      for (let k = 1; k < K; k++) if (votes[k] > votes[best]) best = k;
      labels[row] = best;
    }
    return labels;
  }

  /** Class probabilities, rows × K row-major; each row sums to 1. */
  predictProba(X: Matrix): Float64Array {
    const state = this.fitted();
    if (!state.sigmoids) {
      throw new Error('This support vector model was trained without probability estimates; turn on "probability" and train again.');
    }
    const K = state.nClasses;
    const machines = (K * (K - 1)) / 2;
    const values = this.pairwiseDecisionValues(X);
    const proba = new Float64Array(X.rows * K);
    for (let row = 0; row < X.rows; row++) coupledProbabilities(values, row * machines, state.sigmoids, K, proba, row * K);
    return proba;
  }

  get supportVectorCount(): number {
    return this.fitted().supportIndices.length;
  }

  /** Support vectors per class. */
  get supportCounts(): number[] {
    return [...this.fitted().supportCounts];
  }

  /** Training rows that became support vectors, grouped by class like scikit-learn's support_. */
  get supportIndices(): Int32Array {
    return Int32Array.from(this.fitted().supportIndices);
  }

  /** scikit-learn's dual_coef_: (K − 1) × support vectors, sign flipped for two classes. */
  get dualCoefficients(): number[][] {
    const state = this.fitted();
    const sign = state.nClasses === 2 ? -1 : 1;
    return state.coefficients.map((row) => Array.from(row, (c) => sign * c));
  }

  /** scikit-learn's intercept_, one per one-vs-one machine. */
  get intercepts(): number[] {
    const state = this.fitted();
    const sign = state.nClasses === 2 ? 1 : -1;
    return Array.from(state.rho, (rho) => sign * rho);
  }

  /** The RBF width used, with 'scale' or 'auto' resolved against the training data. */
  get gamma(): number {
    return this.fitted().gamma;
  }

  /** False when a machine stopped at maxIter before meeting the tolerance. */
  get converged(): boolean {
    return this.fitted().converged;
  }

  /** Solver iterations summed over the one-vs-one machines (cross-validation fits excluded). */
  get iterations(): number {
    return this.fitted().iterations;
  }

  toJSON(): SvmJSON {
    const state = this.fitted();
    const cols = state.featureNames.length;
    return {
      kind: 'supportVectorClassifier',
      params: { ...this.params },
      featureNames: [...state.featureNames],
      nClasses: state.nClasses,
      gamma: state.gamma,
      supportVectors: Array.from(state.supportIndices, (_, s) => Array.from(state.supportVectors.subarray(s * cols, (s + 1) * cols))),
      supportIndices: Array.from(state.supportIndices),
      supportCounts: [...state.supportCounts],
      coefficients: state.coefficients.map((row) => Array.from(row)),
      rho: Array.from(state.rho),
      sigmoids: state.sigmoids ? state.sigmoids.map(({ A, B }) => ({ A, B })) : null,
      iterations: state.iterations,
      converged: state.converged,
    };
  }

  static fromJSON(json: SvmJSON): SupportVectorClassifier {
    if (json.kind !== 'supportVectorClassifier') throw new Error(`Expected a support vector model, got "${json.kind}".`);
    validateSavedModel(json);
    const model = new SupportVectorClassifier(json.params);
    model.state = {
      featureNames: [...json.featureNames],
      nClasses: json.nClasses,
      gamma: json.gamma,
      supportVectors: Float64Array.from(json.supportVectors.flat()),
      supportIndices: Int32Array.from(json.supportIndices),
      supportCounts: [...json.supportCounts],
      coefficients: json.coefficients.map((row) => Float64Array.from(row)),
      rho: Float64Array.from(json.rho),
      sigmoids: json.sigmoids ? json.sigmoids.map(({ A, B }) => ({ A, B })) : null,
      iterations: json.iterations,
      converged: json.converged,
    };
    return model;
  }

  /** libsvm's decision values, rows × K(K−1)/2, positive for the first class of each pair. */
  private pairwiseDecisionValues(X: Matrix): Float64Array {
    const state = this.fitted();
    const cols = state.featureNames.length;
    if (X.cols !== cols) throw new Error(`The model expects ${cols} feature columns but got ${X.cols}.`);
    const K = state.nClasses;
    const machines = (K * (K - 1)) / 2;
    const kernel: KernelFunction = { kind: this.params.kernel, gamma: state.gamma };
    const supportTotal = state.supportIndices.length;
    const start = state.supportCounts.map((_, c) => state.supportCounts.slice(0, c).reduce((sum, n) => sum + n, 0));
    const kernelAgainstSupport = supportVectorKernel(kernel, state.supportVectors, supportTotal, cols);
    const values = new Float64Array(X.rows * machines);
    for (let row = 0; row < X.rows; row++) {
      const kernelValues = kernelAgainstSupport.evaluate(X.data, row * cols);
      let p = 0;
      for (let i = 0; i < K; i++) {
        for (let j = i + 1; j < K; j++, p++) {
          const ofI = state.coefficients[j - 1];
          const ofJ = state.coefficients[i];
          let sum = 0;
          for (let s = start[i]; s < start[i] + state.supportCounts[i]; s++) sum += ofI[s] * kernelValues[s];
          for (let s = start[j]; s < start[j] + state.supportCounts[j]; s++) sum += ofJ[s] * kernelValues[s];
          values[row * machines + p] = sum - state.rho[p];
        }
      }
    }
    kernelAgainstSupport.release();
    return values;
  }

  private fitted(): FittedState {
    if (!this.state) throw new Error('The support vector classifier has not been trained yet.');
    return this.state;
  }
}

function validateParams(params: SvmParams): SvmParams {
  if (params.kernel !== 'linear' && params.kernel !== 'rbf') {
    throw new Error(`Unknown kernel "${params.kernel}"; choose "linear" or "rbf".`);
  }
  if (!(params.C > 0) || !Number.isFinite(params.C)) throw new Error(`C must be a positive number (got ${params.C}).`);
  const { gamma } = params;
  if (gamma !== 'scale' && gamma !== 'auto' && !(typeof gamma === 'number' && gamma > 0 && Number.isFinite(gamma))) {
    throw new Error(`Gamma must be "scale", "auto" or a positive number (got ${gamma}).`);
  }
  if (params.classWeight !== 'none' && params.classWeight !== 'balanced') {
    throw new Error(`Class weight must be "none" or "balanced" (got "${params.classWeight}").`);
  }
  if (!(params.tol > 0) || !Number.isFinite(params.tol)) throw new Error(`The tolerance must be a positive number (got ${params.tol}).`);
  if (!Number.isInteger(params.maxIter) || (params.maxIter < 1 && params.maxIter !== -1)) {
    throw new Error(`Maximum iterations must be a whole number of at least 1, or −1 for no limit (got ${params.maxIter}).`);
  }
  return params;
}

/** Checks the training data and returns the row count of each class. */
function validateTrainingData(X: Matrix, y: Int32Array, nClasses: number, featureNames: string[]): number[] {
  if (X.rows === 0) throw new Error('There are no rows to train on.');
  if (X.rows !== y.length) throw new Error(`Feature rows (${X.rows}) and labels (${y.length}) differ in count.`);
  if (featureNames.length !== X.cols) throw new Error(`Got ${featureNames.length} feature names for ${X.cols} feature columns.`);
  if (!Number.isInteger(nClasses) || nClasses < 2) throw new Error('Classification needs at least two classes in the target.');
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of y) {
    if (!(label >= 0 && label < nClasses)) throw new Error(`Label index ${label} is outside 0..${nClasses - 1}.`);
    counts[label]++;
  }
  if (counts.filter((count) => count > 0).length < 2) {
    throw new Error('The target has only one class in the training rows; a classifier needs examples of at least two classes.');
  }
  const empty = counts.findIndex((count) => count === 0);
  if (empty >= 0) throw new Error(`Class ${empty} has no rows in the training data; every class needs at least one example.`);
  assertFiniteFeatures(X, featureNames);
  return counts;
}

/** scikit-learn's gamma: 'scale' uses the variance of all feature values pooled together. */
function resolveGamma(gamma: SvmParams['gamma'], X: Matrix): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / X.cols;
  const n = X.data.length;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += X.data[k];
  mean /= n;
  let variance = 0;
  for (let k = 0; k < n; k++) {
    const deviation = X.data[k] - mean;
    variance += deviation * deviation;
  }
  variance /= n;
  return variance > 0 ? 1 / (X.cols * variance) : 1;
}

function validateSavedModel(json: SvmJSON): void {
  const K = json.nClasses;
  const total = json.supportCounts.reduce((sum, n) => sum + n, 0);
  const machines = (K * (K - 1)) / 2;
  const consistent =
    json.supportCounts.length === K &&
    json.supportVectors.length === total &&
    json.supportIndices.length === total &&
    json.supportVectors.every((row) => row.length === json.featureNames.length) &&
    json.coefficients.length === K - 1 &&
    json.coefficients.every((row) => row.length === total) &&
    json.rho.length === machines &&
    (json.sigmoids === null || json.sigmoids.length === machines);
  if (!consistent) throw new Error('Saved support vector model is inconsistent: its parts do not match the class count.');
}
