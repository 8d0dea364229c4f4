import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../frame';
import { LinearRegression, polynomialFeatureNames, polynomialFeatures } from './linear-regression';
import { regressionMetrics } from '../evaluation/metrics';

// Reference values: scripts/sklearn-reference.py (scikit-learn 1.2.1).

function loadAdvertising(): { X: Matrix; y: Float64Array } {
  const lines = readFileSync(join(__dirname, '..', '..', 'samples', 'advertising.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  const featureIndex = ['TV', 'Radio', 'Newspaper'].map((name) => header.indexOf(name));
  const salesIndex = header.indexOf('Sales');
  return {
    X: { data: Float64Array.from(rows.flatMap((row) => featureIndex.map((j) => row[j]))), rows: rows.length, cols: 3 },
    y: Float64Array.from(rows, (row) => row[salesIndex]),
  };
}

function expectRelativelyClose(actual: ArrayLike<number>, expected: number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => {
    expect(Math.abs(actual[i] - value), `entry ${i}: ${actual[i]} vs ${value}`).toBeLessThanOrEqual(
      tolerance * Math.abs(value) + 1e-12,
    );
  });
}

/** Appends columns computed from each row of X. */
function withExtraColumns(X: Matrix, extra: (row: number[]) => number[]): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < X.rows; i++) {
    const row = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    rows.push([...row, ...extra(row)]);
  }
  return { data: Float64Array.from(rows.flat()), rows: X.rows, cols: rows[0].length };
}

const names = ['TV', 'Radio', 'Newspaper'];

describe('LinearRegression on the advertising sample', () => {
  const { X, y } = loadAdvertising();

  it('reproduces ordinary least squares', () => {
    const model = new LinearRegression({ degree: 1, l2: 0 }).fit(X, y, { featureNames: names });
    expect(model.intercept).toBeCloseTo(2.9389, 4);
    expect(model.coefficients[0]).toBeCloseTo(0.045765, 6);
    expect(model.coefficients[1]).toBeCloseTo(0.18853, 5);
    expect(model.coefficients[2]).toBeCloseTo(-0.001037, 6);
    expectRelativelyClose([model.intercept], [2.9388893694594103]);
    expectRelativelyClose(model.coefficients, [0.0457646454553976, 0.18853001691820442, -0.0010374930424763224]);
    const { r2 } = regressionMetrics(y, model.predict(X));
    expect(r2).toBeCloseTo(0.8972, 4);
    expect(r2).toBeCloseTo(0.8972106381789522, 10);
    expect(model.warnings).toEqual([]);
  });

  it('fits degree-2 polynomial features like PolynomialFeatures + LinearRegression', () => {
    const model = new LinearRegression({ degree: 2, l2: 0 }).fit(X, y, { featureNames: names });
    expect(model.expandedNames).toEqual([
      'TV', 'Radio', 'Newspaper', 'TV^2', 'TV × Radio', 'TV × Newspaper', 'Radio^2', 'Radio × Newspaper', 'Newspaper^2',
    ]);
    expectRelativelyClose([model.intercept], [5.084781667166705]);
    expectRelativelyClose(model.coefficients, [
      0.0516525486747954, 0.02107429704249235, 0.006883735314858362, -0.0001097026631058867, 0.0011052594948277152,
      -4.551553907016971e-5, 0.00011199701511931783, 8.266058962681485e-5, 1.1912564974939073e-5,
    ]);
    expect(regressionMetrics(y, model.predict(X)).r2).toBeCloseTo(0.9865057435307856, 10);
  });

  it('matches Ridge, leaving the intercept unpenalised', () => {
    const ridge = new LinearRegression({ degree: 1, l2: 50 }).fit(X, y, { featureNames: names });
    expectRelativelyClose([ridge.intercept], [2.9427896960387603]);
    expectRelativelyClose(ridge.coefficients, [0.04576455403240643, 0.18828434412107325, -0.0009776498652069733]);

    const ridge2 = new LinearRegression({ degree: 2, l2: 1000 }).fit(X, y, { featureNames: names });
    expectRelativelyClose([ridge2.intercept], [5.204701734154446]);
    expectRelativelyClose(ridge2.coefficients, [
      0.05087312054633644, 0.014637979818300766, 0.005997078991659664, -0.00010793761004881819, 0.0011145113173571992,
      -4.496445237999264e-5, 0.00020153233249732346, 9.643842225375122e-5, 1.626862209699744e-5,
    ]);
  });

  it('stays finite and accurate at degree 5', () => {
    const model = new LinearRegression({ degree: 5, l2: 0 }).fit(X, y, { featureNames: names });
    expect(model.coefficients).toHaveLength(55);
    expect(model.coefficients.every(Number.isFinite)).toBe(true);
    expect(regressionMetrics(y, model.predict(X)).r2).toBeGreaterThan(0.99);
  });

  it('round-trips through JSON', () => {
    const model = new LinearRegression({ degree: 2, l2: 3 }).fit(X, y, { featureNames: names });
    const restored = LinearRegression.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(restored.predict(X))).toEqual(Array.from(model.predict(X)));
    expect(restored.expandedNames).toEqual(model.expandedNames);
    expect(model.toJSON()).toMatchObject({ kind: 'linearRegression', featureNames: names, params: { degree: 2, l2: 3 } });
  });
});

