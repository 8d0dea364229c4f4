import { describe, expect, it } from 'vitest';
import reference from '../fixtures/explain-reference.json';
import type { Matrix } from '../frame';
import { rocAuc } from '../evaluation/metrics';
import { LogisticRegression } from '../linear/logistic-regression';
import { seededRandom } from '../split';
import { DecisionTree, type TreeNodeJSON } from '../tree/decision-tree';
import { columnGroups, type ColumnGroup } from './column-groups';
import { linearContributions, sampledShapley, treeContributions, treePath } from './contributions';
import { explainRows, explanationBackground } from './explainer';
import { occlusionMap } from './occlusion';
import { permutationImportance } from './permutation-importance';
import { describeColumnValue, topReasons } from './reasons';

const matrix = (rows: number[][]): Matrix => ({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });
const ownGroups = (names: string[]): ColumnGroup[] => names.map((column, j) => ({ column, features: [j] }));

const { permutation } = reference;
const X = matrix(permutation.X);
const y = Int32Array.from(permutation.y);
const features = permutation.features;
const groups = ownGroups(features);
const orders = groups.map(() => permutation.orders);

const logistic = LogisticRegression.fromJSON({
  kind: 'logisticRegression',
  params: { l2: 1, classWeight: 'none', maxIter: 100 },
  featureNames: features,
  nClasses: 2,
  coefficients: permutation.logistic.coefficients,
  intercepts: permutation.logistic.intercepts,
  iterations: 1,
  converged: true,
});
const tree = DecisionTree.fromJSON({
  kind: 'decisionTree',
  params: { task: 'classification', criterion: 'gini', maxDepth: 4, minSamplesLeaf: 1, minSamplesSplit: 2, classWeight: 'none', randomState: 0 },
  featureNames: features,
  nClasses: 2,
  nodes: permutation.tree.nodes as TreeNodeJSON[],
  featureImportances: features.map(() => 0),
});

const accuracy = (model: { predict(X: Matrix): ArrayLike<number> }) => (data: Matrix) => {
  const predicted = model.predict(data);
  let right = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) right++;
  return right / y.length;
};
const auc = (data: Matrix) => {
  const proba = logistic.predictProba(data);
  return rocAuc(y, Float64Array.from({ length: data.rows }, (_, i) => proba[i * 2 + 1]));
};

describe('permutation importance against sklearn.inspection.permutation_importance', () => {
  const cases = [
    ['logistic regression, ROC AUC', auc, permutation.importance.logisticRocAuc],
    ['logistic regression, accuracy', accuracy(logistic), permutation.importance.logisticAccuracy],
    ['decision tree, accuracy', accuracy(tree), permutation.importance.treeAccuracy],
  ] as const;
  it.each(cases)('%s: same baseline, drops, mean and std with the same row orders', (_, score, expected) => {
    const result = permutationImportance(X, groups, score, { repeats: permutation.repeats, seed: 0, permutations: orders });
    expect(result.baseline).toBeCloseTo(expected.baseline, 12);
    result.importances.forEach((importance, j) => {
      importance.drops.forEach((drop, r) => expect(drop).toBeCloseTo(expected.drops[j][r], 10));
      expect(importance.mean).toBeCloseTo(expected.mean[j], 10);
      expect(importance.std).toBeCloseTo(expected.std[j], 10);
    });
  });

  it('draws its own orders from the seed: the same seed gives the same figures, the model\'s strongest column stays on top', () => {
    const first = permutationImportance(X, groups, auc, { repeats: 5, seed: 3 });
    const again = permutationImportance(X, groups, auc, { repeats: 5, seed: 3 });
    expect(again).toEqual(first);
    const other = permutationImportance(X, groups, auc, { repeats: 5, seed: 4 });
    expect(other.importances.map((i) => i.mean)).not.toEqual(first.importances.map((i) => i.mean));
    const strongest = (means: number[]) => means.indexOf(Math.max(...means));
    expect(strongest(first.importances.map((i) => i.mean))).toBe(strongest(permutation.importance.logisticRocAuc.mean));
  });

  it('shuffles a group of columns with one order, as the original column, and leaves X as it was', () => {
    // Row i holds i, 100 + i, 200 + i: after the shuffle both grouped columns must still come from one row.
    const small = matrix(Array.from({ length: 30 }, (_, i) => [i, 100 + i, 200 + i]));
    const copy = Float64Array.from(small.data);
    let seen: Float64Array | null = null;
    permutationImportance(small, [{ column: 'first two', features: [0, 1] }], (data) => {
      if (data !== small) seen = Float64Array.from(data.data);
      return 0;
    }, { repeats: 1, seed: 1 });
    expect(small.data).toEqual(copy);
    const shuffled = seen as unknown as Float64Array;
    let moved = 0;
    for (let i = 0; i < small.rows; i++) {
      expect(shuffled[i * 3 + 1]).toBe(100 + shuffled[i * 3]);
      expect(shuffled[i * 3 + 2]).toBe(200 + i);
      if (shuffled[i * 3] !== i) moved++;
    }
    expect(moved).toBeGreaterThan(10);
  });

  it('refuses a repeat count below one', () => {
    expect(() => permutationImportance(X, groups, auc, { repeats: 0, seed: 1 })).toThrow(/at least 1/);
  });
});

