import { describe, expect, it } from 'vitest';
import type { Matrix } from '../frame';
import { classificationMetrics } from '../evaluation/metrics';
import { SupportVectorClassifier, type SvmJSON, type SvmParams } from './svm';
import {
  agreement,
  expectClose,
  grid,
  matrix,
  names,
  reference,
  stack,
  standardisedSplit,
  toyDataset,
  type Dataset,
  type MachineReference,
} from './svm-test-data';

async function fit(data: Dataset, nClasses: number, params: Partial<SvmParams>) {
  return new SupportVectorClassifier(params).fit(data.X, data.y, { classCount: nClasses, featureNames: names(data.X.cols) });
}

function expectSameMachine(model: SupportVectorClassifier, X: Matrix, expected: MachineReference, tolerance: number) {
  expect(model.supportCounts).toEqual(expected.supportCounts);
  expect(Array.from(model.supportIndices)).toEqual(expected.supportIndices);
  expect(model.gamma).toBeCloseTo(expected.gamma, 12);
  model.dualCoefficients.forEach((row, k) => expectClose(row, expected.dualCoefficients[k], tolerance, 1e-6));
  expectClose(model.intercepts, expected.intercepts, tolerance, 1e-6);
  expectClose(model.decisionFunction(X), expected.decision.flat(), tolerance, 1e-6);
}

describe('SupportVectorClassifier against scikit-learn on 2-D data', () => {
  it('linear kernel: same support vectors, dual coefficients, intercept and decision values', async () => {
    const data = toyDataset(60, 0.2);
    const model = await fit(data, 2, { kernel: 'linear', C: 0.5, probability: false });
    expectSameMachine(model, data.X, reference.toy.linear, 1e-4);
    expect(model.converged).toBe(true);
  });

  it('RBF kernel with gamma = "scale"', async () => {
    const data = toyDataset(60, 0.2);
    const model = await fit(data, 2, { kernel: 'rbf', C: 2, probability: false });
    expectSameMachine(model, data.X, reference.toy.rbf, 1e-4);
  });

  it('balanced class weights change predictions exactly as they do in scikit-learn', async () => {
    const data = toyDataset(80, 1.6);
    expect(Array.from(data.y).filter((label) => label === 1)).toHaveLength(18);
    const points = stack(data.X, grid());
    const plain = (await fit(data, 2, { C: 1, probability: false })).predict(points);
    const balanced = (await fit(data, 2, { C: 1, classWeight: 'balanced', probability: false })).predict(points);
    expect(Array.from(plain)).toEqual(reference.toy.imbalanced.plain);
    expect(Array.from(balanced)).toEqual(reference.toy.imbalanced.balanced);
    expect(agreement(plain, balanced)).toBeLessThan(1);
  });
});

describe('SupportVectorClassifier against scikit-learn on real data', () => {
  const breast = standardisedSplit('svm-breast-cancer.json');
  const wine = standardisedSplit('svm-wine.json');

  for (const kernel of ['rbf', 'linear'] as const) {
    it(`breast cancer, ${kernel} kernel: accuracy, decision values, support vectors and AUC`, async () => {
      const expected = reference.breastCancer[kernel];
      const model = await fit(breast.train, 2, { kernel });
      const decision = model.decisionFunction(breast.test.X);
      expectClose(decision, expected.decision as number[], 0, 1e-3);
      const predictions = model.predict(breast.test.X);
      expect(Array.from(predictions)).toEqual(expected.testPredictions);
      const proba = model.predictProba(breast.test.X);
      const metrics = classificationMetrics(breast.test.y, predictions, proba, ['malignant', 'benign']);
      expect(metrics.accuracy).toBe(expected.testAccuracy);
      expect(Math.abs((metrics.rocAuc as number) - expected.testAuc)).toBeLessThanOrEqual(0.01);
      const expectedCount = expected.supportCounts.reduce((sum, n) => sum + n, 0);
      expect(Math.abs(model.supportVectorCount - expectedCount)).toBeLessThanOrEqual(Math.ceil(0.01 * expectedCount));
    });
  }

  it('wine, three classes: one-vs-one decision values, voting, probabilities', async () => {
    const expected = reference.wine;
    const model = await fit(wine.train, 3, {});
    expect(model.supportCounts).toEqual(expected.supportCounts);
    const decision = model.decisionFunction(wine.test.X);
    expect(decision).toHaveLength(wine.test.X.rows * 3);
    expectClose(decision, (expected.decision as number[][]).flat(), 0, 1e-3);
    const predictions = model.predict(wine.test.X);
    expect(agreement(predictions, expected.testPredictions)).toBeGreaterThanOrEqual(0.99);
    const proba = model.predictProba(wine.test.X);
    for (let i = 0; i < wine.test.X.rows; i++) {
      expect(proba[i * 3] + proba[i * 3 + 1] + proba[i * 3 + 2]).toBeCloseTo(1, 12);
    }
    const metrics = classificationMetrics(wine.test.y, predictions, proba, ['class_0', 'class_1', 'class_2']);
    expect(Math.abs((metrics.rocAuc as number) - expected.testAuc)).toBeLessThanOrEqual(0.01);
  });

  it('probabilities are repeatable and sum to one', async () => {
    const first = await fit(breast.train, 2, {});
    const second = await fit(breast.train, 2, {});
    const proba = first.predictProba(breast.test.X);
    expect(Array.from(second.predictProba(breast.test.X))).toEqual(Array.from(proba));
    for (let i = 0; i < breast.test.X.rows; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 12);
  });

  it('survives a JSON round trip with identical outputs', async () => {
    const model = await fit(wine.train, 3, { classWeight: 'balanced' });
    const json = JSON.parse(JSON.stringify(model.toJSON())) as SvmJSON;
    expect(json.kind).toBe('supportVectorClassifier');
    const restored = SupportVectorClassifier.fromJSON(json);
    expect(Array.from(restored.decisionFunction(wine.test.X))).toEqual(Array.from(model.decisionFunction(wine.test.X)));
    expect(Array.from(restored.predictProba(wine.test.X))).toEqual(Array.from(model.predictProba(wine.test.X)));
    expect(Array.from(restored.predict(wine.test.X))).toEqual(Array.from(model.predict(wine.test.X)));
    expect(restored.supportVectorCount).toBe(model.supportVectorCount);
    expect(() => SupportVectorClassifier.fromJSON({ ...json, kind: 'other' } as unknown as SvmJSON)).toThrow(/support vector/);
    expect(() => SupportVectorClassifier.fromJSON({ ...json, rho: [1] })).toThrow(/inconsistent/);
  });
});

