import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { getRun } from '../db/runs';
import { storedArtifacts } from '../server/datasets';
import { EndpointError, predictWithEndpoint, publishEndpoint } from '../server/endpoints';
import { revokeEndpoint } from '../db/endpoints';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import { readModelFile } from './data-model';
import type { EvaluationPreview, ModelPreview, SplitPreview, TablePreview } from './preview';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from './test-harness';
import type { SplitValue } from './values';

let db: Db;
let trainingFile: string;
let newCustomers: string;

beforeAll(async () => {
  db = await useTempDataDir();
  trainingFile = await uploadCsv(db, 'customers.csv', customerRows(400));
  newCustomers = await uploadCsv(db, 'new-customers.csv', customerRows(25, 99, false));
});

const customerPipeline = (extraNodes: Record<string, [string, Record<string, unknown>?]> = {}, extraWires: string[] = []) =>
  graph(
    {
      data: ['data.csv', { dataset: trainingFile, target: 'bought' }],
      encode: ['prep.oneHot'],
      scale: ['prep.normalize'],
      split: ['prep.split', { testFraction: 0.25, seed: 3 }],
      logistic: ['model.logisticRegression'],
      tree: ['model.decisionTree', { maxDepth: 3, minSamplesLeaf: 5 }],
      evaluate: ['eval.evaluate'],
      ...extraNodes,
    },
    [
      'data.table -> encode.table',
      'encode.table -> scale.table',
      'scale.table -> split.table',
      'split.split -> logistic.data',
      'split.split -> tree.data',
      'logistic.model -> evaluate.model',
      'tree.model -> evaluate.model',
      'split.split -> evaluate.data',
      ...extraWires,
    ],
  );

