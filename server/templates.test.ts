import { beforeAll, describe, expect, it } from 'vitest';
import { executeGraph } from './engine/execute';
import { validateGraph } from './engine/validate';
import { storedFiles } from './datasets';
import { registry } from './runs/registry';
import { findTemplate, templates } from './templates';
import { initBackend } from './tf-backend';
import { headlineSentence } from '../models/evaluation/metric-vocabulary';

// Reference values: scikit-learn 1.2 fitted on the very rows of each template's split
// (scripts/export-template-split.ts, then scripts/sklearn-template-check.py).
const SKLEARN = {
  'campaign-response': { accuracy: 0.8507132588742674, balancedAccuracy: 0.834701939955943, macroF1: 0.7353153983365526, rocAuc: 0.9097520989852191, captureAt20: 0.775047258979206 },
  'sales-forecast': { r2: 0.9213494245263174, mae: 1.0349426156431203, rmse: 1.302884302381046 },
};

beforeAll(async () => {
  await initBackend();
});

describe('built-in templates', () => {
  it('are valid graphs', () => {
    for (const template of templates) expect(validateGraph(template.graph, registry)).toEqual([]);
  });

  it('forecasts sales with the same numbers as scikit-learn on the same split', async () => {
    const outcome = await executeGraph({ graph: findTemplate('sales-forecast')!.graph, registry, ...storedFiles });
    expect(outcome.status).toBe('succeeded');
    const metrics = outcome.results.get('evaluate')!.metrics!;
    for (const [name, value] of Object.entries(SKLEARN['sales-forecast'])) expect(metrics[name]).toBeCloseTo(value, 9);
    expect(outcome.headline).toEqual({ name: 'mae', value: metrics.mae, subject: 'Sales' });
    expect(headlineSentence(outcome.headline!)).toBe('Typically off by ±1.0 (in units of Sales)');
  });

  it('predicts campaign response like scikit-learn on the same split', async () => {
    const outcome = await executeGraph({ graph: findTemplate('Predict campaign response')!.graph, registry, ...storedFiles });
    expect(outcome.status).toBe('succeeded');
    const metrics = outcome.results.get('evaluate')!.metrics!;
    const reference = SKLEARN['campaign-response'];
    expect(metrics.rocAuc).toBeCloseTo(reference.rocAuc, 4);
    expect(metrics.accuracy).toBeCloseTo(reference.accuracy, 3);
    expect(metrics.balancedAccuracy).toBeCloseTo(reference.balancedAccuracy, 3);
    expect(metrics.captureAt20).toBeCloseTo(reference.captureAt20, 4);
    expect(outcome.headline).toEqual({ name: 'captureAt20', value: metrics.captureAt20, subject: 'yes' });
    expect(headlineSentence(outcome.headline!)).toBe('Finds 78% of the customers who will say “yes” if you call the top 20%');
    const split = outcome.results.get('split')!.preview;
    expect(split).toMatchObject({ kind: 'split', trainRows: 36168, testRows: 9043, task: 'classification' });
  });
});
