import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecisionTree, type DecisionTreeParams, type TreeNodeJSON } from './decision-tree';
import type { Matrix } from '../frame';
import { classificationMetrics, regressionMetrics } from '../evaluation/metrics';

// Reference values: scripts/sklearn-tree-reference.py (scikit-learn 1.2.1). The hand-made
// literals are printed by it; the datasets and fitted trees are in fixtures/decision-tree-reference.json.

interface ReferenceNode {
  path: string;
  samples: number;
  value: number[];
  impurity: number;
  /** Every [feature, threshold] scikit-learn chose here over its random states; empty for a leaf. */
  splits: [number, number][];
}

interface ReferenceTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  samples: number[];
  impurity: number[];
  value: number[][];
}

interface ReferenceCase {
  name: string;
  dataset: string;
  params: DecisionTreeParams;
  /** Whether every random state grew the same tree. */
  tieFree: boolean;
  /** Nodes every random state grows from the same rows, and what they agree on. */
  nodes: ReferenceNode[];
  depths: number[];
  leafCounts: number[];
  importances: (number | null)[];
  testPredictions: (number | null)[];
  testScores: number[];
  /** scikit-learn's tree with random_state = params.randomState. */
  sameSeed: { tree: ReferenceTree; importances: number[]; testPredictions: number[]; testScore: number };
}

interface ReferenceDataset {
  featureNames: string[];
  /** Absent when the features are those of dataset `xFrom`. */
  X?: number[][];
  xFrom?: string;
  y: number[];
  train: number[];
  test: number[];
}

const reference = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'decision-tree-reference.json'), 'utf8')) as {
  datasets: Record<string, ReferenceDataset>;
  cases: ReferenceCase[];
};

function matrix(rows: number[][]): Matrix {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

/** The matrix's columns, with a row-major copy that must never be read. */
function columnsOnly(X: Matrix): Matrix {
  const columns = Array.from({ length: X.cols }, (_, j) => Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]));
  return {
    rows: X.rows,
    cols: X.cols,
    columns,
    get data(): Float64Array {
      throw new Error('the row-major copy was read');
    },
  };
}

function split(dataset: ReferenceDataset, task: DecisionTreeParams['task']) {
  const features = dataset.X ?? reference.datasets[dataset.xFrom!].X!;
  const part = (indices: number[]) => ({
    X: matrix(indices.map((i) => features[i])),
    y: task === 'classification' ? Int32Array.from(indices, (i) => dataset.y[i]) : Float64Array.from(indices, (i) => dataset.y[i]),
  });
  return { train: part(dataset.train), test: part(dataset.test) };
}

function fitCase(c: ReferenceCase) {
  const dataset = reference.datasets[c.dataset];
  const { train, test } = split(dataset, c.params.task);
  const tree = new DecisionTree(c.params).fit(train.X, train.y, { featureNames: dataset.featureNames });
  return { tree, dataset, train, test };
}

function score(task: DecisionTreeParams['task'], truth: Int32Array | Float64Array, predicted: Int32Array | Float64Array): number {
  if (task === 'regression') return regressionMetrics(truth as Float64Array, predicted as Float64Array).r2;
  const classes = Array.from({ length: Math.max(...truth, ...predicted) + 1 }, (_, k) => String(k));
  return classificationMetrics(truth as Int32Array, predicted as Int32Array, null, classes).accuracy;
}

function nodesByPath(nodes: TreeNodeJSON[]): Map<string, TreeNodeJSON> {
  const byPath = new Map<string, TreeNodeJSON>();
  const stack: [number, string][] = [[0, '']];
  while (stack.length > 0) {
    const [id, path] = stack.pop()!;
    const node = nodes[id];
    byPath.set(path, node);
    if (node.left !== undefined) stack.push([node.left, `${path}L`], [node.right!, `${path}R`]);
  }
  return byPath;
}

