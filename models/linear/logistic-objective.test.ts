import * as tf from '@tensorflow/tfjs';
import { columnsOnlyMatrix } from './test-matrices';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnsMatrix, type Matrix } from '../frame';
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
  // 3,000 × 12 × 4 multiply-adds per product: past the size where the products and the softmax move to WebAssembly.
  it.each([
    ['in WebAssembly', 3000],
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

describe('binary logistic regression objective', () => {
  it('matches the definition on standardised columns, even for columns far from zero', () => {
    const rows = 500;
    const base = denseMatrix(rows, 6);
    // One column around 2,000,000 with a spread of a few units: standardisation folded into the
    // parameters must not lose it to cancellation.
    const data = Float64Array.from(base.data, (value, index) => (index % 6 === 2 ? 2e6 + value : value));
    const X = { data, rows, cols: 6 };
    const y = Int32Array.from({ length: rows }, (_, i) => (Math.sin(1.7 * i) + 0.3 * Math.cos(0.2 * i) > 0 ? 1 : 0));
    const weights = Float32Array.from({ length: rows }, (_, i) => 0.5 + (i % 3));
    const problem = createProblem(X, y, 2, weights, 0.8);
    const theta = Float64Array.from({ length: problem.size }, (_, index) => 0.4 * Math.cos(1.9 * index));
    const { value, gradient } = problem.evaluate(theta);
    const width = X.cols + 1;
    const row = new Float64Array(width);
    const expectedGradient = new Float64Array(width);
    let expected = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < X.cols; j++) row[j] = (data[i * X.cols + j] - problem.means[j]) / problem.scales[j];
      row[X.cols] = 1;
      let z = 0;
      for (let j = 0; j < width; j++) z += row[j] * theta[j];
      expected += weights[i] * (Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - y[i] * z);
      const residual = weights[i] * (1 / (1 + Math.exp(-z)) - y[i]);
      for (let j = 0; j < width; j++) expectedGradient[j] += residual * row[j];
    }
    for (let j = 0; j < X.cols; j++) {
      const penalty = 0.8 / problem.scales[j] ** 2;
      expected += 0.5 * penalty * theta[j] ** 2;
      expectedGradient[j] += penalty * theta[j];
    }
    // Far tighter than float32 products could get (about 1e-7); the folded mean costs a few digits.
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-10);
    const largest = Math.max(...expectedGradient.map(Math.abs));
    for (let j = 0; j < width; j++) expect(Math.abs(gradient[j] - expectedGradient[j])).toBeLessThan(1e-8 * largest);
    problem.dispose();
  });
});

describe('multinomial objective in float64 JavaScript', () => {
  /** 300 rows × 10: one numeric column, eight one-hot columns (mostly 0) and one mostly 1: a fifth of the values differ. */
  function mixedColumns(rows: number): Float64Array[] {
    const columns = Array.from({ length: 10 }, () => new Float64Array(rows));
    for (let i = 0; i < rows; i++) {
      columns[0][i] = 1000 * Math.sin(1.3 * i) + 50;
      columns[1 + ((i * 7) % 8)][i] = 1;
      columns[9][i] = i % 9 === 0 ? 0 : 1;
    }
    return columns;
  }

  it.each([
    ['over a row-major matrix', false, false],
    ['over separate columns, without making the row-major copy', true, false],
    ['over mostly constant columns, those values skipped', true, true],
  ])('matches the definition %s', (_, asColumns, mostlyConstant) => {
    const K = 3;
    const rows = 300;
    const columns = mostlyConstant ? mixedColumns(rows) : Array.from({ length: 7 }, (_, j) => Float64Array.from({ length: rows }, (_, i) => 3 * Math.sin(0.61 * (i * 7 + j)) + ((i + j) % 5)));
    // Over separate columns, reading the row-major copy would throw.
    const withoutRows = columnsOnlyMatrix(columns, rows);
    const X = asColumns ? withoutRows : { data: columnsMatrix(columns, rows).data, rows, cols: columns.length };
    const y = Int32Array.from({ length: rows }, (_, i) => (i * 7 + Math.floor(3 * Math.sin(i))) % K);
    const weights = Float32Array.from({ length: rows }, (_, i) => 0.5 + (i % 3));
    const problem = createProblem(X, y, K, weights, 0.8);
    const theta = Float64Array.from({ length: problem.size }, (_, index) => 0.4 * Math.cos(1.9 * index));
    const { value, gradient } = problem.evaluate(theta);
    const plain = { data: columnsMatrix(columns, rows).data, rows, cols: columns.length };
    const reference = referenceObjective(plain, y, weights, 0.8, theta, K, problem);
    // Float64 throughout: far tighter than the float32 products in WebAssembly (1e-5 above).
    expect(Math.abs(value - reference.value) / reference.value).toBeLessThan(1e-12);
    const largest = Math.max(...reference.gradient.map(Math.abs));
    for (let index = 0; index < gradient.length; index++) {
      expect(Math.abs(gradient[index] - reference.gradient[index])).toBeLessThan(1e-10 * largest);
    }
  });
});
