/**
 * The objective behind LogisticRegression and what its solver needs: the penalised log-loss and
 * its gradient on standardised columns (two classes: logistic-binary.ts; several: TensorFlow.js for
 * the data-sized products, float64 for the rest), the preconditioner (logistic-preconditioner.ts),
 * and the map from the solution back to the original units.
 */
import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '../frame';
import { standardizationMoments } from '../linalg';
import { binaryObjective } from './logistic-binary';
import { createPreconditioner } from './logistic-preconditioner';

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
  /** vᵀ·M⁻¹·v for the same preconditioner M, at half the cost of applying it. */
  inverseSquare: (vector: Float64Array) => number;
  dispose: () => void;
}

/** What createProblem needs from a loss: value and gradient without the penalty, and the Gram inputs. */
interface Objective {
  evaluate: (theta: Float64Array) => { loss: number; gradient: Float64Array };
  curvature: () => number;
  diagonal: Float64Array;
  gram: (sampleRows: number) => Float64Array;
  dispose: () => void;
}

/**
 * Sets up the objective on standardised columns (mean 0, standard deviation 1) plus a ones
 * column. This is an exact change of variables: the penalty is rescaled to still act on the
 * original-unit weights, so the optimum is scikit-learn's, but the products stay accurate
 * even when columns differ in scale by orders of magnitude. Two classes: float64 JavaScript over
 * the caller's matrix (logistic-binary.ts); more: a float32 standardised copy, on TensorFlow.js
 * once the products are large enough to pay for it.
 */
export function createProblem(X: Matrix, y: Int32Array, nClasses: number, weights: Float32Array, l2: number): Problem {
  const width = X.cols + 1;
  const outputs = nClasses === 2 ? 1 : nClasses;
  const { means, scales } = standardizationMoments(X);
  const penalty = new Float64Array(width);
  for (let j = 0; j < X.cols; j++) penalty[j] = l2 / (scales[j] * scales[j]);
  const objective: Objective =
    outputs === 1 ? { ...binaryObjective(X, y, weights, means, scales), dispose: () => {} } : multinomialObjective(X, y, nClasses, weights, means, scales);
  let preconditioner: ReturnType<typeof createPreconditioner>;
  try {
    preconditioner = createPreconditioner({ X, weights, means, scales, diagonal: objective.diagonal, penalty, denseGram: objective.gram });
  } catch (error) {
    objective.dispose();
    throw error;
  }
  return {
    outputs,
    size: width * outputs,
    totalWeight: weights.reduce((sum, w) => sum + w, 0),
    means,
    scales,
    evaluate: (theta) => withPenalty(objective.evaluate(theta), theta, penalty, outputs),
    precondition: (gradient) => preconditioner.apply(gradient, outputs, objective.curvature()),
    inverseSquare: (vector) => preconditioner.inverseSquare(vector, outputs, objective.curvature()),
    dispose: objective.dispose,
  };
}

/** Adds ½·Σ penalty_j·θ_j² and its gradient. */
function withPenalty({ loss, gradient }: { loss: number; gradient: Float64Array }, theta: Float64Array, penalty: Float64Array, outputs: number) {
  let value = loss;
  for (let j = 0; j < penalty.length; j++) {
    for (let k = 0; k < outputs; k++) {
      const t = theta[j * outputs + k];
      value += 0.5 * penalty[j] * t * t;
      gradient[j * outputs + k] += penalty[j] * t;
    }
  }
  return { value, gradient };
}

