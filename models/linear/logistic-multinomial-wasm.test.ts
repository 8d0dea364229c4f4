import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnsMatrix, type Matrix } from '../frame';
import { standardizationMoments } from '../linalg';
import { multinomialObjectiveOnDevice } from './logistic-multinomial-tf';
import { multinomialObjectiveInWasm } from './logistic-multinomial-wasm';
import { columnsOnlyMatrix } from './test-matrices';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function columnsOf(rows: number, cols: number): Float64Array[] {
  return Array.from({ length: cols }, (_, j) => Float64Array.from({ length: rows }, (_, i) => 3 * Math.sin(0.61 * (i * cols + j)) + ((i * 11 + j) % 7) + 100 * j));
}

/** Σ wᵢ·(−log softmax(zᵢ)[yᵢ]) and its gradient from the definition, in float64, on standardised columns plus ones. */
function reference(X: Matrix, y: Int32Array, K: number, weights: Float32Array, theta: Float64Array) {
  const { means, scales } = standardizationMoments(X);
  const width = X.cols + 1;
  const gradient = new Float64Array(width * K);
  const row = new Float64Array(width);
  const logits = new Float64Array(K);
  let loss = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) row[j] = (X.data[i * X.cols + j] - means[j]) / scales[j];
    row[X.cols] = 1;
    for (let k = 0; k < K; k++) {
      logits[k] = 0;
      for (let j = 0; j < width; j++) logits[k] += row[j] * theta[j * K + k];
    }
    const max = Math.max(...logits);
    const total = logits.reduce((sum, z) => sum + Math.exp(z - max), 0);
    loss += weights[i] * (max + Math.log(total) - logits[y[i]]);
    for (let k = 0; k < K; k++) {
      const residual = weights[i] * (Math.exp(logits[k] - max) / total - (k === y[i] ? 1 : 0));
      for (let j = 0; j < width; j++) gradient[j * K + k] += residual * row[j];
    }
  }
  return { loss, gradient, means, scales };
}

function problem(rows: number, cols: number, K: number) {
  const columns = columnsOf(rows, cols);
  const X = { data: columnsMatrix(columns, rows).data, rows, cols };
  const y = Int32Array.from({ length: rows }, (_, i) => (i * 7 + Math.floor(3 * Math.sin(i))) % K);
  const weights = Float32Array.from({ length: rows }, (_, i) => 0.5 + (i % 3));
  return { columns, X, y, weights };
}

function expectClose(actual: { loss: number; gradient: Float64Array }, expected: { loss: number; gradient: Float64Array }, tolerance: number) {
  expect(Math.abs(actual.loss - expected.loss) / expected.loss).toBeLessThan(tolerance);
  const largest = Math.max(...expected.gradient.map(Math.abs));
  let worst = 0;
  for (let index = 0; index < expected.gradient.length; index++) worst = Math.max(worst, Math.abs(actual.gradient[index] - expected.gradient[index]));
  expect(worst).toBeLessThan(tolerance * largest);
}

describe('multinomial objective in WebAssembly', () => {
  // 1,001 rows: the last block of four is padded. 15 classes: two passes of at most 12 in the products.
  it.each([
    ['4 classes, row-major', 4, false],
    ['4 classes, over columns without the row-major copy', 4, true],
    ['15 classes', 15, false],
  ])('matches the definition: %s', (_, K, asColumns) => {
    const { columns, X, y, weights } = problem(1001, 9, K);
    const input = asColumns ? columnsOnlyMatrix(columns, X.rows) : X;
    const theta = Float64Array.from({ length: 10 * K }, (_, index) => 0.4 * Math.cos(1.9 * index));
    const expected = reference(X, y, K, weights, theta);
    const objective = multinomialObjectiveInWasm(input, y, K, weights, expected.means, expected.scales);
    expect(objective).not.toBeNull();
    expectClose(objective!.evaluate(theta), expected, 1e-5);
    expect(objective!.curvature()).toBeGreaterThan(0);
    expect(objective!.curvature()).toBeLessThan(1 / K);
  });

  it('keeps the loss of rows whose own probability underflows float32 (logits 200 apart)', () => {
    const K = 3;
    const { X, y, weights } = problem(402, 5, K);
    const theta = Float64Array.from({ length: 6 * K }, (_, index) => 60 * Math.cos(1.9 * index));
    const expected = reference(X, y, K, weights, theta);
    const objective = multinomialObjectiveInWasm(X, y, K, weights, expected.means, expected.scales)!;
    const { loss, gradient } = objective.evaluate(theta);
    // Far past −log(smallest float32) ≈ 103 per row on average, so some rows must have underflowed.
    expect(expected.loss / weights.reduce((a, b) => a + b, 0)).toBeGreaterThan(110);
    expectClose({ loss, gradient }, expected, 1e-5);
  });

  it('agrees with the TensorFlow.js objective it replaces', () => {
    const K = 10;
    const { X, y, weights } = problem(1437, 12, K);
    const { means, scales } = standardizationMoments(X);
    const theta = Float64Array.from({ length: 13 * K }, (_, index) => 0.3 * Math.sin(1.3 * index));
    const onDevice = multinomialObjectiveOnDevice(X, y, K, weights, means, scales);
    try {
      const expected = onDevice.evaluate(theta);
      expectClose(multinomialObjectiveInWasm(X, y, K, weights, means, scales)!.evaluate(theta), expected, 1e-5);
    } finally {
      onDevice.dispose();
    }
  });
});
