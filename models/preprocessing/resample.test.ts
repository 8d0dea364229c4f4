import { describe, expect, it } from 'vitest';
import { balancedClassWeights, randomOverSample, randomUnderSample } from './resample';

// Reference numbers: scripts/sklearn-features-reference.py (scikit-learn 1.2 compute_class_weight).

const labelsOf = (counts: number[]) => Int32Array.from(counts.flatMap((count, label) => new Array(count).fill(label)));

function countsOf(labels: Int32Array, rows: Int32Array, classCount: number): number[] {
  const counts = new Array(classCount).fill(0);
  for (const row of rows) counts[labels[row]]++;
  return counts;
}

function expectAscending(rows: Int32Array, strictly: boolean) {
  for (let i = 1; i < rows.length; i++) {
    if (strictly) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
    else expect(rows[i]).toBeGreaterThanOrEqual(rows[i - 1]);
  }
}

describe('randomOverSample', () => {
  it('repeats minority rows until every class has the majority count, keeping every row', () => {
    const labels = labelsOf([90, 8, 2]);
    const rows = randomOverSample(labels, 1);
    expect(rows.length).toBe(270);
    expect(countsOf(labels, rows, 3)).toEqual([90, 90, 90]);
    expect(new Set(rows).size).toBe(100);
    expectAscending(rows, false);
    // Each minority row is drawn at random, so both rows of the smallest class are repeated.
    const smallest = Array.from(rows).filter((row) => labels[row] === 2);
    expect(smallest.filter((row) => row === 98).length).toBeGreaterThan(1);
    expect(smallest.filter((row) => row === 99).length).toBeGreaterThan(1);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const labels = labelsOf([30, 5]);
    expect(randomOverSample(labels, 4)).toEqual(randomOverSample(labels, 4));
    expect(randomOverSample(labels, 4)).not.toEqual(randomOverSample(labels, 5));
  });

  it('leaves balanced data and absent class numbers alone', () => {
    const labels = Int32Array.from([0, 2, 2, 0]);
    expect(Array.from(randomOverSample(labels, 1))).toEqual([0, 1, 2, 3]);
  });
});

describe('randomUnderSample', () => {
  it('samples larger classes down to the minority count without repeats', () => {
    const labels = labelsOf([90, 8, 2]);
    const rows = randomUnderSample(labels, 1);
    expect(countsOf(labels, rows, 3)).toEqual([2, 2, 2]);
    expect(Array.from(rows).filter((row) => labels[row] === 2)).toEqual([98, 99]);
    expectAscending(rows, true);
    expect(randomUnderSample(labels, 1)).toEqual(rows);
    expect(randomUnderSample(labels, 2)).not.toEqual(rows);
  });

  it('draws every majority row with equal chance', () => {
    const labels = labelsOf([10, 2]);
    const hits = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const row of randomUnderSample(labels, seed)) if (row < 10) hits[row]++;
    // Each row is expected 2000 · 2/10 = 400 times.
    for (const count of hits) expect(Math.abs(count - 400)).toBeLessThan(80);
  });
});

describe('balancedClassWeights', () => {
  it('matches class_weight="balanced"', () => {
    const weights = balancedClassWeights(labelsOf([90, 8, 2]), 3);
    const expected = [0.37037037037037035, 4.166666666666667, 16.666666666666668];
    weights.forEach((weight, k) => expect(weight).toBeCloseTo(expected[k], 14));
  });

  it('gives an absent class weight 0 and refuses labels out of range', () => {
    expect(balancedClassWeights(Int32Array.from([0, 0, 2, 2]), 3)).toEqual([1, 0, 1]);
    expect(() => balancedClassWeights(Int32Array.from([0, 3]), 3)).toThrow(
      'Class labels must be class numbers from 0 to 2; got 3.',
    );
  });
});
