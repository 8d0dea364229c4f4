import { describe, expect, it } from 'vitest';
import {
  binIndex,
  driftLevel,
  histogram,
  histogramMedian,
  kolmogorovSurvival,
  ksFromHistograms,
  ksTwoSample,
  populationStabilityIndex,
  quantileEdges,
  quantileSorted,
  selectRanks,
} from './drift';
import { seededRandom } from '../split';
import { compareColumn, countValue, emptyCounts, mergeCounts, profileColumn, type NumberProfile } from './drift-profile';

// Reference figures: scripts/drift-reference.py (scipy 1.10.1, numpy), which also printed the two samples.
const sampleA = [40.0, 43.0, 37.3, 31.1, 35.5, 30.1, 40.6, 53.4, 35.1, 33.8, 44.9, 43.6, 41.1, 30.7, 39.7, 47.0, 26.6, 35.4, 21.0, 27.1, 21.6, 37.6, 27.3, 42.7, 41.6, 38.1, 14.8, 34.6, 39.5, 41.1, 24.7, 35.2, 30.2, 31.9, 50.6, 31.9, 39.7, 48.8, 34.2, 38.9, 41.1, 40.6, 27.7, 40.8, 53.6, 24.5, 48.6, 41.2, 33.6, 60.0, 47.6, 28.0, 40.7, 45.8, 38.1, 46.8, 39.3, 46.7, 54.4, 33.2, 42.0, 35.4, 41.3, 28.1, 34.2, 38.0, 49.0, 51.5, 26.8, 32.1, 46.5, 20.1, 35.4, 39.0, 52.6, 46.9, 36.7, 36.3, 37.5, 55.2, 35.7, 37.0, 43.5, 38.8, 38.0, 28.9, 39.9, 35.6, 51.7, 46.5, 39.8, 46.7, 36.6, 50.5, 39.9, 45.8, 27.1, 43.5, 23.1, 19.6, 37.0, 31.0, 41.6, 62.4, 31.7, 33.8, 42.1, 44.9, 38.2, 37.9, 47.0, 45.2, 29.7, 39.2, 40.4, 29.5, 42.6, 31.4, 49.7, 41.9, 40.9, 34.1, 38.8, 20.0, 28.7, 43.6, 18.7, 48.5, 22.5, 47.6, 31.5, 47.8, 41.3, 24.6, 52.5, 54.4, 39.3, 37.3, 38.4, 30.2, 51.0, 34.6, 39.5, 32.1, 33.7, 27.2, 52.6, 38.5, 49.7, 40.1, 33.1, 36.7, 34.4, 40.1, 36.2, 37.0, 26.2, 31.9, 56.5, 33.3, 29.5, 43.4, 54.1, 25.5, 37.9, 33.7, 22.4, 47.3, 39.8, 40.7, 32.5, 44.5, 34.6, 38.6, 28.9, 27.8, 53.4, 34.9, 42.9, 39.7, 35.6, 34.9, 46.3, 37.0, 38.5, 40.2, 51.8, 46.8, 43.8, 34.4, 26.2, 49.5, 49.7, 38.6, 45.4, 47.8, 48.3, 49.2, 35.4, 55.1];
const sampleB = [30.0, 55.3, 50.9, 55.5, 67.5, 62.8, 31.3, 24.7, 54.8, 32.8, 44.9, 55.1, 25.3, 19.7, 48.1, 45.5, 42.1, 45.5, 34.7, 26.8, 43.0, 33.3, 25.3, 51.1, 44.3, 49.9, 33.1, 37.1, 33.0, 34.4, 47.3, 35.6, 49.3, 49.1, 69.3, 28.3, 55.7, 43.9, 44.8, 27.6, 39.5, 53.9, 44.0, 46.0, 41.5, 58.9, 44.7, 18.6, 36.7, 21.4, 6.0, 38.6, 61.0, 45.6, 30.9, 33.7, 58.6, 46.9, 45.6, 44.4, 45.5, 54.7, 51.6, 47.6, 32.5, 51.1, 36.8, 58.1, 29.7, 43.3, 44.9, 29.1, 65.7, 62.5, 39.4, 54.3, 49.5, 13.6, 48.0, 44.3, 46.0, 32.1, 41.8, 42.9, 59.3, 49.0, 44.9, 63.3, 38.3, 40.3, 23.2, 63.8, 56.6, 56.0, 53.0, 46.3, 47.6, 42.0, 42.6, 45.7, 63.1, 51.7, 44.3, 38.0, 37.4, 64.2, 51.1, 45.8, 40.8, 31.7, 44.2, 55.5, 40.3, 42.3, 42.3, 46.3, 25.9, 42.2, 34.7, 55.6, 35.8, 51.9, 63.3, 41.2, 37.8, 47.3, 45.0, 33.1, 50.5, 69.2, 41.9, 42.6, 32.5, 48.8, 30.0, 31.7, 60.4, 34.1, 58.0, 63.3, 48.1, 51.6, 68.4, 42.6, 37.9, 28.8, 45.5, 62.7, 56.5, 33.7];

