/**
 * The objective behind LogisticRegression and what its solver needs: the penalised log-loss and
 * its gradient on standardised columns (TensorFlow.js for the data-sized products, float64 for the
 * rest), a preconditioner for L-BFGS, and the map from the solution back to the original units.
 */
import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '../frame';
import { choleskyFactor, choleskySolve, sigmoid, solveEachColumn, standardizationMoments } from '../linalg';

/** Multiply-adds allowed for building the dense preconditioner; larger data is sampled. */
const PRECONDITIONER_WORK_BUDGET = 1.5e8;
/** A sampled Gram matrix needs this many rows per column to resemble the full one. */
const MIN_SAMPLED_ROWS_PER_COLUMN = 20;
/** Beyond this many columns the preconditioner's Cholesky factorisation gets slow. */
const MAX_DENSE_PRECONDITIONER_COLUMNS = 1000;

export interface Problem {
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
export function createProblem(X: Matrix, y: Int32Array, nClasses: number, weights: Float32Array, l2: number): Problem {
  const { rows: n, cols: p } = X;
  const width = p + 1;
  const outputs = nClasses === 2 ? 1 : nClasses;
  const { means, scales } = standardizationMoments(X);
  const design = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) design[i * width + j] = (X.data[i * p + j] - means[j]) / scales[j];
    design[i * width + p] = 1;
  }
  const penalty = new Float64Array(width);
  for (let j = 0; j < p; j++) penalty[j] = l2 / (scales[j] * scales[j]);

  const data: TrainingData = { design: tf.tensor2d(design, [n, width]), designValues: design, weights, y, outputs };
  const dispose = () => data.design.dispose();
  try {
    const solveBlock = preconditionerSolver(data, outputs === 1 ? 0.25 : 0.5, penalty);
    return {
      outputs,
      size: width * outputs,
      totalWeight: weights.reduce((sum, w) => sum + w, 0),
      means,
      scales,
      evaluate: (theta) => evaluateObjective(data, theta, penalty),
      precondition: (gradient) => solveEachColumn(gradient, width, outputs, solveBlock),
      dispose,
    };
  } catch (error) {
    dispose();
    throw error;
  }
}

interface TrainingData {
  /** Standardised features plus a ones column, n × (p + 1). */
  design: tf.Tensor2D;
  /** The same values in JavaScript memory, for problems too small to be worth a TensorFlow.js call. */
  designValues: Float32Array;
  weights: Float32Array;
  y: Int32Array;
  outputs: number;
}

/**
 * Σ wᵢ·logloss + ½·Σ penalty_j·θ_j² and its gradient. The two products with the design matrix
 * run in TensorFlow.js; the per-row loss and residuals are cheap and done in float64, which
 * keeps the objective smooth enough for the line search to work close to the optimum.
 */
function evaluateObjective(data: TrainingData, theta: Float64Array, penalty: Float64Array) {
  const { outputs } = data;
  const width = penalty.length;
  const small = data.y.length * width * outputs <= SMALL_PRODUCT;
  const logits = small
    ? designTimes(data, theta, width)
    : downloadAndDispose(tf.tidy(() => tf.matMul(data.design, tf.tensor2d(Float32Array.from(theta), [width, outputs]))));
  const { value: loss, residuals } =
    outputs === 1 ? sigmoidLoss(logits, data.y, data.weights) : softmaxLoss(logits, data.y, data.weights, outputs);
  const gradient = small
    ? designTransposeTimes(data, residuals, width)
    : Float64Array.from(
        downloadAndDispose(tf.tidy(() => tf.matMul(data.design, tf.tensor2d(residuals, [data.y.length, outputs]), true, false))),
      );
  let value = loss;
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
 * Below this many multiply-adds per product, a plain loop beats the fixed cost of a TensorFlow.js
 * call (upload, kernel dispatch, download), so small tables skip it.
 */
const SMALL_PRODUCT = 100_000;

/** design · θ (n × outputs), in JavaScript. */
function designTimes(data: TrainingData, theta: Float64Array, width: number): Float32Array {
  const { designValues, outputs } = data;
  const n = data.y.length;
  const result = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    for (let k = 0; k < outputs; k++) {
      let sum = 0;
      for (let j = 0; j < width; j++) sum += designValues[row + j] * theta[j * outputs + k];
      result[i * outputs + k] = sum;
    }
  }
  return result;
}

/** designᵀ · residuals (width × outputs), in JavaScript. */
function designTransposeTimes(data: TrainingData, residuals: Float32Array, width: number): Float64Array {
  const { designValues, outputs } = data;
  const result = new Float64Array(width * outputs);
  for (let i = 0; i < data.y.length; i++) {
    const row = i * width;
    for (let k = 0; k < outputs; k++) {
      const r = residuals[i * outputs + k];
      if (r === 0) continue;
      for (let j = 0; j < width; j++) result[j * outputs + k] += designValues[row + j] * r;
    }
  }
  return result;
}

