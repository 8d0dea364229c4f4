import { describe, expect, it } from 'vitest';
import { kFoldIndices, meanAndStd } from './cross-validation';

// Reference numbers: scripts/sklearn-features-reference.py (scikit-learn 1.2 StratifiedKFold and numpy).

const labels = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([label, count]) => Array.from({ length: count }, () => label));

function classCounts(rows: Int32Array, stratify: string[], classes: string[]): number[] {
  return classes.map((label) => Array.from(rows).filter((row) => stratify[row] === label).length);
}

function expectSortedPartition(train: Int32Array, test: Int32Array, rowCount: number) {
  const all = [...train, ...test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: rowCount }, (_, i) => i));
  for (const part of [train, test]) for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
}

describe('kFoldIndices', () => {
  it('tests every row exactly once, trains on the rest, sizes like KFold', () => {
    const folds = kFoldIndices(10, { folds: 3, seed: 1 });
    expect(folds.map((f) => f.test.length)).toEqual([4, 3, 3]);
    folds.forEach(({ train, test }) => expectSortedPartition(train, test, 10));
    const tested = folds.flatMap((f) => [...f.test]).sort((a, b) => a - b);
    expect(tested).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const options = { folds: 5, seed: 7, stratify: labels({ no: 40, yes: 10 }) };
    expect(kFoldIndices(50, options)).toEqual(kFoldIndices(50, options));
    expect(kFoldIndices(50, { ...options, seed: 8 })[0].test).not.toEqual(kFoldIndices(50, options)[0].test);
    expect(kFoldIndices(50, { folds: 5, seed: 7 })[0].test).not.toEqual(kFoldIndices(50, { folds: 5, seed: 8 })[0].test);
  });

  it('keeps each class share in every fold, with the same counts as StratifiedKFold', () => {
    const stratify = labels({ no: 883, yes: 117 });
    const folds = kFoldIndices(1000, { folds: 5, seed: 3, stratify });
    expect(folds.map((f) => classCounts(f.test, stratify, ['no', 'yes']))).toEqual([
      [177, 23], [177, 23], [177, 23], [176, 24], [176, 24],
    ]);
    folds.forEach(({ train, test }) => expectSortedPartition(train, test, 1000));

    const three = labels({ a: 10, b: 7, c: 4 });
    const threeFolds = kFoldIndices(21, { folds: 3, seed: 3, stratify: three });
    expect(threeFolds.map((f) => classCounts(f.test, three, ['a', 'b', 'c']))).toEqual([
      [4, 2, 1], [3, 3, 1], [3, 2, 2],
    ]);
  });

  it('treats a missing label as a class of its own', () => {
    const stratify = [...labels({ yes: 6 }), ...labels({ no: 9 }), null, null, null];
    const folds = kFoldIndices(18, { folds: 3, seed: 2, stratify });
    for (const { test } of folds) expect(classCounts(test, stratify as string[], ['yes', 'no'])).toEqual([2, 3]);
    for (const { test } of folds) expect(Array.from(test).filter((row) => stratify[row] === null)).toHaveLength(1);
  });

  it('explains its errors plainly', () => {
    expect(() => kFoldIndices(10, { folds: 1, seed: 1 })).toThrow(/at least 2 folds/);
    expect(() => kFoldIndices(10, { folds: 2.5, seed: 1 })).toThrow(/whole number/);
    expect(() => kFoldIndices(3, { folds: 5, seed: 1 })).toThrow('5 folds need at least 5 rows; the table has 3.');
    expect(() => kFoldIndices(4, { folds: 2, seed: 1, stratify: ['a', 'b'] })).toThrow(/2 labels .* 4 rows/);
    const stratify = labels({ no: 20, yes: 3 });
    expect(() => kFoldIndices(23, { folds: 5, seed: 1, stratify })).toThrow(
      'class "yes" has only 3 rows, fewer than the 5 folds; use fewer folds or add rows of that class.',
    );
    expect(() => kFoldIndices(11, { folds: 2, seed: 1, stratify: labels({ no: 10, yes: 1 }) })).toThrow(
      /class "yes" has only 1 row,/,
    );
  });
});

describe('meanAndStd', () => {
  it('gives the mean and the population standard deviation, like numpy', () => {
    const { mean, std } = meanAndStd([0.81, 0.79, 0.84, 0.8, 0.77]);
    expect(mean).toBeCloseTo(0.8019999999999999, 15);
    expect(std).toBeCloseTo(0.023151673805580437, 15);
    expect(meanAndStd([2])).toEqual({ mean: 2, std: 0 });
    expect(meanAndStd([])).toEqual({ mean: NaN, std: NaN });
  });
});
