import * as tf from '@tensorflow/tfjs';
import type { Matrix } from './frame';
import { choleskyFactor, choleskySolve, minimizeLbfgs } from './linalg';

export interface LogisticRegressionParams {
  /** Penalty strength, 1/C in scikit-learn terms. 0 fits without a penalty. */
  l2: number;
  /** 'balanced' weighs each row by n / (K · rows in its class), like scikit-learn. */
  classWeight: 'none' | 'balanced';
  /** Upper bound on optimiser iterations. */
  maxIter: number;
}

export const defaultLogisticRegressionParams: LogisticRegressionParams = { l2: 1, classWeight: 'none', maxIter: 100 };

export interface FitOptions {
  onProgress?: (fraction: number, message: string) => void;
  signal?: AbortSignal;
}

export interface LogisticRegressionJSON {
  kind: 'logisticRegression';
  params: LogisticRegressionParams;
  featureNames: string[];
  nClasses: number;
  /** Binary: one row (weights for class 1). Multiclass: one row per class. */
  coefficients: number[][];
  intercepts: number[];
  iterations: number;
  converged: boolean;
}

interface FittedState {
  featureNames: string[];
  nClasses: number;
  coefficients: number[][];
  intercepts: number[];
  iterations: number;
  converged: boolean;
}

/** Above this many columns a dense preconditioner costs more than it saves. */
const MAX_DENSE_PRECONDITIONER_COLUMNS = 500;
/** Multiply-adds allowed for building the preconditioner; larger data is sampled. */
const PRECONDITIONER_WORK_BUDGET = 1.5e8;

/**
 * L2-penalised logistic regression with the same objective as scikit-learn's
 * LogisticRegression(C = 1/l2): a single sigmoid weight vector for two classes, a multinomial
 * softmax for more, intercepts unpenalised. The data-sized products run as TensorFlow.js ops;
 * the optimiser itself (preconditioned L-BFGS) runs in float64.
 */