/** The multinomial (softmax) objective over a float32 standardised copy of the rows. */
function multinomialObjective(X: Matrix, y: Int32Array, K: number, weights: Float32Array, means: Float64Array, scales: Float64Array): Objective {
  const width = X.cols + 1;
  const n = X.rows;
  const { design, diagonal } = standardizedDesign(X, weights, means, scales);
  const designTensor = tf.tensor2d(design, [n, width]);
  const small = n * width * K <= SMALL_PRODUCT;
  const data: TrainingData = {
    design: designTensor,
    designValues: small ? design : null,
    weights,
    y,
    outputs: K,
    scratch: { theta: new Float32Array(width * K), residuals: new Float32Array(n * K), exps: new Float64Array(K) },
    // The mean of p(1 − p) at θ = 0, where every class is equally likely.
    curvature: (1 / K) * (1 - 1 / K),
  };
  return {
    evaluate: (theta) => (data.designValues ? lossInJavaScript(data, data.designValues, theta, width) : softmaxLossOnDevice(data, theta, width)),
    curvature: () => data.curvature,
    diagonal,
    gram: (sampleRows) => sampledWeightedGram(designTensor, weights, sampleRows),
    dispose: () => designTensor.dispose(),
  };
}

interface TrainingData {
  /** Standardised features plus a ones column, n × (p + 1). */
  design: tf.Tensor2D;
  /** The same values in JavaScript memory, for problems too small to be worth a TensorFlow.js call. */
  designValues: Float32Array | null;
  weights: Float32Array;
  y: Int32Array;
  outputs: number;
  /** Buffers reused by every evaluation, so the solver's inner loop allocates nothing data-sized. */
  scratch: { theta: Float32Array; residuals: Float32Array; exps: Float64Array };
  /**
   * Weighted mean of the loss's second derivative per row and class (p(1 − p)) at the last
   * evaluated point; it scales the data part of the preconditioner.
   */
  curvature: number;
}

/**
 * (X − means) / scales plus a ones column, row-major float32, and the exact diagonal of its
 * weighted Gram matrix, Σ wᵢ·dᵢⱼ², for the preconditioner.
 */
function standardizedDesign(X: Matrix, weights: Float32Array, means: Float64Array, scales: Float64Array) {
  const { rows: n, cols: p, data: values } = X;
  const width = p + 1;
  const inverseScales = scales.map((scale) => 1 / scale);
  const design = new Float32Array(n * width);
  const diagonal = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    const from = i * p;
    const to = i * width;
    const w = weights[i];
    for (let j = 0; j < p; j++) {
      const standardized = (values[from + j] - means[j]) * inverseScales[j];
      design[to + j] = standardized;
      diagonal[j] += w * standardized * standardized;
    }
    design[to + p] = 1;
    diagonal[p] += w;
  }
  return { design, diagonal };
}

function lossInJavaScript(data: TrainingData, designValues: Float32Array, theta: Float64Array, width: number) {
  const logits = designTimes(data, designValues, theta, width);
  const { residuals } = data.scratch;
  const loss = softmaxLoss(logits, data, residuals);
  return { loss, gradient: designTransposeTimes(data, designValues, residuals, width) };
}

/**
 * Multinomial loss with the softmax on TensorFlow.js as well (its vectorised exp beats one
 * Math.exp per logit). JavaScript then takes each row's loss, −log p(yᵢ), from the downloaded
 * probabilities, as −log1p(−Σ other classes) when pᵢ is near 1 so that it keeps its relative
 * accuracy however small it is, and writes the residuals wᵢ·(p − onehot(yᵢ)) class by class
 * (K × n), so that the gradient's product, residuals · design, needs no transpose either.
 */
function softmaxLossOnDevice(data: TrainingData, theta: Float64Array, width: number) {
  const { outputs: K, y, weights } = data;
  const n = y.length;
  const { residuals } = data.scratch;
  data.scratch.theta.set(theta);
  const probabilities = downloadAndDispose(tf.tidy(() => tf.softmax(tf.matMul(data.design, tf.tensor2d(data.scratch.theta, [width, K])))));
  let loss = 0;
  let curvature = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const offset = i * K;
    const label = y[i];
    const w = weights[i];
    let others = 0;
    let squares = 0;
    for (let k = 0; k < K; k++) {
      const probability = probabilities[offset + k];
      squares += probability * probability;
      others += probability;
      residuals[k * n + i] = w * probability;
    }
    const own = probabilities[offset + label];
    others -= own;
    residuals[label * n + i] -= w;
    // A probability that underflowed float32 still costs a finite (large) loss.
    loss += w * (own > 0.5 ? -Math.log1p(-others) : -Math.log(Math.max(own, MIN_PROBABILITY)));
    // Σ p(1 − p) = Σ p − Σ p², with Σ p = 1.
    curvature += w * (1 - squares);
    totalWeight += w;
  }
  data.curvature = curvature / (K * totalWeight);
  const product = downloadAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(residuals, [K, n]), data.design)));
  return { loss, gradient: transposedToColumns(product, width, K) };
}