describe('populationStabilityIndex', () => {
  it('matches the hand-computed sum of (current% − reference%)·ln(current%/reference%)', () => {
    // (0.2−0.5)·ln(0.2/0.5) + 0 + (0.5−0.2)·ln(0.5/0.2)
    expect(populationStabilityIndex([50, 30, 20], [20, 30, 50])).toBeCloseTo(0.549774439124493, 12);
    expect(populationStabilityIndex([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
  });

  it('replaces empty shares by 0.0001 as Evidently does, so an empty bin gives a large but finite figure', () => {
    // (0.5−1)·ln(0.5) + (0.5−0.0001)·ln(0.5/0.0001)
    expect(populationStabilityIndex([100, 0], [50, 50])).toBeCloseTo(4.60431846666895, 12);
  });

  it('refuses histograms on different bins', () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(/same bins/);
  });

  it('reads 0.1 and 0.25 as the limits of stable, moderate and major', () => {
    expect([0.05, 0.1, 0.25, 0.26].map(driftLevel)).toEqual(['stable', 'moderate', 'moderate', 'major']);
  });
});

describe('quantile bins', () => {
  it('puts the edges at the deciles with linear interpolation, as numpy.quantile', () => {
    const expected = [27.19, 31.66, 34.54, 36.88, 38.7, 40.28, 42.76, 46.720000000000006, 49.78];
    quantileEdges(sampleA).forEach((edge, i) => expect(edge).toBeCloseTo(expected[i], 10));
  });

  it('finds the same deciles by partial selection as by sorting, on large columns with and without repeats', () => {
    const random = seededRandom(3);
    for (const distinct of [0, 2, 7]) {
      const values = Float64Array.from({ length: 50_001 }, () => (distinct ? Math.floor(random() * distinct) : random() * 100 - 50));
      const sorted = Float64Array.from(values).sort();
      const expected = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => quantileSorted(sorted, i / 10)).filter((edge, i, all) => i === 0 || edge > all[i - 1]);
      expect(quantileEdges(values)).toEqual(expected);
      const ranks = [0, 17, 25_000, 25_001, 50_000];
      const shuffled = Float64Array.from(values);
      selectRanks(shuffled, ranks);
      expect(ranks.map((r) => shuffled[r])).toEqual(ranks.map((r) => sorted[r]));
    }
  });

  it('drops repeated edges of a column with many equal values and counts each value once', () => {
    const values = [1, 1, 1, 1, 1, 1, 1, 2, 3, 4];
    const edges = quantileEdges(values);
    expect(new Set(edges).size).toBe(edges.length);
    expect(histogram(edges, values).reduce((a, b) => a + b, 0)).toBe(10);
    expect(binIndex([1, 2, 3], 1)).toBe(0);
    expect(binIndex([1, 2, 3], 1.5)).toBe(1);
    expect(binIndex([1, 2, 3], 9)).toBe(3);
  });
});

describe('Kolmogorov–Smirnov', () => {
  it('gives scipy ks_2samp statistic and the asymptotic p-value', () => {
    const result = ksTwoSample(sampleA, sampleB);
    expect(result.statistic).toBeCloseTo(0.31500000000000006, 12);
    // kstwobign.sf(D·√(nm/(n+m))); ks_2samp(method="asymp") rounds n·m/(n+m) and reads 4.39e-8: both say "shifted".
    expect(result.pValue).toBeCloseTo(8.197489300430257e-8, 15);
    expect(ksTwoSample([1, 2, 3, 4, 5], [3.5, 4.5, 5.5, 6.5]).statistic).toBeCloseTo(0.6, 12);
  });

  it('matches scipy kstwobign.sf', () => {
    const reference: [number, number][] = [
      [0.5, 0.9639452436648751],
      [1.0, 0.26999967167735456],
      [1.36, 0.049485876755377876],
      [2.0, 0.0006709252557796953],
    ];
    for (const [x, p] of reference) expect(kolmogorovSurvival(x)).toBeCloseTo(p, 10);
  });

  it('reads from histograms a statistic no larger than the exact one, and equal samples give 0', () => {
    const edges = quantileEdges(sampleA);
    const binned = ksFromHistograms(histogram(edges, sampleA), histogram(edges, sampleB));
    expect(binned.statistic).toBeLessThanOrEqual(0.31500000000000006 + 1e-12);
    expect(binned.statistic).toBeGreaterThan(0.25);
    expect(ksFromHistograms([5, 5], [10, 10])).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('compareColumn', () => {
  const age = profileColumn({ name: 'age', type: 'number', values: Float64Array.from(sampleA) }) as NumberProfile;

  it('says the rows are older when the median age moved up', () => {
    const current = emptyCounts(age);
    for (const value of sampleA) countValue(age, current, value + 30);
    const drift = compareColumn(age, current);
    expect(drift.level).toBe('major');
    expect(drift.medians!.current).toBeGreaterThan(drift.medians!.reference + 20);
    expect(drift.means!.current).toBeCloseTo(drift.means!.reference + 30, 10);
    expect(drift.flag).toMatch(/^The rows scored recently are older than those the model learned from/);
    expect(drift.ks!.statistic).toBeGreaterThan(0.8);
  });

  it('finds the same rows stable, and the interpolated median close to the true one', () => {
    const current = emptyCounts(age);
    for (const value of sampleA) countValue(age, current, value);
    const drift = compareColumn(age, current);
    expect(drift.psi).toBeCloseTo(0, 12);
    expect(drift.level).toBe('stable');
    expect(histogramMedian(age.edges, age.counts, age.min, age.max)).toBeCloseTo(38.7, 0);
  });

  it('names the category whose share grew', () => {
    const training = ['admin', 'admin', 'admin', 'student', 'retired', 'admin', 'retired', 'admin', 'retired', 'admin'];
    const job = profileColumn({ name: 'job', type: 'category', values: training });
    const current = emptyCounts(job);
    for (const value of ['student', 'student', 'student', 'admin', 'unknown-job', null]) countValue(job, current, value);
    const drift = compareColumn(job, current);
    expect(current).toEqual({ counts: [1, 0, 3, 1], missing: 1 });
    expect(drift.level).toBe('major');
    expect(drift.flag).toBe(`More 'student' in "job" than in training (60% vs 10%).`);
  });

  it('merges counts of two minutes', () => {
    const first = { counts: [1, 2], missing: 0, min: 3, max: 9 };
    mergeCounts(first, { counts: [4, 0], missing: 2, min: 1, max: 5 });
    expect(first).toEqual({ counts: [5, 2], missing: 2, min: 1, max: 9 });
  });
});
