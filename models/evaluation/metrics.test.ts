import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureAtTop, classificationMetrics, regressionMetrics, rocAuc } from './metrics';

// Reference values: scripts/sklearn-reference.py (scikit-learn 1.2.1), metric_references().

function expectAllClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 12));
}

const binaryTrue = Int32Array.from([0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1]);
const binaryScores = Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.6, 0.05, 0.7]);

describe('rocAuc', () => {
  it('treats tied scores as one threshold, like sklearn', () => {
    expect(rocAuc(binaryTrue, binaryScores)).toBeCloseTo(0.8428571428571429, 12);
  });

  it('is 1 for a perfect ranking, 0.5 when every score ties, NaN with one class', () => {
    expect(rocAuc(Int32Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.2, 0.3, 0.4]))).toBe(1);
    expect(rocAuc(Int32Array.from([0, 1, 0, 1]), Float64Array.from([0.5, 0.5, 0.5, 0.5]))).toBe(0.5);
    expect(rocAuc(Int32Array.from([1, 1]), Float64Array.from([0.2, 0.3]))).toBeNaN();
  });
});

describe('classificationMetrics', () => {
  it('scores a binary problem', () => {
    const predicted = Int32Array.from(binaryScores, (s) => (s >= 0.5 ? 1 : 0));
    const proba = Float64Array.from([...binaryScores].flatMap((s) => [1 - s, s]));
    const result = classificationMetrics(binaryTrue, predicted, proba, ['no', 'yes']);
    expect(result.accuracy).toBeCloseTo(0.75, 12);
    expect(result.balancedAccuracy).toBeCloseTo(0.7285714285714285, 12);
    expect(result.macroF1).toBeCloseTo(0.7333333333333332, 12);
    expect(result.rocAuc).toBeCloseTo(0.8428571428571429, 12);
    expect(result.confusion).toEqual([[6, 1], [2, 3]]);
    expect(result.perClass.map((c) => c.label)).toEqual(['no', 'yes']);
    expectAllClose(result.perClass.map((c) => c.precision), [0.75, 0.75]);
    expectAllClose(result.perClass.map((c) => c.recall), [0.8571428571428571, 0.6]);
    expectAllClose(result.perClass.map((c) => c.f1), [0.7999999999999999, 0.6666666666666665]);
    expect(result.perClass.map((c) => c.support)).toEqual([7, 5]);
  });

  it('scores a three-class problem with macro one-vs-rest AUC', () => {
    const yTrue = Int32Array.from([0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 1]);
    const yPred = Int32Array.from([0, 1, 2, 1, 1, 0, 2, 2, 0, 1, 1, 1]);
    const proba = Float64Array.from([
      [0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6], [0.1, 0.5, 0.4],
      [0.25, 0.5, 0.25], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8],
      [0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2],
    ].flat());
    const result = classificationMetrics(yTrue, yPred, proba, ['a', 'b', 'c']);
    expect(result.accuracy).toBeCloseTo(0.6666666666666666, 12);
    expect(result.balancedAccuracy).toBeCloseTo(0.6555555555555556, 12);
    expect(result.macroF1).toBeCloseTo(0.6551226551226551, 12);
    expect(result.rocAuc).toBeCloseTo(0.892581569664903, 12);
    expect(result.confusion).toEqual([[2, 0, 1], [1, 4, 0], [0, 2, 2]]);
    expectAllClose(result.perClass.map((c) => c.precision), [0.6666666666666666, 0.6666666666666666, 0.6666666666666666]);
    expectAllClose(result.perClass.map((c) => c.recall), [0.6666666666666666, 0.8, 0.5]);
    expectAllClose(result.perClass.map((c) => c.f1), [0.6666666666666666, 0.7272727272727272, 0.5714285714285715]);
    expect(result.perClass.map((c) => c.support)).toEqual([3, 5, 4]);
  });

  it('handles classes missing from the test rows', () => {
    // Class 2 is predicted but never true; class 3 appears nowhere.
    const yTrue = Int32Array.from([0, 1, 1, 0, 1, 0]);
    const yPred = Int32Array.from([0, 2, 1, 0, 1, 1]);
    const proba = new Float64Array(6 * 4).fill(0.25);
    const result = classificationMetrics(yTrue, yPred, proba, ['a', 'b', 'c', 'd']);
    expect(result.accuracy).toBeCloseTo(0.6666666666666666, 12);
    expect(result.balancedAccuracy).toBeCloseTo(0.6666666666666666, 12);
    expect(result.macroF1).toBeCloseTo(0.48888888888888893, 12);
    expect(result.rocAuc).toBeNull();
    expectAllClose(result.perClass.map((c) => c.precision), [1, 0.6666666666666666, 0, 0]);
    expectAllClose(result.perClass.map((c) => c.recall), [0.6666666666666666, 0.6666666666666666, 0, 0]);
    expectAllClose(result.perClass.map((c) => c.f1), [0.8, 0.6666666666666666, 0, 0]);
    expect(result.perClass.map((c) => c.support)).toEqual([3, 3, 0, 0]);
    expect(result.confusion).toEqual([[2, 1, 0, 0], [0, 2, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  it('gives no AUC without probabilities and rejects mismatched input', () => {
    const labels = Int32Array.from([0, 1, 1]);
    expect(classificationMetrics(labels, labels, null, ['a', 'b']).rocAuc).toBeNull();
    expect(() => classificationMetrics(labels, Int32Array.from([0, 1]), null, ['a', 'b'])).toThrow(/2 predictions for 3 rows/);
    expect(() => classificationMetrics(labels, Int32Array.from([0, 1, 5]), null, ['a', 'b'])).toThrow(/Row 3/);
  });
});

describe('regressionMetrics', () => {
  it('matches r2_score, mean_absolute_error and the root of mean_squared_error', () => {
    const yTrue = Float64Array.from([3.0, -0.5, 2.0, 7.0, 4.2, 1.1]);
    const yPred = Float64Array.from([2.5, 0.0, 2.1, 7.8, 3.9, 0.4]);
    const result = regressionMetrics(yTrue, yPred);
    expect(result.r2).toBeCloseTo(0.94920728126835, 12);
    expect(result.mae).toBeCloseTo(0.4833333333333334, 12);
    expect(result.rmse).toBeCloseTo(0.5369667897862337, 12);
  });

  it('follows sklearn for a constant target', () => {
    const constant = Float64Array.from([2, 2, 2]);
    expect(regressionMetrics(constant, Float64Array.from([2, 2.5, 2])).r2).toBe(0);
    expect(regressionMetrics(constant, constant).r2).toBe(1);
  });
});

/** The bank sample's "y" as 0/1 and one numeric column as a score (its header row skipped). */
function bankColumnAsScore(column: string): { yes: Int32Array; scores: Float64Array } {
  const [header, ...lines] = readFileSync('samples/bank-marketing.csv', 'utf8').trim().split(/\r?\n/);
  const names = header.split(';');
  const scoreAt = names.indexOf(column);
  const yAt = names.indexOf('y');
  const cells = lines.map((line) => line.split(';'));
  return {
    yes: Int32Array.from(cells, (row) => (row[yAt] === 'yes' ? 1 : 0)),
    scores: Float64Array.from(cells, (row) => Number(row[scoreAt])),
  };
}

// Reference values: scripts/sklearn-capture-reference.py (the gains curve from scikit-learn's roc_curve).
describe('captureAtTop', () => {
  it('counts the yes among the rows scored highest, by hand', () => {
    const yes = Int32Array.from([1, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const scores = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
    // The top 2 of 10 rows hold 1 of the 3 yes; the top 3 hold 2.
    expect(captureAtTop(yes, scores, 0.2)).toBeCloseTo(1 / 3, 12);
    expect(captureAtTop(yes, scores, 0.3)).toBeCloseTo(2 / 3, 12);
    expect(captureAtTop(yes, scores, 0)).toBe(0);
    expect(captureAtTop(yes, scores, 1)).toBe(1);
  });

  it('shares out rows tied at the cut in proportion', () => {
    // Four rows tie at the top, two of them yes; calling two of the four finds one yes on average.
    const yes = Int32Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const scores = Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(captureAtTop(yes, scores, 0.2)).toBeCloseTo(0.5, 12);
    expect(captureAtTop(Int32Array.from([0, 0]), Float64Array.from([0.2, 0.3]), 0.2)).toBeNaN();
  });

  it('matches scikit-learn on the bank sample, ranked by call duration, balance and age', () => {
    const duration = bankColumnAsScore('duration');
    expect(captureAtTop(duration.yes, duration.scores, 0.2)).toBeCloseTo(0.5668292682926829, 12);
    const balance = bankColumnAsScore('balance');
    expect(captureAtTop(balance.yes, balance.scores, 0.2)).toBeCloseTo(0.2798314561218702, 12);
    const age = bankColumnAsScore('age');
    expect(captureAtTop(age.yes, age.scores, 0.2)).toBeCloseTo(0.2449412019463069, 12);
    // Without ties it is exactly the recall of calling the top 20% of rows.
    const untied = Float64Array.from(duration.scores, (value, i) => value + i * 1e-7);
    expect(captureAtTop(duration.yes, untied, 0.2)).toBeCloseTo(0.5672149744753261, 12);
  });
});
