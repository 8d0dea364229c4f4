/**
 * The multinomial (softmax) objective on TensorFlow.js, for mid-sized dense tables only (see
 * createProblem): its float32 WebAssembly matrix products beat the float64 JavaScript ones of
 * logistic-multinomial.ts by about 2× there (digits, 1,437 × 64, 10 classes), at the cost of a
 * float32 standardised copy of the rows, which createProblem keeps to a few megabytes.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tensorflow';
import type { Matrix } from '../frame';

export interface DeviceObjective {
  evaluate: (theta: Float64Array) => { loss: number; gradient: Float64Array };
  curvature: () => number;
  dispose: () => void;
}

/** Smallest positive float32; probabilities below it were rounded to 0. */
const MIN_PROBABILITY = 1.401298464324817e-45;

export function multinomialObjectiveOnDevice(X: Matrix, y: Int32Array, K: number, weights: Float32Array, means: Float64Array, scales: Float64Array): DeviceObjective {
  const width = X.cols + 1;
  const n = X.rows;
  const design = tf.tensor2d(standardizedDesign(X, means, scales), [n, width]);
  const theta32 = new Float32Array(width * K);
  const residuals = new Float32Array(n * K);
  // The mean of p(1 − p) at θ = 0, where every class is equally likely.
  let curvature = (1 / K) * (1 - 1 / K);

  /**
   * Softmax on TensorFlow.js as well (its vectorised exp beats one Math.exp per logit). JavaScript
   * then takes each row's loss, −log p(yᵢ), from the downloaded probabilities, as −log1p(−Σ other
   * classes) when pᵢ is near 1 so that it keeps its relative accuracy however small it is, and writes
   * the residuals wᵢ·(p − onehot(yᵢ)) class by class (K × n), so that the gradient's product,
   * residuals · design, needs no transpose either.
   */
  const evaluate = (theta: Float64Array) => {
    theta32.set(theta);
    const probabilities = downloadAndDispose(tf.tidy(() => tf.softmax(tf.matMul(design, tf.tensor2d(theta32, [width, K])))));
    let loss = 0;
    let curvatureSum = 0;
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
      curvatureSum += w * (1 - squares);
      totalWeight += w;
    }
    curvature = curvatureSum / (K * totalWeight);
    const product = downloadAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(residuals, [K, n]), design)));
    const gradient = new Float64Array(width * K);
    for (let k = 0; k < K; k++) for (let j = 0; j < width; j++) gradient[j * K + k] = product[k * width + j];
    return { loss, gradient };
  };
  return { evaluate, curvature: () => curvature, dispose: () => design.dispose() };
}

/** (X − means) / scales plus a ones column, row-major float32. */
function standardizedDesign(X: Matrix, means: Float64Array, scales: Float64Array): Float32Array {
  const { rows: n, cols: p, data: values } = X;
  const width = p + 1;
  const inverseScales = scales.map((scale) => 1 / scale);
  const design = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const from = i * p;
    const to = i * width;
    for (let j = 0; j < p; j++) design[to + j] = (values[from + j] - means[j]) * inverseScales[j];
    design[to + p] = 1;
  }
  return design;
}

function downloadAndDispose(tensor: TF.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}