describe('linear contributions', () => {
  it('match coef × (x − training mean) from scikit-learn\'s linear regression and add up to its predictions', () => {
    const { linear } = reference;
    const names = linear.features;
    linear.rows.forEach((row, i) => {
      const result = linearContributions(linear.coefficients, linear.intercept, linear.means, row, ownGroups(names));
      result.contributions.forEach((value, j) => expect(value).toBeCloseTo(linear.contributions[i][j], 9));
      expect(result.base).toBeCloseTo(linear.base, 9);
      expect(result.prediction).toBeCloseTo(linear.predictions[i], 9);
    });
  });

  it('match scikit-learn\'s logistic regression on the log-odds and add up to its decision function', () => {
    const ref = reference.logistic;
    ref.rows.forEach((row, i) => {
      const result = linearContributions(permutation.logistic.coefficients[0], permutation.logistic.intercepts[0], ref.means, row, groups);
      result.contributions.forEach((value, j) => expect(value).toBeCloseTo(ref.contributions[i][j], 9));
      expect(result.prediction).toBeCloseTo(ref.decisionFunction[i], 9);
    });
  });

  it('sum the one-hot columns of a text column into that column', () => {
    const preprocessing = {
      steps: [{ spec: { kind: 'oneHot' as const, columns: [], dropFirst: false }, state: { encodings: [{ column: 'job', categories: ['admin', 'retired'], dropFirst: false }] } }],
    };
    const oneHotGroups = columnGroups(preprocessing, ['age', 'job=admin', 'job=retired']);
    expect(oneHotGroups).toEqual([{ column: 'age', features: [0] }, { column: 'job', features: [1, 2] }]);
    const result = linearContributions([2, 1, -3], 0.5, [40, 0.5, 0.5], [50, 0, 1], oneHotGroups);
    expect(result.contributions).toEqual([20, 1 * -0.5 + -3 * 0.5]);
  });
});