export class LogisticRegression {
  readonly params: LogisticRegressionParams;
  private state: FittedState | null = null;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    const merged = { ...defaultLogisticRegressionParams, ...params };
    if (!(merged.l2 >= 0) || !Number.isFinite(merged.l2)) {
      throw new Error(`The regularisation strength must be zero or positive (got ${merged.l2}).`);
    }
    if (!Number.isInteger(merged.maxIter) || merged.maxIter < 1) {
      throw new Error(`Maximum iterations must be a whole number of at least 1 (got ${merged.maxIter}).`);
    }
    this.params = merged;
  }

  async fit(X: Matrix, y: Int32Array, nClasses: number, featureNames: string[], options: FitOptions = {}): Promise<this> {
    validateTrainingData(X, y, nClasses, featureNames);
    throwIfCancelled(options.signal);
    const problem = createProblem(X, y, nClasses, sampleWeights(y, nClasses, this.params.classWeight), this.params.l2);
    try {
      const outputs = problem.outputs;
      const result = await minimizeLbfgs((theta) => problem.evaluate(theta), new Float64Array(problem.size), {
        maxIterations: this.params.maxIter,
        stepTolerance: 1e-8,
        precondition: problem.precondition,
        onIteration: async (iteration, value) => {
          throwIfCancelled(options.signal);
          const meanLoss = (value / problem.totalWeight).toFixed(5);
          options.onProgress?.(iteration / this.params.maxIter, `Iteration ${iteration}: loss ${meanLoss}`);
          await new Promise((resolve) => setTimeout(resolve, 0));
          throwIfCancelled(options.signal);
        },
      });
      const { coefficients, intercepts } = toOriginalUnits(result.x, problem.means, problem.scales, outputs);
      this.state = {
        featureNames: [...featureNames],
        nClasses,
        coefficients,
        intercepts,
        iterations: result.iterations,
        converged: result.converged,
      };
      options.onProgress?.(1, result.converged ? 'Converged' : `Stopped after ${result.iterations} iterations`);
      return this;
    } finally {
      problem.dispose();
    }
  }

  /** Class probabilities, rows × K row-major (K = 2 for binary: [P(0), P(1)]). */
  predictProba(X: Matrix): Float64Array {
    const state = this.fitted();
    if (X.cols !== state.featureNames.length) {
      throw new Error(`The model expects ${state.featureNames.length} feature columns but got ${X.cols}.`);
    }
    const K = state.nClasses;
    const scores = new Float64Array(state.coefficients.length);
    const proba = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) {
      state.coefficients.forEach((weights, k) => {
        let z = state.intercepts[k];
        for (let j = 0; j < X.cols; j++) z += weights[j] * X.data[i * X.cols + j];
        scores[k] = z;
      });
      if (K === 2) {
        const positive = sigmoid(scores[0]);
        proba[i * 2] = 1 - positive;
        proba[i * 2 + 1] = positive;
      } else {
        writeSoftmax(scores, proba, i * K);
      }
    }
    return proba;
  }

  predict(X: Matrix): Int32Array {
    const K = this.fitted().nClasses;
    const proba = this.predictProba(X);
    const labels = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      labels[i] = best;
    }
    return labels;
  }

  get coefficients(): number[][] {
    return this.fitted().coefficients.map((row) => [...row]);
  }

  get intercepts(): number[] {
    return [...this.fitted().intercepts];
  }

  get featureNames(): string[] {
    return [...this.fitted().featureNames];
  }

  /** False when training stopped at maxIter before the optimum was reached. */
  get converged(): boolean {
    return this.fitted().converged;
  }

  get iterations(): number {
    return this.fitted().iterations;
  }

  toJSON(): LogisticRegressionJSON {
    const state = this.fitted();
    return {
      kind: 'logisticRegression',
      params: { ...this.params },
      featureNames: [...state.featureNames],
      nClasses: state.nClasses,
      coefficients: state.coefficients.map((row) => [...row]),
      intercepts: [...state.intercepts],
      iterations: state.iterations,
      converged: state.converged,
    };
  }

  static fromJSON(json: LogisticRegressionJSON): LogisticRegression {
    if (json.kind !== 'logisticRegression') throw new Error(`Expected a logistic regression model, got "${json.kind}".`);
    const expectedRows = json.nClasses === 2 ? 1 : json.nClasses;
    if (json.coefficients.length !== expectedRows || json.intercepts.length !== expectedRows) {
      throw new Error('Saved logistic regression is inconsistent: coefficient rows do not match the class count.');
    }
    const model = new LogisticRegression(json.params);
    model.state = {
      featureNames: [...json.featureNames],
      nClasses: json.nClasses,
      coefficients: json.coefficients.map((row) => [...row]),
      intercepts: [...json.intercepts],
      iterations: json.iterations,
      converged: json.converged,
    };
    return model;
  }

  private fitted(): FittedState {
    if (!this.state) throw new Error('The logistic regression has not been trained yet.');
    return this.state;
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('Cancelled');
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function writeSoftmax(scores: Float64Array, out: Float64Array, offset: number): void {
  const max = Math.max(...scores);
  let total = 0;
  for (let k = 0; k < scores.length; k++) total += Math.exp(scores[k] - max);
  for (let k = 0; k < scores.length; k++) out[offset + k] = Math.exp(scores[k] - max) / total;
}

function validateTrainingData(X: Matrix, y: Int32Array, nClasses: number, featureNames: string[]): void {
  if (X.rows === 0) throw new Error('There are no rows to train on.');
  if (X.rows !== y.length) throw new Error(`Feature rows (${X.rows}) and labels (${y.length}) differ in count.`);
  if (featureNames.length !== X.cols) {
    throw new Error(`Got ${featureNames.length} feature names for ${X.cols} feature columns.`);
  }
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new Error('Classification needs at least two classes in the target.');
  }
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of y) {
    if (label < 0 || label >= nClasses) throw new Error(`Label index ${label} is outside 0..${nClasses - 1}.`);
    counts[label]++;
  }
  const missing = counts.findIndex((count) => count === 0);
  if (missing >= 0) {
    throw new Error(`Class ${missing} has no rows in the training data; every class needs at least one example.`);
  }
  for (let index = 0; index < X.data.length; index++) {
    if (!Number.isFinite(X.data[index])) {
      const name = featureNames[index % X.cols];
      throw new Error(`Feature "${name}" has a missing or infinite value at row ${Math.floor(index / X.cols) + 1}.`);
    }
  }
}

/** Per-row weights; 'balanced' gives n / (K · count_k) as in sklearn's compute_class_weight. */
function sampleWeights(y: Int32Array, nClasses: number, classWeight: LogisticRegressionParams['classWeight']): Float32Array {
  const weights = new Float32Array(y.length).fill(1);
  if (classWeight === 'none') return weights;
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of y) counts[label]++;
  for (let i = 0; i < y.length; i++) weights[i] = y.length / (nClasses * counts[y[i]]);
  return weights;
}