/** Rows inside or outside a noisy sphere in eight dimensions: a boundary that needs many support vectors. */
function ringDataset(n: number): Dataset {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const features = Array.from({ length: 8 }, (_, j) => Math.sin(1.7 * i + 0.9 * j * j + Math.cos(0.3 * i * (j + 1))));
    const radius = features.reduce((sum, v) => sum + v * v, 0);
    rows.push(features);
    labels.push(radius + 0.6 * Math.sin(7.3 * i) > 4 ? 1 : 0);
  }
  return { X: matrix(rows), y: Int32Array.from(labels) };
}

describe('SupportVectorClassifier training controls and errors', () => {
  it('reports progress up to 1 and can be cancelled', async () => {
    const data = ringDataset(600);
    const fractions: number[] = [];
    await new SupportVectorClassifier().fit(data.X, data.y, {
      classCount: 2,
      featureNames: names(8),
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(fractions.length).toBeGreaterThan(5);
    fractions.slice(1).forEach((fraction, k) => expect(fraction).toBeGreaterThanOrEqual(fractions[k]));
    expect(fractions[fractions.length - 1]).toBe(1);

    const controller = new AbortController();
    const training = new SupportVectorClassifier().fit(data.X, data.y, {
      classCount: 2,
      featureNames: names(8),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(training).rejects.toThrow('Cancelled');
    const aborted = new AbortController();
    aborted.abort();
    await expect(new SupportVectorClassifier().fit(data.X, data.y, { classCount: 2, featureNames: names(8), signal: aborted.signal })).rejects.toThrow(
      'Cancelled',
    );
  });

  it('explains bad settings and bad data in plain words', async () => {
    const data = toyDataset(20, 0.2);
    expect(() => new SupportVectorClassifier({ C: 0 })).toThrow(/C must be a positive number/);
    expect(() => new SupportVectorClassifier({ C: -1 })).toThrow(/C must be a positive number/);
    expect(() => new SupportVectorClassifier({ gamma: 0 })).toThrow(/Gamma must be/);
    expect(() => new SupportVectorClassifier({ gamma: -0.5 })).toThrow(/Gamma must be/);
    expect(() => new SupportVectorClassifier({ tol: 0 })).toThrow(/tolerance/);

    const svc = new SupportVectorClassifier();
    const oneClass = new Int32Array(20);
    await expect(svc.fit(data.X, oneClass, { classCount: 2, featureNames: names(2) })).rejects.toThrow(/only one class/);
    await expect(svc.fit(data.X, oneClass, { classCount: 1, featureNames: names(2) })).rejects.toThrow(/at least two classes/);
    await expect(svc.fit(data.X, data.y, { classCount: 3, featureNames: names(2) })).rejects.toThrow(/Class 2 has no rows/);
    const withGap = { ...data.X, data: Float64Array.from(data.X.data) };
    withGap.data[7] = Number.NaN;
    await expect(svc.fit(withGap, data.y, { classCount: 2, featureNames: ['income', 'age'] })).rejects.toThrow(/"age"/);
    expect(() => svc.predict(data.X)).toThrow(/not been trained/);

    const noProbabilities = await fit(data, 2, { probability: false });
    expect(() => noProbabilities.predictProba(data.X)).toThrow(/without probability estimates/);
    expect(() => noProbabilities.predict({ data: new Float64Array(3), rows: 1, cols: 3 })).toThrow(/expects 2 feature columns/);
  });
});