/** Smallest positive float32; probabilities below it were rounded to 0. */
const MIN_PROBABILITY = 1.401298464324817e-45;

/**
 * Below this many multiply-adds per product, a plain loop beats the fixed cost of a TensorFlow.js
 * call (upload, kernel dispatch, download), so small tables skip it.
 */
const SMALL_PRODUCT = 100_000;

/** design · θ (n × outputs), in JavaScript. */
function designTimes(data: TrainingData, designValues: Float32Array, theta: Float64Array, width: number): Float32Array {
  const { outputs } = data;
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

/** An outputs × width product laid out as the parameter matrix, width × outputs, in float64. */
function transposedToColumns(product: Float32Array, width: number, outputs: number): Float64Array {
  const gradient = new Float64Array(width * outputs);
  for (let k = 0; k < outputs; k++) for (let j = 0; j < width; j++) gradient[j * outputs + k] = product[k * width + j];
  return gradient;
}

/** designᵀ · residuals (width × outputs), in JavaScript. */
function designTransposeTimes(data: TrainingData, designValues: Float32Array, residuals: Float32Array, width: number): Float64Array {
  const { outputs } = data;
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

/** Weighted multinomial log-loss; writes the residuals wᵢ·(softmax(zᵢ) − onehot(yᵢ)). One exp per logit. */
function softmaxLoss(logits: Float32Array, data: TrainingData, residuals: Float32Array): number {
  const { y, weights, outputs: K } = data;
  const exps = data.scratch.exps;
  let curvature = 0;
  let totalWeight = 0;
  let value = 0;
  for (let i = 0; i < y.length; i++) {
    const offset = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (logits[offset + k] > max) max = logits[offset + k];
    let total = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logits[offset + k] - max);
      exps[k] = e;
      total += e;
    }
    const w = weights[i];
    const label = y[i];
    value += w * (max + Math.log(total) - logits[offset + label]);
    const scale = w / total;
    for (let k = 0; k < K; k++) {
      const probability = exps[k] / total;
      residuals[offset + k] = scale * exps[k];
      curvature += w * probability * (1 - probability);
    }
    residuals[offset + label] = w * (exps[label] / total - 1);
    totalWeight += w;
  }
  // One curvature for all classes keeps the preconditioner the same operator on every class, so it
  // never mixes in the direction that shifts all classes alike, which the loss does not see.
  data.curvature = curvature / (K * totalWeight);
  return value;
}

function downloadAndDispose(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

/** XᵀSX over evenly spaced rows, rescaled to the full data's total weight. */
function sampledWeightedGram(design: tf.Tensor2D, rowWeights: Float32Array, sampleRows: number): Float64Array {
  const n = design.shape[0];
  const gram = tf.tidy(() => {
    const weights = tf.tensor2d(rowWeights, [n, 1]);
    if (sampleRows >= n) return tf.matMul(tf.mul(design, weights), design, true, false);
    const picks = tf.tensor1d(Array.from({ length: sampleRows }, (_, i) => Math.floor((i * n) / sampleRows)), 'int32');
    const sampledDesign = tf.gather(design, picks);
    const sampledWeights = tf.gather(weights, picks);
    const sampled = tf.matMul(tf.mul(sampledDesign, sampledWeights), sampledDesign, true, false);
    return tf.mul(sampled, tf.div(tf.sum(weights), tf.sum(sampledWeights)));
  });
  return new Float64Array(downloadAndDispose(gram));
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