describe('tree path contributions (Saabas)', () => {
  // Hand-made tree: root 10 rows (4 yes); age ≤ 40 → 6 rows (1 yes), else 4 rows (3 yes);
  // the older side splits on balance ≤ 100 → 1 row (0 yes) | 3 rows (3 yes).
  const nodes: TreeNodeJSON[] = [
    { id: 0, depth: 0, samples: 10, value: [6, 4], impurity: 0.48, feature: 0, featureName: 'age', threshold: 40, left: 1, right: 2 },
    { id: 1, depth: 1, samples: 6, value: [5, 1], impurity: 0.28 },
    { id: 2, depth: 1, samples: 4, value: [1, 3], impurity: 0.375, feature: 1, featureName: 'balance', threshold: 100, left: 3, right: 4 },
    { id: 3, depth: 2, samples: 1, value: [1, 0], impurity: 0 },
    { id: 4, depth: 2, samples: 3, value: [0, 3], impurity: 0 },
  ];
  it('credits each split with its change of the chance, by hand', () => {
    const row = [67, 500];
    const path = treePath(nodes, row, 1, 'classification');
    expect(path.steps.map((s) => [s.featureName, s.atMost, s.before, s.after])).toEqual([
      ['age', false, 0.4, 0.75],
      ['balance', false, 0.75, 1],
    ]);
    const result = treeContributions(nodes, row, 1, 'classification', ownGroups(['age', 'balance']), 2);
    expect(result.base).toBeCloseTo(0.4, 12);
    expect(result.contributions[0]).toBeCloseTo(0.35, 12);
    expect(result.contributions[1]).toBeCloseTo(0.25, 12);
    expect(result.prediction).toBe(1);
  });

  it('adds up to the tree\'s own probability on every breast-cancer test row', () => {
    const proba = tree.predictProba(X);
    for (let i = 0; i < X.rows; i++) {
      const result = treeContributions(permutation.tree.nodes as TreeNodeJSON[], X.data.subarray(i * X.cols, (i + 1) * X.cols), 1, 'classification', groups, X.cols);
      expect(result.base + result.contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(proba[i * 2 + 1], 12);
    }
  });
});

describe('sampled Shapley estimate', () => {
  const { linear } = reference;
  const names = linear.features;
  const background = matrix(Array.from({ length: 40 }, (_, i) => linear.rows[i % linear.rows.length].map((v, j) => v * (1 + 0.1 * ((i * 7 + j) % 5)))));
  const predict = (data: Matrix) => {
    const out = new Float64Array(data.rows);
    for (let i = 0; i < data.rows; i++) {
      let sum = linear.intercept;
      for (let j = 0; j < data.cols; j++) sum += linear.coefficients[j] * data.data[i * data.cols + j];
      out[i] = sum;
    }
    return out;
  };

  it('adds up exactly to prediction − base', () => {
    const row = linear.rows[3];
    const result = sampledShapley(predict, row, background, ownGroups(names), { samples: 16, random: seededRandom(1) });
    expect(result.prediction).toBeCloseTo(predict(matrix([row]))[0], 9);
    expect(result.base + result.contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(result.prediction, 9);
  });

  it('comes close to the exact linear contributions against the background mean', () => {
    const means = Array.from({ length: background.cols }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < background.rows; i++) sum += background.data[i * background.cols + j];
      return sum / background.rows;
    });
    const row = linear.rows[5];
    const exact = linearContributions(linear.coefficients, linear.intercept, means, row, ownGroups(names));
    const estimate = sampledShapley(predict, row, background, ownGroups(names), { samples: 400, random: seededRandom(2) });
    const scale = Math.max(...exact.contributions.map(Math.abs));
    estimate.contributions.forEach((value, j) => expect(Math.abs(value - exact.contributions[j])).toBeLessThan(0.1 * scale));
  });

  it('is the same for the same seed', () => {
    const run = () => sampledShapley(predict, linear.rows[1], background, ownGroups(names), { samples: 8, random: seededRandom(9) });
    expect(run()).toEqual(run());
  });
});