interface Problem {
  /** Columns of the parameter matrix: 1 (sigmoid) for two classes, K (softmax) otherwise. */
  outputs: number;
  /** Length of the flattened parameter vector, (p + 1) × outputs, intercept row last. */
  size: number;
  totalWeight: number;
  means: Float64Array;
  scales: Float64Array;
  evaluate: (theta: Float64Array) => { value: number; gradient: Float64Array };
  precondition: (gradient: Float64Array) => Float64Array;
  dispose: () => void;
}

/**
 * Sets up the objective on standardised columns (mean 0, standard deviation 1) plus a ones
 * column. This is an exact change of variables: the penalty is rescaled to still act on the
 * original-unit weights, so the optimum is scikit-learn's, but float32 products stay accurate
 * even when columns differ in scale by orders of magnitude.
 */
function createProblem(X: Matrix, y: Int32Array, nClasses: number, weights: Float32Array, l2: number): Problem {
  const { rows: n, cols: p } = X;
  const width = p + 1;
  const outputs = nClasses === 2 ? 1 : nClasses;
  const { means, scales } = columnMoments(X);
  const design = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) design[i * width + j] = (X.data[i * p + j] - means[j]) / scales[j];
    design[i * width + p] = 1;
  }
  const targets = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++) {
    if (outputs === 1) targets[i] = y[i];
    else targets[i * outputs + y[i]] = 1;
  }
  const penalty = new Float64Array(width);
  for (let j = 0; j < p; j++) penalty[j] = l2 / (scales[j] * scales[j]);

  const designTensor = tf.tensor2d(design, [n, width]);
  const targetTensor = tf.tensor2d(targets, [n, outputs]);
  const weightTensor = tf.tensor2d(weights, [n, 1]);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const tensors = { design: designTensor, targets: targetTensor, weights: weightTensor };
  try {
    const solveBlock = preconditionerSolver(tensors, outputs === 1 ? 0.25 : 0.5, penalty);
    return {
      outputs,
      size: width * outputs,
      totalWeight,
      means,
      scales,
      evaluate: (theta) => evaluateObjective(tensors, theta, outputs, penalty),
      precondition: (gradient) => applyPerOutput(gradient, width, outputs, solveBlock),
      dispose: () => tf.dispose([designTensor, targetTensor, weightTensor]),
    };
  } catch (error) {
    tf.dispose([designTensor, targetTensor, weightTensor]);
    throw error;
  }
}

/** Column means and standard deviations; constant columns get scale 1 (they become all zero). */
function columnMoments(X: Matrix): { means: Float64Array; scales: Float64Array } {
  const { rows: n, cols: p } = X;
  const means = new Float64Array(p);
  const scales = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j] += X.data[i * p + j];
  for (let j = 0; j < p; j++) means[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scales[j] += (X.data[i * p + j] - means[j]) ** 2;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(scales[j] / n);
    scales[j] = sd > 1e-12 * Math.max(1, Math.abs(means[j])) ? sd : 1;
  }
  return { means, scales };
}

interface DataTensors {
  design: tf.Tensor2D;
  targets: tf.Tensor2D;
  weights: tf.Tensor2D;
}

/** Σ wᵢ·logloss + ½·Σ penalty_j·θ_j² and its gradient. Row losses are summed in float64. */
function evaluateObjective(data: DataTensors, theta: Float64Array, outputs: number, penalty: Float64Array) {
  const width = penalty.length;
  const [rowLosses, gradientTensor] = tf.tidy(() => {
    const params = tf.tensor2d(Float32Array.from(theta), [width, outputs]);
    const logits = tf.matMul(data.design, params);
    let losses: tf.Tensor;
    let residuals: tf.Tensor;
    if (outputs === 1) {
      losses = tf.sub(tf.softplus(logits), tf.mul(data.targets, logits));
      residuals = tf.sub(tf.sigmoid(logits), data.targets);
    } else {
      const logProba = tf.logSoftmax(logits);
      losses = tf.neg(tf.sum(tf.mul(data.targets, logProba), 1, true));
      residuals = tf.sub(tf.exp(logProba), data.targets);
    }
    const weightedResiduals = tf.mul(residuals, data.weights);
    return [tf.mul(losses, data.weights), tf.matMul(data.design, weightedResiduals, true, false)];
  });
  const lossValues = downloadAndDispose(rowLosses);
  const gradientValues = downloadAndDispose(gradientTensor);

  let value = 0;
  for (let i = 0; i < lossValues.length; i++) value += lossValues[i];
  const gradient = Float64Array.from(gradientValues);
  for (let j = 0; j < width; j++) {
    for (let k = 0; k < outputs; k++) {
      const t = theta[j * outputs + k];
      value += 0.5 * penalty[j] * t * t;
      gradient[j * outputs + k] += penalty[j] * t;
    }
  }
  return { value, gradient };
}