describe('comparing models', () => {
  it('ranks several regressions on one leaderboard with cross-validation', async () => {
    const outcome = await run(
      graph(
        {
          data: ['data.sample', { sample: 'advertising' }],
          columns: ['prep.selectColumns', { features: ['TV', 'Radio', 'Newspaper'] }],
          split: ['prep.split', { seed: 42 }],
          straight: ['model.linearRegression', { degree: 1 }],
          curved: ['model.linearRegression', { degree: 2 }],
          tree: ['model.decisionTree', { maxDepth: 4, minSamplesLeaf: 5 }],
          evaluate: ['eval.evaluate', { folds: 5 }],
        },
        [
          'data.table -> columns.table',
          'columns.table -> split.table',
          'split.split -> straight.data',
          'split.split -> curved.data',
          'split.split -> tree.data',
          'straight.model -> evaluate.model',
          'curved.model -> evaluate.model',
          'tree.model -> evaluate.model',
          'split.split -> evaluate.data',
        ],
      ),
    );
    expect(outcome.status).toBe('succeeded');
    const report = outcome.results.get('evaluate')!.preview as EvaluationPreview;
    // Two nodes of one kind are told apart by number, never by their internal ids.
    expect(report.models.map((m) => m.model)).toEqual(['Linear regression', 'Linear regression 2', 'Decision tree']);
    expect(report.metricNames).toEqual(['mae', 'r2', 'rmse']);
    // TV × Radio interaction: the degree-2 fit is the best on every metric (ISLR, section 3.3).
    expect(report.best).toEqual({ r2: 1, mae: 1, rmse: 1 });
    expect(report.models[0].metrics.r2).toBeCloseTo(0.9213494245263174, 9);
    expect(report.models[1].metrics.r2).toBeGreaterThan(0.98);
    expect(report.folds).toBe(5);
    const cv = report.models[1].crossValidation!;
    expect(cv.r2.mean).toBeGreaterThan(0.95);
    expect(cv.r2.std).toBeGreaterThan(0);
    expect(outcome.headline).toEqual({ name: 'mae', value: report.models[1].metrics.mae, subject: 'Sales' });
  });

  it('compares classifiers with ROC curves and marks the best per metric', async () => {
    const outcome = await run(customerPipeline());
    expect(outcome.status).toBe('succeeded');
    const report = outcome.results.get('evaluate')!.preview as EvaluationPreview;
    expect(report.metricNames).toEqual(['captureAt20', 'accuracy', 'balancedAccuracy', 'rocAuc', 'macroF1']);
    for (const model of report.models) {
      expect(model.roc!.fpr[0]).toBe(0);
      expect(model.roc!.tpr.at(-1)).toBe(1);
      expect(model.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(report.testRows);
    }
    const aucs = report.models.map((m) => m.metrics.rocAuc);
    expect(report.best.rocAuc).toBe(aucs.indexOf(Math.max(...aucs)));
    const captured = report.models.map((m) => m.metrics.captureAt20);
    expect(report.best.captureAt20).toBe(captured.indexOf(Math.max(...captured)));
    expect(outcome.headline).toMatchObject({ name: 'captureAt20', value: Math.max(...captured) });
    const tree = outcome.results.get('tree')!.preview as ModelPreview;
    expect(tree.tree![0].rule).toMatch(/≤/);
    expect(tree.importances![0].importance).toBeGreaterThan(0);
    expect(tree.importances!.reduce((a, b) => a + b.importance, 0)).toBeCloseTo(1, 9);
  });

  it('refuses a logistic regression on numbers, naming the way out', async () => {
    const outcome = await run(
      graph(
        { data: ['data.sample', { sample: 'advertising' }], split: ['prep.split'], model: ['model.logisticRegression'] },
        ['data.table -> split.table', 'split.split -> model.data'],
      ),
    );
    expect(outcome.error).toBe(
      'Logistic regression: Logistic regression cannot predict this: "Sales" holds numbers to estimate; use Linear regression or a Decision tree instead.',
    );
  });
});

describe('balancing and feature extraction', () => {
  it('over-samples the training rows only', async () => {
    const outcome = await run(
      customerPipeline({ balance: ['prep.balance', { method: 'oversample' }] }, ['split.split -> balance.split']),
    );
    const before = outcome.results.get('split')!.preview as SplitPreview;
    const after = outcome.results.get('balance')!.preview as SplitPreview;
    expect(after.testRows).toBe(before.testRows);
    expect(after.classBalance!.map((c) => c.train)).toEqual([0.5, 0.5]);
    expect(after.classBalance!.map((c) => c.test)).toEqual(before.classBalance!.map((c) => c.test));
    expect(after.trainRows).toBeGreaterThan(before.trainRows);
  });

  it('fits PCA on the training rows only and keeps the best columns by F test', async () => {
    const outcome = await run(
      graph(
        {
          data: ['data.sample', { sample: 'advertising' }],
          columns: ['prep.selectColumns', { features: ['TV', 'Radio', 'Newspaper'] }],
          pca: ['features.pca', { components: 2 }],
          split: ['prep.split', { seed: 1 }],
        },
        ['data.table -> columns.table', 'columns.table -> pca.table', 'pca.table -> split.table'],
      ),
    );
    const preview = outcome.results.get('pca')!.preview as TablePreview;
    expect(preview.columns.map((c) => c.name)).toEqual(['PC1', 'PC2', 'Sales']);
    expect(preview.explainedVariance!.at(-1)!.cumulative).toBeLessThan(1);
    const split = outcome.results.get('split')!.outputs.split as SplitValue;
    const pcaState = split.preprocessing.steps.find((s) => s.spec.kind === 'pca')!.state as { pca: { mean: number[] } };
    const tv = split.rawTrain.columns.find((c) => c.name === 'TV')!.values as Float64Array;
    expect(pcaState.pca.mean[0]).toBeCloseTo(tv.reduce((a, b) => a + b, 0) / tv.length, 9);

    const select = await run(
      graph(
        {
          data: ['data.sample', { sample: 'advertising' }],
          columns: ['prep.selectColumns', { features: ['TV', 'Radio', 'Newspaper'] }],
          best: ['features.select', { k: 2 }],
        },
        ['data.table -> columns.table', 'columns.table -> best.table'],
      ),
    );
    const ranking = (select.results.get('best')!.preview as TablePreview).ranking!;
    expect(ranking.map((r) => [r.feature, r.kept])).toEqual([
      ['TV', true],
      ['Radio', true],
      ['Newspaper', false],
    ]);
  });
});

describe('training on every row', () => {
  const everyRow = (evaluate: Record<string, unknown>) =>
    graph(
      {
        data: ['data.csv', { dataset: trainingFile, target: 'bought' }],
        encode: ['prep.oneHot'],
        scale: ['prep.normalize'],
        split: ['prep.split', { testFraction: 0, seed: 3 }],
        pca: ['features.pca', { components: 2 }],
        logistic: ['model.logisticRegression'],
        tree: ['model.decisionTree', { maxDepth: 3 }],
        evaluate: ['eval.evaluate', evaluate],
      },
      [
        'data.table -> encode.table',
        'encode.table -> scale.table',
        'scale.table -> pca.table',
        'pca.table -> split.table',
        'split.split -> logistic.data',
        'split.split -> tree.data',
        'logistic.model -> evaluate.model',
        'tree.model -> evaluate.model',
        'split.split -> evaluate.data',
      ],
    );

  it('keeps no test rows when asked, and Evaluate scores the models by cross-validation', async () => {
    const outcome = await run(everyRow({ folds: 5 }));
    expect(outcome.error).toBeNull();
    const split = outcome.results.get('split')!.preview as { trainRows: number; testRows: number };
    expect([split.trainRows, split.testRows]).toEqual([400, 0]);
    expect((outcome.results.get('logistic')!.preview as ModelPreview).trainRows).toBe(400);
    const evaluation = outcome.results.get('evaluate')!.preview as EvaluationPreview;
    expect(evaluation.testRows).toBe(0);
    for (const model of evaluation.models) {
      expect(model.metrics.accuracy).toBeCloseTo(model.crossValidation!.accuracy.mean, 12);
      expect(model.summary[0]).toMatch(/^Trained on all 400 rows \(no test rows\); the figures are the means of 5-fold cross-validation\.$/);
    }
  });

  it('asks for cross-validation when there are no test rows to score on', async () => {
    const outcome = await run(everyRow({}));
    expect(outcome.error).toMatch(/The split keeps no test rows: set "Repeat on parts of the training rows \(cross-validation folds\)" to 2 or more/);
  });
});

describe('scoring new rows', () => {
  it('scores a customer list without the target, most likely first, as a downloadable CSV', async () => {
    const outcome = await run(
      customerPipeline({ list: ['data.csv', { dataset: newCustomers }], score: ['predict.score'] }, [
        'logistic.model -> score.model',
        'list.table -> score.table',
      ]),
    );
    expect(outcome.status).toBe('succeeded');
    const preview = outcome.results.get('score')!.preview as TablePreview;
    expect(preview.rowCount).toBe(25);
    expect(preview.columns.map((c) => c.name)).toEqual(['spend', 'visits', 'region', 'predicted bought', 'probability of yes']);
    const probabilities = preview.rows.map((row) => row[4] as number);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
    const csv = new TextDecoder().decode(storedArtifacts.read(preview.download!.hash)).split('\n');
    expect(csv[0]).toBe('spend,visits,region,predicted bought,probability of yes');
    expect(csv).toHaveLength(26);
  });

  it('scores new rows with a regression tree (it has no probabilities to give)', async () => {
    const spending = await uploadCsv(db, 'spending.csv', customerRows(300, 5, false));
    const outcome = await run(
      graph(
        {
          data: ['data.csv', { dataset: spending, target: 'spend' }],
          encode: ['prep.oneHot'],
          split: ['prep.split', { testFraction: 0.25, seed: 1 }],
          tree: ['model.decisionTree', { maxDepth: 3 }],
          list: ['data.csv', { dataset: newCustomers }],
          score: ['predict.score'],
        },
        ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> tree.data', 'tree.model -> score.model', 'list.table -> score.table'],
      ),
    );
    expect(outcome.error).toBeNull();
    const preview = outcome.results.get('score')!.preview as TablePreview;
    expect(preview.columns.map((c) => c.name)).toContain('predicted spend');
    expect(preview.rows.every((row) => typeof row[preview.columns.findIndex((c) => c.name === 'predicted spend')] === 'number')).toBe(true);
  });

  it('names the columns a scored table lacks', async () => {
    const partial = await uploadCsv(db, 'partial.csv', ['spend,region', '10,north', '20,south']);
    const outcome = await run(
      customerPipeline({ list: ['data.csv', { dataset: partial }], score: ['predict.score'] }, ['tree.model -> score.model', 'list.table -> score.table']),
    );
    expect(outcome.error).toMatch(/Score new rows: The new rows do not fit the model: .*"visits"/);
  });

  it('loads a downloaded model in another pipeline and predicts the same', async () => {
    const first = await run(customerPipeline({ list: ['data.csv', { dataset: newCustomers }], score: ['predict.score'] }, ['tree.model -> score.model', 'list.table -> score.table']));
    const download = (first.results.get('tree')!.preview as ModelPreview).download!;
    const file = readModelFile(storedArtifacts.read(download.hash));
    expect(file.model.modelType).toBe('model.decisionTree');
    const second = await run(
      graph(
        { saved: ['data.model', { model: download.hash }], list: ['data.csv', { dataset: newCustomers }], score: ['predict.score'] },
        ['saved.model -> score.model', 'list.table -> score.table'],
      ),
    );
    expect((second.results.get('score')!.preview as TablePreview).rows).toEqual((first.results.get('score')!.preview as TablePreview).rows);
  });
});

describe('prediction endpoints', () => {
  it('answers with the token, refuses without it, and stops when unpublished', async () => {
    const { runId, done } = await startRun(db, new InProcessExecutor(), { graph: customerPipeline(), pipelineId: null, label: 'api', origin: 'cli', workspaceId: null, startedBy: null });
    await done;
    expect((await getRun(db, runId))!.status).toBe('succeeded');
    const { id, token, url } = await publishEndpoint(db, { runId, nodeId: 'logistic', name: 'Who buys', workspaceId: null, createdBy: null });
    expect(url).toBe(`/api/predict/${id}`);
    const rows = [
      { spend: 90, visits: 15, region: 'north' },
      { spend: 1, visits: 0, region: 'east' },
    ];
    const answer = await predictWithEndpoint(db, id, `Bearer ${token}`, { rows });
    expect(answer.predictions.map((p) => p['predicted bought'])).toEqual(['yes', 'no']);
    expect(answer.predictions[0]['probability of yes']).toBeGreaterThan(0.9);
    await expect(predictWithEndpoint(db, id, 'Bearer nope', { rows })).rejects.toThrow(EndpointError);
    await expect(predictWithEndpoint(db, id, `Bearer ${token}`, { rows: [{ spend: 'lots', visits: 1, region: 'north' }] })).rejects.toThrow(
      'Row 1, column "spend": expected a number, got "lots".',
    );
    await revokeEndpoint(db, id);
    await expect(predictWithEndpoint(db, id, `Bearer ${token}`, { rows })).rejects.toThrow(/unpublished/);
  });
});