function expectClose(actual: number, expected: number, relative = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

function expectNodeMatches(ours: TreeNodeJSON, expected: ReferenceNode): void {
  expect(ours.samples).toBe(expected.samples);
  expect(ours.value.length).toBe(expected.value.length);
  ours.value.forEach((v, k) => expectClose(v, expected.value[k]));
  expectClose(ours.impurity, expected.impurity);
  if (expected.splits.length === 0) {
    expect(ours.feature).toBeUndefined();
  } else {
    expect(expected.splits).toContainEqual([ours.feature, ours.threshold]);
  }
}

describe('DecisionTree on a hand-made table', () => {
  const X = matrix([
    [1.0, 7.5], [2.5, 3.0], [3.0, 8.25], [4.5, 1.0], [5.0, 6.0], [6.5, 2.0],
    [7.0, 9.0], [8.5, 4.0], [9.0, 5.5], [10.5, 0.5], [11.0, 6.5], [12.5, 3.5],
  ]);
  const y = Int32Array.from([0, 0, 0, 1, 2, 1, 2, 1, 2, 1, 2, 1]);
  const tree = new DecisionTree({ task: 'classification', maxDepth: 3 }).fit(X, y, { featureNames: ['width', 'height'] });

  it('grows the same tree as scikit-learn', () => {
    const expected: ReferenceTree = {
      feature: [1, 0, -2, -2, 0, -2, -2],
      threshold: [4.75, 3.5, -2.0, -2.0, 4.0, -2.0, -2.0],
      left: [1, 2, -1, -1, 5, -1, -1],
      right: [4, 3, -1, -1, 6, -1, -1],
      samples: [12, 6, 1, 5, 6, 2, 4],
      impurity: [0.6527777777777778, 0.2777777777777778, 0.0, 0.0, 0.4444444444444444, 0.0, 0.0],
      value: [[3, 5, 4], [1, 5, 0], [1, 0, 0], [0, 5, 0], [2, 0, 4], [2, 0, 0], [0, 0, 4]],
    };
    expectSameTree(tree.nodes, expected);
    expect(tree.depth).toBe(2);
    expect(tree.leafCount).toBe(4);
    expect(tree.nodes[0]).toMatchObject({ featureName: 'height', depth: 0 });
  });

  it('predicts and weighs features like scikit-learn', () => {
    const probe = matrix([[0, 0], [4.6, 5], [6, 8], [12, 6], [8, 4.1]]);
    expect(Array.from(tree.predict(probe))).toEqual([0, 2, 2, 2, 1]);
    const importances = tree.featureImportances;
    expectClose(importances[0], 0.5531914893617021, 1e-12);
    expectClose(importances[1], 0.4468085106382979, 1e-12);
  });

  it('states each split as a rule', () => {
    expect(tree.ruleFor(0)).toBe('height ≤ 4.75');
    expect(tree.ruleFor(4)).toBe('width ≤ 4');
    expect(tree.ruleFor(2)).toBeNull();
  });

  it('writes thresholds without float32 rounding noise', () => {
    const rule = (low: number, high: number) =>
      new DecisionTree({ task: 'classification' }).fit(matrix([[low], [high]]), Int32Array.from([0, 1]), { featureNames: ['x'] }).ruleFor(0);
    expect(rule(0.1184, 0.1185)).toBe('x ≤ 0.11845');
    expect(rule(1234567.5, 1234568)).toBe('x ≤ 1234567.75');
    expect(rule(-3.25, -1)).toBe('x ≤ -2.125');
  });
});

function expectSameTree(nodes: TreeNodeJSON[], expected: ReferenceTree): void {
  expect(nodes.length).toBe(expected.feature.length);
  nodes.forEach((node, id) => {
    expect(node.id).toBe(id);
    expect(node.samples).toBe(expected.samples[id]);
    node.value.forEach((v, k) => expectClose(v, expected.value[id][k]));
    expectClose(node.impurity, expected.impurity[id]);
    if (expected.left[id] < 0) {
      expect(node.left).toBeUndefined();
    } else {
      expect([node.feature, node.threshold, node.left, node.right]).toEqual([
        expected.feature[id], expected.threshold[id], expected.left[id], expected.right[id],
      ]);
    }
  });
}

describe.each(reference.cases)('DecisionTree against scikit-learn: $name', (c) => {
  const { tree, train, test } = fitCase(c);
  const predictions = tree.predict(test.X);

  it('grows every node scikit-learn grows regardless of tie-breaking, with the same split', () => {
    const ours = nodesByPath(tree.nodes);
    for (const expected of c.nodes) {
      const node = ours.get(expected.path);
      expect(node, `node at path "${expected.path}"`).toBeDefined();
      expectNodeMatches(node!, expected);
    }
    expect(c.depths).toContain(tree.depth);
    expect(c.leafCounts).toContain(tree.leafCount);
  });

  it('agrees on feature importances and test predictions wherever scikit-learn does', () => {
    const importances = tree.featureImportances;
    c.importances.forEach((expected, j) => {
      if (expected !== null) expectClose(importances[j], expected);
    });
    c.testPredictions.forEach((expected, i) => {
      if (expected !== null) expectClose(predictions[i], expected);
    });
    const ours = score(c.params.task, test.y, predictions);
    expect(c.testScores.some((expected) => Math.abs(expected - ours) <= 1e-9)).toBe(true);
  });

  // Ties are settled by the order in which features are tried, which follows scikit-learn's
  // random_state. With unweighted class counts every score is exact, so this always holds; with
  // fractional weights or numeric targets a tie could in principle also go either way on
  // rounding, which none of these cases runs into.
  it('grows the same tree as scikit-learn with the same random_state', () => {
    expectSameTree(tree.nodes, c.sameSeed.tree);
    tree.featureImportances.forEach((value, j) => expectClose(value, c.sameSeed.importances[j]));
    predictions.forEach((value, i) => expectClose(value, c.sameSeed.testPredictions[i]));
    expectClose(score(c.params.task, test.y, predictions), c.sameSeed.testScore);
  });

  it('keeps at least minSamplesLeaf training rows in every leaf', () => {
    const leaves = tree.nodes.filter((node) => node.left === undefined);
    expect(Math.min(...leaves.map((leaf) => leaf.samples))).toBeGreaterThanOrEqual(c.params.minSamplesLeaf);
    expect(leaves.reduce((sum, leaf) => sum + leaf.samples, 0)).toBe(train.X.rows);
  });
});

describe('DecisionTree behaviour', () => {
  const cancer = reference.datasets.breastCancer;
  const { train, test } = split(cancer, 'classification');
  const names = cancer.featureNames;

  it('fits an unlimited tree to every training row', () => {
    const tree = new DecisionTree({ task: 'classification' }).fit(train.X, train.y, { featureNames: names });
    expect(Array.from(tree.predict(train.X))).toEqual(Array.from(train.y));
    expect(tree.nodes.filter((n) => n.left === undefined).every((leaf) => leaf.impurity === 0)).toBe(true);
  });

  it('gives probabilities that sum to 1 and agree with the predicted class', () => {
    const tree = new DecisionTree({ task: 'classification', maxDepth: 4, classWeight: 'balanced' }).fit(train.X, train.y, { featureNames: names });
    const proba = tree.predictProba(test.X);
    const predicted = tree.predict(test.X);
    for (let i = 0; i < test.X.rows; i++) {
      expectClose(proba[2 * i] + proba[2 * i + 1], 1, 1e-12);
      expect(predicted[i]).toBe(proba[2 * i + 1] > proba[2 * i] ? 1 : 0);
    }
  });

  it('round-trips through JSON and predicts the same', () => {
    const tree = new DecisionTree({ task: 'classification', criterion: 'entropy', maxDepth: 5 }).fit(train.X, train.y, { featureNames: names });
    const restored = DecisionTree.fromJSON(JSON.parse(JSON.stringify(tree.toJSON())));
    expect(Array.from(restored.predict(test.X))).toEqual(Array.from(tree.predict(test.X)));
    expect(Array.from(restored.predictProba(test.X))).toEqual(Array.from(tree.predictProba(test.X)));
    expect(restored.nodes).toEqual(tree.nodes);
    expect(restored.featureImportances).toEqual(tree.featureImportances);
    expect(restored.params).toEqual(tree.params);
  });

  it('round-trips a regression tree', () => {
    const diabetes = reference.datasets.diabetes;
    const parts = split(diabetes, 'regression');
    const tree = new DecisionTree({ task: 'regression', maxDepth: 6 }).fit(parts.train.X, parts.train.y, { featureNames: diabetes.featureNames });
    const restored = DecisionTree.fromJSON(JSON.parse(JSON.stringify(tree.toJSON())));
    expect(Array.from(restored.predict(parts.test.X))).toEqual(Array.from(tree.predict(parts.test.X)));
    expect(() => tree.predictProba(parts.test.X)).toThrow(/only available for classification/);
  });

  it('reports every class of the target, including ones absent from the training rows', () => {
    const X = matrix([[1], [2], [3], [4]]);
    const tree = new DecisionTree({ task: 'classification', classWeight: 'balanced' }).fit(X, Int32Array.from([0, 0, 2, 2]), { featureNames: ['x'], classCount: 4 });
    expect(tree.nodes[0].value).toEqual([2, 0, 2, 0]);
    expect(Array.from(tree.predictProba(matrix([[3.5]])))).toEqual([0, 0, 1, 0]);
  });

  it('refuses data it cannot learn from, in plain language', () => {
    const tree = () => new DecisionTree({ task: 'classification' });
    expect(() => tree().fit(matrix([[1]]), Int32Array.from([0]), { featureNames: ['x'] })).toThrow(/at least 2 rows/);
    expect(() => tree().fit(matrix([[1], [2]]), Int32Array.from([1, 1]), { featureNames: ['x'] })).toThrow(
      'The column to predict has only one class; there is nothing to learn.',
    );
    expect(() => tree().fit(matrix([[1, 2], [Number.NaN, 3]]), Int32Array.from([0, 1]), { featureNames: ['age', 'balance'] })).toThrow(
      /Feature "age" has a missing or infinite value at row 2/,
    );
    expect(() => tree().fit(matrix([[1, 2], [1, 1e39]]), Int32Array.from([0, 1]), { featureNames: ['age', 'balance'] })).toThrow(/"balance"/);
    expect(() => new DecisionTree({ task: 'regression' }).fit(matrix([[1], [2]]), Float64Array.from([1, Infinity]), { featureNames: ['x'] })).toThrow(
      /column to predict has a missing or infinite value at row 2/,
    );
  });

  it('trains on a table\'s columns without their row-major copy, to the very same tree', () => {
    for (const c of reference.cases) {
      const { tree, dataset, train } = fitCase(c);
      const fromColumns = new DecisionTree(c.params).fit(columnsOnly(train.X), train.y, { featureNames: dataset.featureNames });
      expect(fromColumns.toJSON()).toEqual(tree.toJSON());
    }
  });

  it('names the first bad value in row order from columns too', () => {
    const tree = () => new DecisionTree({ task: 'classification' });
    const fit = (rows: number[][]) => () => tree().fit(columnsOnly(matrix(rows)), Int32Array.from(rows, (_, i) => i % 2), { featureNames: ['age', 'balance'] });
    expect(fit([[1, 2], [Number.NaN, 3]])).toThrow(/Feature "age" has a missing or infinite value at row 2/);
    expect(fit([[1, 2], [1, 1e39]])).toThrow('Feature "balance" has a value too large for a decision tree (1e+39) at row 2');
    // A later column wrong in an earlier row comes first, as it does reading row by row.
    expect(fit([[1, 2], [1, Infinity], [Number.NaN, 3]])).toThrow(/Feature "balance" has a missing or infinite value at row 2/);
    expect(() => tree().fit(matrix([[1, 2], [1, Infinity], [Number.NaN, 3]]), Int32Array.from([0, 1, 0]), { featureNames: ['age', 'balance'] })).toThrow(
      /Feature "balance" has a missing or infinite value at row 2/,
    );
  });

  it('rejects settings that do not fit the task', () => {
    expect(() => new DecisionTree({ task: 'regression', criterion: 'gini' })).toThrow(/squared_error/);
    expect(() => new DecisionTree({ task: 'classification', criterion: 'squared_error' })).toThrow(/gini or entropy/);
    expect(() => new DecisionTree({ task: 'regression', classWeight: 'balanced' })).toThrow(/only apply to classification/);
    expect(() => new DecisionTree({ task: 'classification', maxDepth: 0 })).toThrow(/Maximum depth/);
    expect(() => new DecisionTree({ task: 'classification', minSamplesLeaf: 0 })).toThrow(/Minimum rows per leaf/);
    expect(() => new DecisionTree({ task: 'classification', minSamplesSplit: 1 })).toThrow(/Minimum rows to split/);
    expect(() => new DecisionTree({ task: 'classification' }).predict(matrix([[1]]))).toThrow(/not been trained/);
  });

  it('leaves a constant regression target as a single leaf', () => {
    const tree = new DecisionTree({ task: 'regression' }).fit(matrix([[1], [2], [3]]), Float64Array.from([5, 5, 5]), { featureNames: ['x'] });
    expect(tree.nodes).toEqual([{ id: 0, depth: 0, samples: 3, value: [5], impurity: 0 }]);
    expect(tree.featureImportances).toEqual([0]);
  });
});
