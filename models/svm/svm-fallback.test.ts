import { describe, expect, it, vi } from 'vitest';
import { SupportVectorClassifier } from './svm';
import { expectClose, names, reference, standardisedSplit, toyDataset } from './svm-test-data';

// Where WebAssembly SIMD is unavailable the kernels run as plain JavaScript loops; they must
// give the same models.
vi.mock('./svm-wasm-assembler', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./svm-wasm-assembler')>()),
  WasmProgram: class {
    acquire() {
      return null;
    }
    release() {}
  },
}));

describe('SupportVectorClassifier without WebAssembly', () => {
  it('matches scikit-learn on 2-D data with both kernels', async () => {
    const data = toyDataset(60, 0.2);
    for (const [kernel, C] of [['linear', 0.5], ['rbf', 2]] as const) {
      const model = await new SupportVectorClassifier({ kernel, C, probability: false }).fit(data.X, data.y, { classCount: 2, featureNames: names(2) });
      const expected = reference.toy[kernel];
      expect(Array.from(model.supportIndices)).toEqual(expected.supportIndices);
      expectClose(model.decisionFunction(data.X), expected.decision as number[], 1e-4, 1e-6);
    }
  });

  it('matches scikit-learn on breast cancer and wine', async () => {
    const breast = standardisedSplit('svm-breast-cancer.json');
    const binary = await new SupportVectorClassifier().fit(breast.train.X, breast.train.y, { classCount: 2, featureNames: breast.names });
    expectClose(binary.decisionFunction(breast.test.X), reference.breastCancer.rbf.decision as number[], 0, 1e-3);
    expect(Array.from(binary.predict(breast.test.X))).toEqual(reference.breastCancer.rbf.testPredictions);

    const wine = standardisedSplit('svm-wine.json');
    const multiclass = await new SupportVectorClassifier().fit(wine.train.X, wine.train.y, { classCount: 3, featureNames: wine.names });
    expectClose(multiclass.decisionFunction(wine.test.X), (reference.wine.decision as number[][]).flat(), 0, 1e-3);
  });
});
