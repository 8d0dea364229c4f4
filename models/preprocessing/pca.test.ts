import { describe, expect, it } from 'vitest';
import type { Matrix } from '../frame';
import { PCA, symmetricEigen } from './pca';
import { seededRandom } from '../split';

// Reference numbers: scripts/sklearn-features-reference.py (scikit-learn 1.2 PCA on its iris copy).
const IRIS = `
5.1,3.5,1.4,0.2 4.9,3,1.4,0.2 4.7,3.2,1.3,0.2 4.6,3.1,1.5,0.2 5,3.6,1.4,0.2 5.4,3.9,1.7,0.4 4.6,3.4,1.4,0.3
5,3.4,1.5,0.2 4.4,2.9,1.4,0.2 4.9,3.1,1.5,0.1 5.4,3.7,1.5,0.2 4.8,3.4,1.6,0.2 4.8,3,1.4,0.1 4.3,3,1.1,0.1
5.8,4,1.2,0.2 5.7,4.4,1.5,0.4 5.4,3.9,1.3,0.4 5.1,3.5,1.4,0.3 5.7,3.8,1.7,0.3 5.1,3.8,1.5,0.3 5.4,3.4,1.7,0.2
5.1,3.7,1.5,0.4 4.6,3.6,1,0.2 5.1,3.3,1.7,0.5 4.8,3.4,1.9,0.2 5,3,1.6,0.2 5,3.4,1.6,0.4 5.2,3.5,1.5,0.2
5.2,3.4,1.4,0.2 4.7,3.2,1.6,0.2 4.8,3.1,1.6,0.2 5.4,3.4,1.5,0.4 5.2,4.1,1.5,0.1 5.5,4.2,1.4,0.2 4.9,3.1,1.5,0.2
5,3.2,1.2,0.2 5.5,3.5,1.3,0.2 4.9,3.6,1.4,0.1 4.4,3,1.3,0.2 5.1,3.4,1.5,0.2 5,3.5,1.3,0.3 4.5,2.3,1.3,0.3
4.4,3.2,1.3,0.2 5,3.5,1.6,0.6 5.1,3.8,1.9,0.4 4.8,3,1.4,0.3 5.1,3.8,1.6,0.2 4.6,3.2,1.4,0.2 5.3,3.7,1.5,0.2
5,3.3,1.4,0.2 7,3.2,4.7,1.4 6.4,3.2,4.5,1.5 6.9,3.1,4.9,1.5 5.5,2.3,4,1.3 6.5,2.8,4.6,1.5 5.7,2.8,4.5,1.3
6.3,3.3,4.7,1.6 4.9,2.4,3.3,1 6.6,2.9,4.6,1.3 5.2,2.7,3.9,1.4 5,2,3.5,1 5.9,3,4.2,1.5 6,2.2,4,1 6.1,2.9,4.7,1.4
5.6,2.9,3.6,1.3 6.7,3.1,4.4,1.4 5.6,3,4.5,1.5 5.8,2.7,4.1,1 6.2,2.2,4.5,1.5 5.6,2.5,3.9,1.1 5.9,3.2,4.8,1.8
6.1,2.8,4,1.3 6.3,2.5,4.9,1.5 6.1,2.8,4.7,1.2 6.4,2.9,4.3,1.3 6.6,3,4.4,1.4 6.8,2.8,4.8,1.4 6.7,3,5,1.7 6,2.9,4.5,1.5
5.7,2.6,3.5,1 5.5,2.4,3.8,1.1 5.5,2.4,3.7,1 5.8,2.7,3.9,1.2 6,2.7,5.1,1.6 5.4,3,4.5,1.5 6,3.4,4.5,1.6 6.7,3.1,4.7,1.5
6.3,2.3,4.4,1.3 5.6,3,4.1,1.3 5.5,2.5,4,1.3 5.5,2.6,4.4,1.2 6.1,3,4.6,1.4 5.8,2.6,4,1.2 5,2.3,3.3,1 5.6,2.7,4.2,1.3
5.7,3,4.2,1.2 5.7,2.9,4.2,1.3 6.2,2.9,4.3,1.3 5.1,2.5,3,1.1 5.7,2.8,4.1,1.3 6.3,3.3,6,2.5 5.8,2.7,5.1,1.9
7.1,3,5.9,2.1 6.3,2.9,5.6,1.8 6.5,3,5.8,2.2 7.6,3,6.6,2.1 4.9,2.5,4.5,1.7 7.3,2.9,6.3,1.8 6.7,2.5,5.8,1.8
7.2,3.6,6.1,2.5 6.5,3.2,5.1,2 6.4,2.7,5.3,1.9 6.8,3,5.5,2.1 5.7,2.5,5,2 5.8,2.8,5.1,2.4 6.4,3.2,5.3,2.3 6.5,3,5.5,1.8
7.7,3.8,6.7,2.2 7.7,2.6,6.9,2.3 6,2.2,5,1.5 6.9,3.2,5.7,2.3 5.6,2.8,4.9,2 7.7,2.8,6.7,2 6.3,2.7,4.9,1.8
6.7,3.3,5.7,2.1 7.2,3.2,6,1.8 6.2,2.8,4.8,1.8 6.1,3,4.9,1.8 6.4,2.8,5.6,2.1 7.2,3,5.8,1.6 7.4,2.8,6.1,1.9
7.9,3.8,6.4,2 6.4,2.8,5.6,2.2 6.3,2.8,5.1,1.5 6.1,2.6,5.6,1.4 7.7,3,6.1,2.3 6.3,3.4,5.6,2.4 6.4,3.1,5.5,1.8
6,3,4.8,1.8 6.9,3.1,5.4,2.1 6.7,3.1,5.6,2.4 6.9,3.1,5.1,2.3 5.8,2.7,5.1,1.9 6.8,3.2,5.9,2.3 6.7,3.3,5.7,2.5
6.7,3,5.2,2.3 6.3,2.5,5,1.9 6.5,3,5.2,2 6.2,3.4,5.4,2.3 5.9,3,5.1,1.8
`;
const IRIS_FEATURES = ['sepal length', 'sepal width', 'petal length', 'petal width'];

