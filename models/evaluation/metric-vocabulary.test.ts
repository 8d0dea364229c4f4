import { describe, expect, it } from 'vitest';
import {
  bestIndex,
  formatMetricValue,
  formatPercent,
  formatUnits,
  HEADLINE_ORDER,
  headlineDetail,
  headlineOf,
  headlineSentence,
  isLowerBetter,
  mergeBestMetrics,
  METRIC_KEYS,
  metricHelp,
  metricLabel,
  metricShortLabel,
  METRICS,
  REPORTED_METRICS,
  sortMetricNames,
  type MetricTask,
} from './metric-vocabulary';

const TASKS: MetricTask[] = ['classification', 'regression'];

describe('the metrics table', () => {
  it('gives every key a label, short label, help, direction, format and at least one task', () => {
    for (const key of METRIC_KEYS) {
      const info = METRICS[key];
      expect(info.label, key).toBeTruthy();
      expect(info.shortLabel, key).toBeTruthy();
      expect(info.help, key).toMatch(/\.$/);
      expect(['higher', 'lower'], key).toContain(info.direction);
      expect(['percent', 'ratio', 'units'], key).toContain(info.format);
      expect(info.tasks.length, key).toBeGreaterThan(0);
    }
  });

  it('has a headline order and reported metrics for both tasks, all in the table and suited to the task', () => {
    for (const task of TASKS) {
      expect(HEADLINE_ORDER[task].length, task).toBeGreaterThan(0);
      expect(REPORTED_METRICS[task].length, task).toBeGreaterThan(0);
      for (const key of [...HEADLINE_ORDER[task], ...REPORTED_METRICS[task]]) {
        expect(METRIC_KEYS, key).toContain(key);
        expect(METRICS[key].tasks, key).toContain(task);
      }
      // A headline is something the evaluate node reports, and its reported metrics are in display order.
      for (const key of HEADLINE_ORDER[task]) expect(REPORTED_METRICS[task]).toContain(key);
      expect(sortMetricNames(REPORTED_METRICS[task])).toEqual([...REPORTED_METRICS[task]]);
    }
  });

  it('covers every metric the scorers compute', () => {
    for (const key of ['captureAt20', 'rocAuc', 'balancedAccuracy', 'accuracy', 'macroF1', 'r2', 'mae', 'rmse']) expect(METRIC_KEYS).toContain(key);
  });
});

describe('labels and help', () => {
  it('reads labels, short labels and help from the table, spelling out unknown keys', () => {
    expect(metricLabel('rocAuc')).toBe('ROC AUC');
    expect(metricLabel('mae')).toBe('Mean absolute error (MAE)');
    expect(metricShortLabel('mae')).toBe('MAE');
    expect(metricShortLabel('accuracy')).toBe('Accuracy');
    expect(metricLabel('myScore')).toBe('My score');
    expect(metricShortLabel('myScore')).toBe('My score');
    expect(metricHelp('myScore')).toBeUndefined();
  });

  it('understands other spellings of the same metric', () => {
    expect(metricLabel('roc_auc')).toBe('ROC AUC');
    expect(metricLabel('auc')).toBe('ROC AUC');
    expect(metricLabel('balanced_accuracy')).toBe('Balanced accuracy');
    expect(metricHelp('roc_auc')).toBe(metricHelp('rocAuc'));
    expect(isLowerBetter('log_loss')).toBe(true);
  });

  it('treats the other errors and losses as lower-is-better too, and unknown metrics as higher-is-better', () => {
    expect(isLowerBetter('mse')).toBe(true);
    expect(isLowerBetter('logLoss')).toBe(true);
    expect(isLowerBetter('zeta')).toBe(false);
  });
});

describe('headline', () => {
  it('picks the first finite metric in the task order', () => {
    expect(headlineOf({ captureAt20: 0.62, accuracy: 0.8, balancedAccuracy: 0.7, rocAuc: 0.91 })).toEqual({ name: 'captureAt20', value: 0.62 });
    expect(headlineOf({ captureAt20: Number.NaN, accuracy: 0.8, balancedAccuracy: 0.7 })).toEqual({ name: 'accuracy', value: 0.8 });
    expect(headlineOf({ balancedAccuracy: 0.7, rocAuc: 0.9 })).toEqual({ name: 'balancedAccuracy', value: 0.7 });
    expect(headlineOf({ r2: 0.6, mae: 2 })).toEqual({ name: 'mae', value: 2 });
    expect(headlineOf({ r2: 0.6, accuracy: 0.8 }, 'classification')).toEqual({ name: 'accuracy', value: 0.8 });
    expect(headlineOf({ rocAuc: 0.9 })).toBeNull();
  });

  it('reads as a sentence that fits the task, naming the answer or the column', () => {
    expect(headlineSentence({ name: 'captureAt20', value: 0.6234, subject: 'yes' })).toBe('Finds 62% of the customers who will say “yes” if you call the top 20%');
    expect(headlineSentence({ name: 'captureAt20', value: 0.5 })).toBe('Finds 50% of the customers who will say yes if you call the top 20%');
    expect(headlineSentence({ name: 'accuracy', value: 0.9271 })).toBe('Right 93 times out of 100');
    expect(headlineSentence({ name: 'mae', value: 1.2345, subject: 'Sales' })).toBe('Typically off by ±1.2 (in units of Sales)');
    expect(headlineSentence({ name: 'mae', value: 1234.5 })).toBe('Typically off by ±1,235');
    // Older runs kept other headlines: they read as label and value.
    expect(headlineSentence({ name: 'rocAuc', value: 0.91234 })).toBe('ROC AUC 0.912');
  });

  it('names the detail beneath each headline when the metrics have it', () => {
    const metrics = { captureAt20: 0.62, rocAuc: 0.9098, accuracy: 0.9, balancedAccuracy: 0.71, mae: 1.2, r2: 0.8934 };
    expect(headlineDetail({ name: 'captureAt20', value: 0.62 }, metrics)).toBe('ROC AUC 0.910');
    expect(headlineDetail({ name: 'accuracy', value: 0.9 }, metrics)).toBe('Balanced accuracy 71.0%');
    expect(headlineDetail({ name: 'mae', value: 1.2 }, metrics)).toBe('R² 0.893');
    expect(headlineDetail({ name: 'accuracy', value: 0.9 }, {})).toBeNull();
    expect(headlineDetail({ name: 'rocAuc', value: 0.9 }, metrics)).toBeNull();
  });
});

describe('formatting', () => {
  it('formats values by the metric format', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatMetricValue('accuracy', 0.9123)).toBe('91.2%');
    expect(formatMetricValue('rocAuc', 0.91234)).toBe('0.912');
    expect(formatMetricValue('mae', 3.4567)).toBe('3.46');
    expect(formatUnits(0.4833)).toBe('0.48');
    expect(formatUnits(12.34)).toBe('12');
  });
});

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
    expect(sortMetricNames(['zeta', 'rmse', 'accuracy', 'r2', 'rocAuc', 'alpha'])).toEqual(['accuracy', 'rocAuc', 'r2', 'rmse', 'alpha', 'zeta']);
  });
});
