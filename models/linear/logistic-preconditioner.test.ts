import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../frame';
import { createProblem } from './logistic-objective';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** rows × (numeric columns + one-hot columns), so most values of the one-hot part are zero. */
function mixedMatrix(rows: number, numeric: number, levels: number): Matrix {
  const cols = numeric + levels;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < numeric; j++) data[i * cols + j] = 1000 * Math.sin(1.3 * i + j) + 50 * j;
    data[i * cols + numeric + ((i * 7) % levels)] = 1;
  }
  return { data, rows, cols };
}

function denseMatrix(rows: number, cols: number): Matrix {
  const data = Float64Array.from({ length: rows * cols }, (_, index) => Math.cos(0.37 * index) + ((index * 13) % 5));
  return { data, rows, cols };
}

/**
 * M = curvature·DᵀSD + diag(penalty) straight from its definition, D the standardised columns
 * plus a ones column, in float64.
 */
function preconditionerMatrix(X: Matrix, weights: Float32Array, means: Float64Array, scales: Float64Array, l2: number, curvature: number) {
  const width = X.cols + 1;
  const matrix = new Float64Array(width * width);
  const row = new Float64Array(width);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) row[j] = (X.data[i * X.cols + j] - means[j]) / scales[j];
    row[X.cols] = 1;
    for (let a = 0; a < width; a++) for (let b = 0; b < width; b++) matrix[a * width + b] += curvature * weights[i] * row[a] * row[b];
  }
  for (let j = 0; j < X.cols; j++) matrix[j * width + j] += l2 / scales[j] ** 2;
  return matrix;
}

function multiply(matrix: Float64Array, vector: Float64Array): Float64Array {
  const n = vector.length;
  return Float64Array.from({ length: n }, (_, a) => {
    let sum = 0;
    for (let b = 0; b < n; b++) sum += matrix[a * n + b] * vector[b];
    return sum;
  });
}

describe('logistic regression preconditioner', () => {
  // Before the first evaluation the curvature is that of θ = 0: ¼ for two classes.
  it.each([
    ['mostly zero (one-hot) columns, accumulated with zeros skipped', mixedMatrix(400, 3, 12)],
    ['dense columns, through TensorFlow.js', denseMatrix(300, 6)],
  ])('inverts curvature·XᵀSX + penalty on %s', (_, X) => {
    const y = Int32Array.from({ length: X.rows }, (_, i) => (Math.sin(2.1 * i) > 0.3 ? 1 : 0));
    const weights = Float32Array.from(y, (label) => (label === 1 ? 2 : 0.5));
    const problem = createProblem(X, y, 2, weights, 0.7);
    try {
      const matrix = preconditionerMatrix(X, weights, problem.means, problem.scales, 0.7, 0.25);
      const vector = Float64Array.from({ length: X.cols + 1 }, (_, j) => Math.sin(j + 1));
      const recovered = problem.precondition(multiply(matrix, vector));
      for (let j = 0; j < vector.length; j++) expect(recovered[j]).toBeCloseTo(vector[j], 4);
    } finally {
      problem.dispose();
    }
  });

  it('gives vᵀ·M⁻¹·v from the forward half of the solve, class by class', () => {
    const X = denseMatrix(250, 5);
    const y = Int32Array.from({ length: X.rows }, (_, i) => i % 3);
    const problem = createProblem(X, y, 3, new Float32Array(X.rows).fill(1), 0.4);
    try {
      const vector = Float64Array.from({ length: (X.cols + 1) * 3 }, (_, j) => Math.cos(1.7 * j) - 0.2);
      const applied = problem.precondition(vector);
      let expected = 0;
      for (let j = 0; j < vector.length; j++) expected += vector[j] * applied[j];
      expect(expected).toBeGreaterThan(0);
      expect(problem.inverseSquare(vector)).toBeCloseTo(expected, 10);
    } finally {
      problem.dispose();
    }
  });
});