/** Weighted binary log-loss of logits z and residuals wᵢ·(σ(zᵢ) − yᵢ). */
function sigmoidLoss(logits: Float32Array, y: Int32Array, weights: Float32Array) {
  const residuals = new Float32Array(y.length);
  let value = 0;
  for (let i = 0; i < y.length; i++) {
    const z = logits[i];
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    value += weights[i] * (softplus - y[i] * z);
    residuals[i] = weights[i] * (sigmoid(z) - y[i]);
  }
  return { value, residuals };
}

/** Weighted multinomial log-loss and residuals wᵢ·(softmax(zᵢ) − onehot(yᵢ)). */
function softmaxLoss(logits: Float32Array, y: Int32Array, weights: Float32Array, K: number) {
  const residuals = new Float32Array(y.length * K);
  let value = 0;
  for (let i = 0; i < y.length; i++) {
    const offset = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[offset + k]);
    let total = 0;
    for (let k = 0; k < K; k++) total += Math.exp(logits[offset + k] - max);
    const logNormaliser = max + Math.log(total);
    value += weights[i] * (logNormaliser - logits[offset + y[i]]);
    for (let k = 0; k < K; k++) {
      const probability = Math.exp(logits[offset + k] - logNormaliser);
      residuals[offset + k] = weights[i] * (probability - (k === y[i] ? 1 : 0));
    }
  }
  return { value, residuals };
}

/**
 * Returns a solver for M = curvature·XᵀWX + diag(penalty), an upper bound on each output's
 * Hessian block (sigmoid variance ≤ ¼, softmax ≤ ½). Preconditioning L-BFGS with it absorbs
 * feature correlations, so only a handful of iterations are needed. Large data is sampled for
 * the off-diagonal part (the diagonal is always exact); when a fair sample would cost too much,
 * only the diagonal is used.
 */
function preconditionerSolver(data: TrainingData, curvature: number, penalty: Float64Array) {
  const [n, width] = data.design.shape;
  const sampleRows = Math.min(n, Math.floor(PRECONDITIONER_WORK_BUDGET / (width * width)));
  const dense =
    width <= MAX_DENSE_PRECONDITIONER_COLUMNS && (sampleRows === n || sampleRows >= MIN_SAMPLED_ROWS_PER_COLUMN * width);
  const [diagonalTensor, gramTensor] = tf.tidy(() => {
    const weights = tf.tensor2d(data.weights, [n, 1]);
    const diagonalOfGram = tf.matMul(weights, tf.square(data.design), true, false);
    return [diagonalOfGram, dense ? sampledWeightedGram(data.design, weights, sampleRows) : tf.zeros([width, width])];
  });
  const diagonal = downloadAndDispose(diagonalTensor);
  const matrix = Float64Array.from(downloadAndDispose(gramTensor));
  let trace = 0;
  for (let j = 0; j < width; j++) {
    matrix[j * width + j] = Math.max(matrix[j * width + j], diagonal[j]);
    trace += matrix[j * width + j];
  }
  for (let index = 0; index < matrix.length; index++) matrix[index] *= curvature;
  for (let j = 0; j < width; j++) matrix[j * width + j] += penalty[j];
  const lower = factorWithRidge(matrix, width, (curvature * trace) / width);
  return (rhs: Float64Array) => choleskySolve(lower, width, rhs);
}

/**
 * Nearly collinear columns plus float32 rounding can leave the Gram matrix a hair indefinite;
 * a preconditioner only has to be positive definite, so add the smallest ridge that makes it so.
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

function downloadAndDispose(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

/** XᵀWX over evenly spaced rows, rescaled to the full data's total weight. */
function sampledWeightedGram(design: tf.Tensor2D, weights: tf.Tensor2D, sampleRows: number): tf.Tensor {
  const n = design.shape[0];
  return tf.tidy(() => {
    if (sampleRows >= n) return tf.matMul(tf.mul(design, weights), design, true, false);
    const stride = n / sampleRows;
    const picks = tf.tensor1d(Array.from({ length: sampleRows }, (_, i) => Math.floor(i * stride)), 'int32');
    const sampledDesign = tf.gather(design, picks);
    const sampledWeights = tf.gather(weights, picks);
    const gram = tf.matMul(tf.mul(sampledDesign, sampledWeights), sampledDesign, true, false);
    return tf.mul(gram, tf.div(tf.sum(weights), tf.sum(sampledWeights)));
  });
}

/** Maps standardised-space parameters back to weights and intercepts on the original columns. */
export function toOriginalUnits(theta: Float64Array, means: Float64Array, scales: Float64Array, outputs: number) {
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