describe('explainRows and reasons', () => {
  it('explains a logistic regression exactly on the log-odds and words the top three', () => {
    const rows = matrix(reference.logistic.rows);
    const { method, rows: explained } = explainRows(logistic, rows, groups, { means: reference.logistic.means, rows: [] }, { task: 'classification', classOfRow: () => 1, samples: 8, seed: 1 });
    expect(method).toBe('logistic');
    explained[0].contributions.forEach((value, j) => expect(value).toBeCloseTo(reference.logistic.contributions[0][j], 9));
    const reasons = topReasons(explained[0], (g) => describeColumnValue(features[g], reference.logistic.rows[0][g]), { kind: 'class', label: 'benign' });
    expect(reasons).toHaveLength(3);
    const strongest = explained[0].contributions.map(Math.abs).indexOf(Math.max(...explained[0].contributions.map(Math.abs)));
    expect(reasons[0]).toContain(features[strongest]);
    expect(reasons[0]).toMatch(/(raises|lowers) the chance of “benign”$/);
  });

  it('explains class 0 of a binary logistic regression with the opposite signs', () => {
    const rows = matrix(reference.logistic.rows.slice(0, 1));
    const background = { means: reference.logistic.means, rows: [] };
    const one = explainRows(logistic, rows, groups, background, { task: 'classification', classOfRow: () => 1, samples: 8, seed: 1 }).rows[0];
    const zero = explainRows(logistic, rows, groups, background, { task: 'classification', classOfRow: () => 0, samples: 8, seed: 1 }).rows[0];
    zero.contributions.forEach((value, j) => expect(value).toBeCloseTo(-one.contributions[j], 12));
  });

  it('words values as the user knows them', () => {
    expect(describeColumnValue('age', 67)).toBe('age 67');
    expect(describeColumnValue('job', 'retired')).toBe('job = retired');
    expect(describeColumnValue('balance', 1250.4)).toBe('balance 1,250');
    expect(describeColumnValue('rate', 0.354)).toBe('rate 0.35');
    expect(describeColumnValue('age', null)).toBe('age empty');
    const reasons = topReasons({ base: 10, prediction: 6.9, contributions: [-3.1, 0] }, () => 'balance 120', { kind: 'value', target: 'spend' });
    expect(reasons).toEqual(['balance 120 lowers the forecast by 3.1']);
  });
});

describe('occlusion map', () => {
  it('finds the part of the photo the answer depends on', async () => {
    // An 12×12 grey photo with a bright square in the lower right; the "model" answers with the brightness there.
    const data = new Float32Array(144).fill(0.5);
    for (let y = 8; y < 12; y++) for (let x = 8; x < 12; x++) data[y * 12 + x] = 1;
    const photo = { count: 1, height: 12, width: 12, channels: 1 as const, data };
    const probabilities = (batch: { count: number; data: Float32Array }) => {
      const out = new Float64Array(batch.count * 2);
      for (let i = 0; i < batch.count; i++) {
        let bright = 0;
        for (let y = 8; y < 12; y++) for (let x = 8; x < 12; x++) bright += batch.data[i * 144 + y * 12 + x] - 0.5;
        out[i * 2 + 1] = bright / 8;
        out[i * 2] = 1 - out[i * 2 + 1];
      }
      return out;
    };
    const { base, drops } = await occlusionMap(photo, probabilities, { grid: 3, grey: 0.5, label: 1 });
    expect(base).toBe(1);
    expect(drops).toHaveLength(9);
    expect(drops.indexOf(Math.max(...drops))).toBe(8);
    expect(drops[0]).toBe(0);
  });
});

describe('explanation background', () => {
  it('gives the same means and sampled rows from a table\'s columns as from the row-major matrix', () => {
    const random = seededRandom(5);
    const rows = 101;
    const columns = Array.from({ length: 4 }, () => Float64Array.from({ length: rows }, () => random() * 1e3 - 500));
    const data = Float64Array.from({ length: rows * 4 }, (_, k) => columns[k % 4][Math.floor(k / 4)]);
    const fromRows = explanationBackground({ data, rows, cols: 4 }, 7);
    const fromColumns = explanationBackground({
      rows,
      cols: 4,
      columns,
      get data(): Float64Array {
        throw new Error('the row-major copy was read');
      },
    }, 7);
    expect(fromColumns).toEqual(fromRows);
    expect(fromColumns.rows).toHaveLength(7);
  });
});
