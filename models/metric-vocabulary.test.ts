import { describe, expect, it } from 'vitest';
import { bestIndex, isLowerBetter, mergeBestMetrics, sortMetricNames } from './metric-vocabulary';

describe('metric direction', () => {
  it('treats mae and rmse as lower-is-better and everything else as higher-is-better', () => {
    expect(isLowerBetter('mae')).toBe(true);
    expect(isLowerBetter('rmse')).toBe(true);
    expect(isLowerBetter('r2')).toBe(false);
    expect(isLowerBetter('rocAuc')).toBe(false);
  });

  it('keeps the best value per name across evaluate nodes and ignores non-finite values', () => {
    const run: Record<string, number> = {};
    mergeBestMetrics(run, { r2: 0.7, mae: 3, rmse: 4 });
    mergeBestMetrics(run, { r2: 0.9, mae: 5, rmse: 2, extra: Number.NaN });
    mergeBestMetrics(run, null);
    expect(run).toEqual({ r2: 0.9, mae: 3, rmse: 2 });
  });

  it('finds the best index with ties going to the first and gaps skipped', () => {
    expect(bestIndex('accuracy', [0.8, 0.9, 0.9])).toBe(1);
    expect(bestIndex('mae', [3, null, 2, 2])).toBe(2);
    expect(bestIndex('r2', [null, undefined])).toBeNull();
  });

  it('orders classification metrics, then regression, then the rest', () => {
    expect(sortMetricNames(['zeta', 'rmse', 'accuracy', 'r2', 'rocAuc', 'alpha'])).toEqual(['rocAuc', 'accuracy', 'r2', 'rmse', 'alpha', 'zeta']);
  });
});
