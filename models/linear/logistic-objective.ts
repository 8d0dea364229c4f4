/**
 * The objective behind LogisticRegression and what its solver needs: the penalised log-loss and
 * its gradient on standardised columns, in float64 JavaScript over the caller's matrix (two classes:
 * logistic-binary.ts; several: logistic-multinomial.ts, or float32 WebAssembly SIMD for mid-sized
 * dense tables, logistic-multinomial-wasm.ts, with logistic-multinomial-tf.ts as its fallback), the preconditioner (logistic-preconditioner.ts), and the map from the solution back
 * to the original units.
 */
import type { Matrix } from '../frame';
import { standardizationMoments } from '../linalg';
import { sampledCentres } from './column-centres';
import { binaryObjective } from './logistic-binary';
import { multinomialObjective } from './logistic-multinomial';
import { multinomialObjectiveOnDevice } from './logistic-multinomial-tf';
import { multinomialObjectiveInWasm } from './logistic-multinomial-wasm';
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
  /** Frees the TensorFlow.js copy of the rows, when the fallback made one. */
  dispose: () => void;
}

/**
 * Several classes go to float32 WebAssembly SIMD (logistic-multinomial-wasm.ts; TensorFlow.js where
 * SIMD is missing) when the products are large enough to pay for the float32 copy of the rows
 * (more multiply-adds than this per product) ...
 */
const DEVICE_MIN_PRODUCT = 100_000;
/**
 * ... and that copy is small (at most this many values, 8 MB): past that, its memory costs more
 * than the time saved (on the TensorFlow.js fallback the heap even keeps it for the life of the
 * process), and float64 JavaScript over the caller's matrix takes about as long.
 */
const DEVICE_MAX_COPY = 2 ** 21;

export function usesDevice(X: Matrix, nClasses: number): boolean {
  const values = X.rows * (X.cols + 1);
  return nClasses > 2 && values * nClasses > DEVICE_MIN_PRODUCT && values <= DEVICE_MAX_COPY;
}

/**
 * Sets up the objective on standardised columns (mean 0, standard deviation 1) plus a ones
 * column. This is an exact change of variables: the penalty is rescaled to still act on the
 * original-unit weights, so the optimum is scikit-learn's, but the products stay accurate
 * even when columns differ in scale by orders of magnitude. The standardisation is folded into the
 * parameters, so no standardised copy of the rows is made.
 */
export function createProblem(X: Matrix, y: Int32Array, nClasses: number, weights: Float32Array, l2: number): Problem {
  const width = X.cols + 1;
  const outputs = nClasses === 2 ? 1 : nClasses;
  const { means, scales } = standardizationMoments(X);
  const penalty = new Float64Array(width);
  for (let j = 0; j < X.cols; j++) penalty[j] = l2 / (scales[j] * scales[j]);
  const centres = sampledCentres(X);
  const objective =
    outputs === 1
      ? { ...binaryObjective(X, y, weights, means, scales), dispose: () => {} }
      : usesDevice(X, nClasses)
        ? (multinomialObjectiveInWasm(X, y, nClasses, weights, means, scales) ?? multinomialObjectiveOnDevice(X, y, nClasses, weights, means, scales))
        : { ...multinomialObjective(X, y, nClasses, weights, means, scales, centres), dispose: () => {} };
  let preconditioner: ReturnType<typeof createPreconditioner>;
  try {
    preconditioner = createPreconditioner({ X, weights, means, scales, penalty, centres });
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