describe('redundant features', () => {
  const { X, y } = loadAdvertising();
  const plain = new LinearRegression({ degree: 1, l2: 0 }).fit(X, y, { featureNames: names });

  it('leaves out a duplicated column and says which', () => {
    const doubled = withExtraColumns(X, (row) => [row[0]]);
    const model = new LinearRegression({ degree: 1, l2: 0 }).fit(doubled, y, { featureNames: [...names, 'TV_copy'] });
    expect(model.coefficients[3]).toBe(0);
    expectRelativelyClose(model.coefficients.slice(0, 3), plain.coefficients, 1e-9);
    expect(model.warnings).toEqual([
      'The features TV and TV_copy are perfectly correlated; TV_copy was left out (coefficient 0). Remove one of them.',
    ]);
  });

  it('detects constant columns and exact combinations', () => {
    const extended = withExtraColumns(X, (row) => [7, row[0] + 2 * row[1]]);
    const model = new LinearRegression({ degree: 1, l2: 0 }).fit(extended, y, { featureNames: [...names, 'Seven', 'Mix'] });
    expect(model.coefficients.slice(3)).toEqual([0, 0]);
    expect(model.warnings).toEqual([
      'The feature Seven has the same value in every row, so it was left out (coefficient 0).',
      'The feature Mix is an exact combination of TV, Radio, so it was left out (coefficient 0).',
    ]);
    expectRelativelyClose(model.predict(extended), Array.from(plain.predict(X)), 1e-9);
  });

  it('drops x² of a 0/1 column at degree 2 instead of failing', () => {
    const withFlag = withExtraColumns(X, (row) => [row[0] > 150 ? 1 : 0]);
    const model = new LinearRegression({ degree: 2, l2: 0 }).fit(withFlag, y, { featureNames: [...names, 'BigTV'] });
    const squareIndex = model.expandedNames.indexOf('BigTV^2');
    expect(model.coefficients[squareIndex]).toBe(0);
    expect(model.coefficients.every(Number.isFinite)).toBe(true);
    expect(model.warnings.some((w) => w.includes('BigTV^2'))).toBe(true);
  });

  it('shares weight between duplicates under ridge, without warnings', () => {
    const doubled = withExtraColumns(X, (row) => [row[1]]);
    const model = new LinearRegression({ degree: 1, l2: 1 }).fit(doubled, y, { featureNames: [...names, 'Radio_copy'] });
    expect(model.coefficients[1]).toBeCloseTo(model.coefficients[3], 10);
    expect(model.warnings).toEqual([]);
  });

  it('handles fewer rows than features', () => {
    const few: Matrix = { data: X.data.slice(0, 2 * 3), rows: 2, cols: 3 };
    const model = new LinearRegression({ degree: 1, l2: 0 }).fit(few, y.slice(0, 2), { featureNames: names });
    expect(model.coefficients.every(Number.isFinite)).toBe(true);
    expectRelativelyClose(model.predict(few), Array.from(y.slice(0, 2)), 1e-9);
  });
});

describe('input checks', () => {
  const { X, y } = loadAdvertising();

  it('rejects bad parameters and data with plain messages', () => {
    expect(() => new LinearRegression({ degree: 6, l2: 0 })).toThrow(/degree must be a whole number from 1 to 5/);
    expect(() => new LinearRegression({ degree: 1, l2: -1 })).toThrow(/zero or positive/);
    const broken = { ...X, data: Float64Array.from(X.data) };
    broken.data[3 * 4 + 1] = Number.NaN;
    expect(() => new LinearRegression({ degree: 1, l2: 0 }).fit(broken, y, { featureNames: names })).toThrow(
      'Feature "Radio" has a missing or infinite value at row 5.',
    );
    expect(() => new LinearRegression({ degree: 1, l2: 0 }).predict(X)).toThrow(/not been trained/);
  });
});

describe('polynomial features', () => {
  it('uses scikit-learn column order', () => {
    const row: Matrix = { data: Float64Array.from([230.1, 37.8, 69.2]), rows: 1, cols: 3 };
    expectRelativelyClose(polynomialFeatures(row, 3).data, [
      230.1, 37.8, 69.2, 52946.009999999995, 8697.779999999999, 15922.92, 1428.8399999999997, 2615.7599999999998,
      4788.64, 12182876.900999999, 2001359.1779999996, 3663863.892, 328776.0839999999, 601886.3759999999, 1101866.064,
      54010.15199999999, 98875.72799999999, 181010.592, 331373.88800000004,
    ], 1e-14);
  });

  it('names products and powers readably', () => {
    expect(polynomialFeatureNames(['TV', 'Radio'], 3)).toEqual([
      'TV', 'Radio', 'TV^2', 'TV × Radio', 'Radio^2', 'TV^3', 'TV^2 × Radio', 'TV × Radio^2', 'Radio^3',
    ]);
    expect(polynomialFeatureNames(['a', 'b', 'c'], 5)).toHaveLength(55);
  });
});