function parseRows(text: string): number[][] {
  return text.trim().split(/\s+/).map((row) => row.split(',').map(Number));
}

function toMatrix(rows: number[][]): Matrix {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

function expectClose(actual: number[], expected: number[], tolerance = 1e-9) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThan(tolerance));
}

const iris = toMatrix(parseRows(IRIS));

describe('PCA', () => {
  it('matches scikit-learn on iris: mean, variances and components with their signs', () => {
    const pca = new PCA({ components: null }).fit(iris, { featureNames: IRIS_FEATURES });
    expectClose(pca.mean, [5.843333333333335, 3.057333333333334, 3.7580000000000027, 1.199333333333334]);
    expectClose(pca.explainedVariance, [4.228241706034864, 0.24267074792863344, 0.07820950004291942, 0.023835092973449434]);
    expectClose(
      pca.explainedVarianceRatio,
      [0.9246187232017271, 0.05306648311706783, 0.017102609807929773, 0.005212183873275374],
    );
    const expected = [
      [0.3613865917853687, -0.08452251406456868, 0.8566706059498351, 0.3582891971515508],
      [0.6565887712868422, 0.7301614347850266, -0.17337266279585684, -0.0754810199174632],
      [-0.5820298513060654, 0.5979108301000856, 0.07623607582096326, 0.5458314320200756],
      [-0.3154871929039753, 0.3197231036661293, 0.4798389869946344, -0.7536574252640454],
    ];
    pca.components.forEach((component, c) => expectClose(component, expected[c]));
  });

  it('keeps the requested number of components and projects rows like scikit-learn', () => {
    const pca = new PCA({ components: 2 }).fit(iris, { featureNames: IRIS_FEATURES });
    expectClose(pca.explainedVarianceRatio, [0.9246187232017271, 0.05306648311706783]);
    expect(pca.componentNames()).toEqual(['PC1', 'PC2']);
    const rows = [0, 50, 100].map((i) => Array.from(iris.data.subarray(i * 4, i * 4 + 4)));
    const scores = pca.transform(toMatrix(rows));
    expect([scores.rows, scores.cols]).toEqual([3, 2]);
    expectClose(Array.from(scores.data), [
      -2.6841256259695374, 0.3193972465850999, 1.284825688858351, 0.685160470467309, 2.5311927278036275,
      -0.009849109498801573,
    ]);
  });

  it('names the features that weigh most on a component, by absolute weight', () => {
    const pca = new PCA({ components: 2 }).fit(iris, { featureNames: IRIS_FEATURES });
    const top = pca.topLoadings(0);
    expect(top.map((t) => t.feature)).toEqual(['petal length', 'sepal length', 'petal width']);
    expect(top[0].weight).toBeCloseTo(0.8566706059498351, 12);
    expect(pca.topLoadings(1, 1)).toEqual([{ feature: 'sepal width', weight: pca.components[1][1] }]);
    expect(() => pca.topLoadings(2)).toThrow(/no component 3/);
  });

  it('survives a JSON round trip', () => {
    const pca = new PCA({ components: 3 }).fit(iris, { featureNames: IRIS_FEATURES });
    const restored = PCA.fromJSON(JSON.parse(JSON.stringify(pca.toJSON())));
    expect(Array.from(restored.transform(iris).data)).toEqual(Array.from(pca.transform(iris).data));
    expect(restored.componentNames()).toEqual(['PC1', 'PC2', 'PC3']);
    expect(restored.explainedVarianceRatio).toEqual(pca.explainedVarianceRatio);
  });

  it('handles redundant and constant columns: their variance is zero, not negative', () => {
    const rows = parseRows(IRIS).map(([a, b]) => [a, b, 2 * a - b, 7]);
    const pca = new PCA({ components: null }).fit(toMatrix(rows), { featureNames: ['a', 'b', 'c', 'constant'] });
    const ratios = pca.explainedVarianceRatio;
    expect(ratios[0] + ratios[1]).toBeCloseTo(1, 12);
    expect(ratios[2]).toBeGreaterThanOrEqual(0);
    expect(ratios[2]).toBeLessThan(1e-12);
    expect(ratios[3]).toBeGreaterThanOrEqual(0);
  });

  it('explains its errors plainly', () => {
    expect(() => new PCA({ components: 5 }).fit(iris, { featureNames: IRIS_FEATURES })).toThrow(
      'Asked for 5 components, but this data allows at most 4 (the smaller of its 150 rows and 4 columns).',
    );
    const tiny = toMatrix([[1, 2, 3], [4, 5, 6]]);
    expect(() => new PCA({ components: 3 }).fit(tiny, { featureNames: ['a', 'b', 'c'] })).toThrow(/at most 2/);
    const withGap = toMatrix([[1, 2], [3, NaN], [5, 6]]);
    expect(() => new PCA({ components: null }).fit(withGap, { featureNames: ['height', 'weight'] })).toThrow(
      'Feature "weight" has a missing or infinite value at row 2.',
    );
    expect(() => new PCA({ components: null }).fit(toMatrix([[1, 2]]), { featureNames: ['a', 'b'] })).toThrow(/at least 2 rows/);
    expect(() => new PCA({ components: 0 })).toThrow(/at least 1/);
    expect(() => new PCA({ components: null }).transform(iris)).toThrow(/not fitted/);
    const fitted = new PCA({ components: 2 }).fit(iris, { featureNames: IRIS_FEATURES });
    expect(() => fitted.transform(tiny)).toThrow('PCA was fitted on 4 columns but got 3.');
  });
});

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix with orthonormal eigenvectors', () => {
    const n = 40;
    const random = seededRandom(11);
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) matrix[i * n + j] = matrix[j * n + i] = random() - 0.5;
    }
    const { values, vectors } = symmetricEigen(matrix, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let product = 0; // (Vᵀ·V)[a][b]
        let residual = 0; // (A·v_b)[a] − λ_b·v_b[a]
        for (let i = 0; i < n; i++) {
          product += vectors[i * n + a] * vectors[i * n + b];
          residual += matrix[a * n + i] * vectors[i * n + b];
        }
        residual -= values[b] * vectors[a * n + b];
        expect(Math.abs(product - (a === b ? 1 : 0))).toBeLessThan(1e-13);
        expect(Math.abs(residual)).toBeLessThan(1e-13);
      }
    }
  });
});