/**
 * Returns a solver for M = curvature·XᵀWX + diag(penalty), an upper bound on each output's
 * Hessian block (sigmoid variance ≤ ¼, softmax ≤ ½). Preconditioning L-BFGS with it absorbs
 * feature correlations, so only a handful of iterations are needed. Large data is sampled for
 * the off-diagonal part; the diagonal is always exact.
 */
function preconditionerSolver(data: DataTensors, curvature: number, penalty: Float64Array) {
  const [n, width] = data.design.shape;
  const diagonal = downloadAndDispose(tf.tidy(() => tf.matMul(data.weights, tf.square(data.design), true, false)));
  const matrix = new Float64Array(width * width);
  if (width <= MAX_DENSE_PRECONDITIONER_COLUMNS) {
    const sampleRows = Math.min(n, Math.max(1000, Math.floor(PRECONDITIONER_WORK_BUDGET / (width * width))));
    matrix.set(downloadAndDispose(sampledWeightedGram(data, sampleRows)));
  }
  let trace = 0;
  for (let j = 0; j < width; j++) {
    matrix[j * width + j] = Math.max(matrix[j * width + j], diagonal[j]);
    trace += matrix[j * width + j];
  }
  const jitter = 1e-10 * (trace / width);
  for (let index = 0; index < matrix.length; index++) matrix[index] *= curvature;
  for (let j = 0; j < width; j++) matrix[j * width + j] += penalty[j] + jitter;
  const lower = choleskyFactor(matrix, width);
  return (rhs: Float64Array) => choleskySolve(lower, width, rhs);
}

function downloadAndDispose(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

/** XᵀWX over evenly spaced rows, rescaled to the full data's total weight. */
function sampledWeightedGram(data: DataTensors, sampleRows: number): tf.Tensor {
  const n = data.design.shape[0];
  return tf.tidy(() => {
    let design: tf.Tensor2D = data.design;
    let weights: tf.Tensor2D = data.weights;
    if (sampleRows < n) {
      const stride = n / sampleRows;
      const picks = tf.tensor1d(Array.from({ length: sampleRows }, (_, i) => Math.floor(i * stride)), 'int32');
      design = tf.gather(data.design, picks);
      weights = tf.gather(data.weights, picks);
    }
    const gram = tf.matMul(tf.mul(design, weights), design, true, false);
    return sampleRows < n ? tf.mul(gram, tf.div(tf.sum(data.weights), tf.sum(weights))) : gram;
  });
}

function applyPerOutput(
  gradient: Float64Array,
  width: number,
  outputs: number,
  solve: (rhs: Float64Array) => Float64Array,
): Float64Array {
  const result = new Float64Array(gradient.length);
  const column = new Float64Array(width);
  for (let k = 0; k < outputs; k++) {
    for (let j = 0; j < width; j++) column[j] = gradient[j * outputs + k];
    const solved = solve(column);
    for (let j = 0; j < width; j++) result[j * outputs + k] = solved[j];
  }
  return result;
}

/** Maps standardised-space parameters back to weights and intercepts on the original columns. */
function toOriginalUnits(theta: Float64Array, means: Float64Array, scales: Float64Array, outputs: number) {
  const p = means.length;
  const coefficients: number[][] = [];
  const intercepts: number[] = [];
  for (let k = 0; k < outputs; k++) {
    const weights = new Array<number>(p);
    let intercept = theta[p * outputs + k];
    for (let j = 0; j < p; j++) {
      weights[j] = theta[j * outputs + k] / scales[j];
      intercept -= weights[j] * means[j];
    }
    coefficients.push(weights);
    intercepts.push(intercept);
  }
  if (outputs > 1) {
    // Softmax intercepts are only defined up to a common shift; report them centred, as sklearn does.
    const shift = intercepts.reduce((sum, b) => sum + b, 0) / outputs;
    for (let k = 0; k < outputs; k++) intercepts[k] -= shift;
  }
  return { coefficients, intercepts };
}
