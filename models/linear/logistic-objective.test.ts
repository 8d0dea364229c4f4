import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../frame';
import { createProblem } from './logistic-objective';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function denseMatrix(rows: number, cols: number): Matrix {
  const data = Float64Array.from({ length: rows * cols }, (_, index) => 3 * Math.sin(0.61 * index) + ((index * 11) % 7));
  return { data, rows, cols };
}

/**
 * Σ wᵢ·(−log softmax(zᵢ)[yᵢ]) + ½·Σ penalty·θ² and its gradient straight from the definition, in
 * float64, on the problem's own standardised columns (θ is width × K, intercept row last).
 */
function referenceObjective(X: Matrix, y: Int32Array, weights: Float32Array, l2: number, theta: Float64Array, K: number, moments: { means: Float64Array; scales: Float64Array }) {
  const width = X.cols + 1;
  const gradient = new Float64Array(width * K);
  const row = new Float64Array(width);
  const logits = new Float64Array(K);
  let value = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) row[j] = (X.data[i * X.cols + j] - moments.means[j]) / moments.scales[j];
    row[X.cols] = 1;
    for (let k = 0; k < K; k++) {
      logits[k] = 0;
      for (let j = 0; j < width; j++) logits[k] += row[j] * theta[j * K + k];
    }
    const max = Math.max(...logits);
    const total = logits.reduce((sum, z) => sum + Math.exp(z - max), 0);
    value += weights[i] * (max + Math.log(total) - logits[y[i]]);
    for (let k = 0; k < K; k++) {
      const residual = weights[i] * (Math.exp(logits[k] - max) / total - (k === y[i] ? 1 : 0));
      for (let j = 0; j < width; j++) gradient[j * K + k] += residual * row[j];
    }
  }
  for (let j = 0; j < X.cols; j++) {
    const penalty = l2 / moments.scales[j] ** 2;
    for (let k = 0; k < K; k++) {
      value += 0.5 * penalty * theta[j * K + k] ** 2;
      gradient[j * K + k] += penalty * theta[j * K + k];
    }
  }
  return { value, gradient };
}

describe('logistic regression objective', () => {
  // 3,000 × 12 × 4 multiply-adds per product: past the size where the products and the softmax move to TensorFlow.js.
  it.each([
    ['on TensorFlow.js', 3000],
    ['in JavaScript', 200],
  ])('multinomial loss and gradient %s match the definition', (_, rows) => {
    const K = 4;
    const X = denseMatrix(rows, 11);
    const y = Int32Array.from({ length: rows }, (_, i) => (i * 7 + Math.floor(3 * Math.sin(i))) % K);
    const weights = Float32Array.from({ length: rows }, (_, i) => 0.5 + (i % 3));
    const problem = createProblem(X, y, K, weights, 0.8);
    try {
      const theta = Float64Array.from({ length: problem.size }, (_, index) => 0.4 * Math.cos(1.9 * index));
      const { value, gradient } = problem.evaluate(theta);
      const reference = referenceObjective(X, y, weights, 0.8, theta, K, problem);
      expect(Math.abs(value - reference.value) / reference.value).toBeLessThan(1e-5);
      const largest = Math.max(...reference.gradient.map(Math.abs));
      for (let index = 0; index < gradient.length; index++) {
        expect(Math.abs(gradient[index] - reference.gradient[index])).toBeLessThan(1e-5 * largest);
      }
    } finally {
      problem.dispose();
    }
  });
});
