import { describe, expect, it } from 'vitest';
import { seededRandom, trainTestSplit } from './split';

const labels = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([label, count]) => Array.from({ length: count }, () => label));

function count(rows: Int32Array, stratify: string[], label: string): number {
  return Array.from(rows).filter((row) => stratify[row] === label).length;
}

describe('seededRandom', () => {
  it('gives the same numbers for the same seed, in [0, 1)', () => {
    const first = seededRandom(42);
    expect([first(), first(), first()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const other = seededRandom(7);
    for (let i = 0; i < 1000; i++) expect(other()).toBeGreaterThanOrEqual(0);
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});

describe('trainTestSplit', () => {
  it('splits every row exactly once, sorted, with the test share rounded up', () => {
    const { train, test } = trainTestSplit(101, { testFraction: 0.2, seed: 1 });
    expect(test.length).toBe(21);
    expect(train.length).toBe(80);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    for (const part of [train, test]) for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = trainTestSplit(50, { testFraction: 0.3, seed: 5 });
    expect(trainTestSplit(50, { testFraction: 0.3, seed: 5 })).toEqual(a);
    expect(trainTestSplit(50, { testFraction: 0.3, seed: 6 }).test).not.toEqual(a.test);
  });

  it('does not let floating point error add a row', () => {
    expect(trainTestSplit(10, { testFraction: 0.7, seed: 1 }).test.length).toBe(7);
  });

  it('never leaves a part empty', () => {
    expect(trainTestSplit(3, { testFraction: 0.05, seed: 1 }).test.length).toBe(1);
    expect(trainTestSplit(3, { testFraction: 0.99, seed: 1 }).train.length).toBe(1);
    expect(() => trainTestSplit(1, { testFraction: 0.5, seed: 1 })).toThrow(/at least 2 rows/);
  });

  it('keeps each class share in both parts', () => {
    const stratify = labels({ no: 883, yes: 117 });
    const { train, test } = trainTestSplit(1000, { testFraction: 0.2, seed: 3, stratify });
    expect(test.length).toBe(200);
    expect(count(test, stratify, 'yes')).toBe(23);
    expect(count(train, stratify, 'yes')).toBe(94);
    expect(count(test, stratify, 'no')).toBe(177);
  });

  it('adjusts per-class rounding so the total matches', () => {
    const stratify = labels({ a: 5, b: 5, c: 5 });
    const { test } = trainTestSplit(15, { testFraction: 0.3, seed: 9, stratify });
    expect(test.length).toBe(5);
    for (const label of ['a', 'b', 'c']) expect(count(test, stratify, label)).toBeGreaterThanOrEqual(1);
  });

  it('puts every class in both parts, and names a class too small for that', () => {
    const stratify = labels({ no: 50, maybe: 2 });
    const { train, test } = trainTestSplit(52, { testFraction: 0.1, seed: 1, stratify });
    expect(count(test, stratify, 'maybe')).toBe(1);
    expect(count(train, stratify, 'maybe')).toBe(1);
    expect(() => trainTestSplit(4, { testFraction: 0.5, seed: 1, stratify: ['no', 'no', 'no', 'yes'] })).toThrow(
      'class "yes" has only 1 row; it cannot be in both train and test',
    );
  });

  it('refuses a share outside [0, 1)', () => {
    expect(() => trainTestSplit(10, { testFraction: 1, seed: 1 })).toThrow(/from 0 up to 1/);
    expect(() => trainTestSplit(10, { testFraction: -0.1, seed: 1 })).toThrow(/from 0 up to 1/);
  });

  it('keeps every row for training with a share of 0', () => {
    const { train, test } = trainTestSplit(10, { testFraction: 0, seed: 1 });
    expect([...train]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(test.length).toBe(0);
  });
});
