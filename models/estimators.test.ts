import { describe, expect, it } from 'vitest';
import { ConvNet } from './cnn/cnn';
import type { Estimator } from './estimator';
import { restoreEstimator } from './estimators';
import type { Matrix } from './frame';
import { LinearRegression } from './linear/linear-regression';
import { LogisticRegression } from './linear/logistic-regression';
import { SupportVectorClassifier } from './svm/svm';
import { DecisionTree } from './tree/decision-tree';

/** Two features; class 1 where their sum is positive, and a target that is a straight line in them. */
const X: Matrix = {
  rows: 12,
  cols: 2,
  data: Float64Array.from([-3, -1, -2, -2, -1, -2, -2, 0, -1, -1, 0, -1, 1, 0, 0, 2, 1, 1, 2, 0, 1, 2, 3, 1]),
};
const labels = Int32Array.from({ length: X.rows }, (_, i) => (X.data[2 * i] + X.data[2 * i + 1] > 0 ? 1 : 0));
const values = Float64Array.from({ length: X.rows }, (_, i) => 1 + 2 * X.data[2 * i] - X.data[2 * i + 1]);

/** Fits through the shared contract only, then restores the saved JSON the way a saved model is loaded. */
async function fitAndRestore(estimator: Estimator, y: Int32Array | Float64Array): Promise<[Estimator, Estimator]> {
  const fitted = await estimator.fit(X, y);
  return [fitted, restoreEstimator(JSON.parse(JSON.stringify(fitted.toJSON())))];
}

describe('restoreEstimator', () => {
  const cases: [string, () => Estimator, Int32Array | Float64Array][] = [
    ['linear regression', () => new LinearRegression({ degree: 1, l2: 0 }), values],
    ['logistic regression', () => new LogisticRegression(), labels],
    ['decision tree', () => new DecisionTree({ task: 'classification' }), labels],
    ['support vector classifier', () => new SupportVectorClassifier(), labels],
  ];

  it.each(cases)('rebuilds a %s that predicts as the trained one, with default feature names', async (_, create, y) => {
    const [fitted, restored] = await fitAndRestore(create(), y);
    expect(restored.constructor).toBe(fitted.constructor);
    expect(Array.from(restored.predict(X))).toEqual(Array.from(fitted.predict(X)));
    expect(restored.predictProba?.(X)).toEqual(fitted.predictProba?.(X));
    expect((restored.toJSON() as { featureNames: string[] }).featureNames).toEqual(['x0', 'x1']);
  });

  it('rebuilds a convolutional network trained on Matrix rows of flattened images, reporting progress per batch', async () => {
    const network = new ConvNet({ convBlocks: 1, filters: 2, denseUnits: 0, epochs: 1, batchSize: 4, patience: 0 });
    const images: Matrix = { rows: 6, cols: 4 * 4, data: Float64Array.from({ length: 6 * 16 }, (_, k) => (k % 7) / 7) };
    const y = Int32Array.from([0, 1, 0, 1, 0, 1]);
    await expect(network.fit(images, y)).rejects.toThrow(/need their image shape/);
    const progress: string[] = [];
    await network.fit(images, y, { imageShape: [4, 4, 1], onProgress: (fraction, message) => progress.push(`${fraction} ${message}`) });
    expect(progress).toEqual(['0.5 Epoch 1 of 1', '1 Epoch 1 of 1']);
    const restored: Estimator = restoreEstimator(network.toJSON());
    try {
      expect(restored).toBeInstanceOf(ConvNet);
      expect(restored.predictProba?.(images)).toEqual(network.predictProba(images));
      expect(Array.from(restored.predict(images))).toEqual(Array.from(network.predict(images)));
    } finally {
      restored.dispose?.();
      network.dispose();
    }
  });

  it('refuses an unknown or missing kind in plain words', () => {
    expect(() => restoreEstimator({ kind: 'randomForest' })).toThrow('This Pipelab cannot use a model of kind "randomForest".');
    expect(() => restoreEstimator({})).toThrow('This Pipelab cannot use a model of kind "unknown".');
    expect(() => restoreEstimator(null)).toThrow('This Pipelab cannot use a model of kind "unknown".');
    expect(() => restoreEstimator({ kind: 'toString' })).toThrow(/kind "toString"/);
  });
});

describe('default class count', () => {
  it('is one more than the largest label, and a given count keeps a class absent from the rows', async () => {
    const tree = new DecisionTree({ task: 'classification' });
    expect(tree.fit(X, labels).toJSON().nClasses).toBe(2);
    expect(tree.fit(X, labels, { classCount: 3 }).predictProba(X).length).toBe(3 * X.rows);
  });
});
