import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { getRun } from '../db/runs';
import { predictWithEndpoint, publishEndpoint } from '../server/endpoints';
import { explanationAsked } from '../server/endpoint-explanations';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import type { EvaluationPreview, ModelPreview, TablePreview } from './preview';
import { readModelFile } from './data-model';
import { reasonsForRows } from './lib/explanations';
import { storedArtifacts } from '../server/datasets';
import { restoreEstimator } from '../models/estimators';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from './test-harness';

let db: Db;
let trainingFile: string;
let newCustomers: string;

beforeAll(async () => {
  db = await useTempDataDir();
  trainingFile = await uploadCsv(db, 'customers.csv', customerRows(400));
  newCustomers = await uploadCsv(db, 'new-customers.csv', customerRows(25, 99, false));
});

/** Spend and visits drive "bought"; region is noise (test-harness.ts). */
const pipeline = (scoreParams: Record<string, unknown> = { addReasons: true }) =>
  graph(
    {
      data: ['data.csv', { dataset: trainingFile, target: 'bought' }],
      encode: ['prep.oneHot'],
      scale: ['prep.normalize'],
      split: ['prep.split', { testFraction: 0.25, seed: 3 }],
      logistic: ['model.logisticRegression'],
      tree: ['model.decisionTree', { maxDepth: 3, minSamplesLeaf: 5 }],
      svm: ['model.svm'],
      evaluate: ['eval.evaluate'],
      list: ['data.csv', { dataset: newCustomers }],
      score: ['predict.score', scoreParams],
      scoreSvm: ['predict.score', scoreParams],
    },
    [
      'data.table -> encode.table',
      'encode.table -> scale.table',
      'scale.table -> split.table',
      'split.split -> logistic.data',
      'split.split -> tree.data',
      'split.split -> svm.data',
      'logistic.model -> evaluate.model',
      'tree.model -> evaluate.model',
      'svm.model -> evaluate.model',
      'split.split -> evaluate.data',
      'logistic.model -> score.model',
      'list.table -> score.table',
      'svm.model -> scoreSvm.model',
      'list.table -> scoreSvm.table',
    ],
  );

describe('see why', () => {
  it('ranks the original columns by permutation importance for every model in Evaluate', async () => {
    const outcome = await run(pipeline());
    expect(outcome.error).toBeFalsy();
    const preview = outcome.results.get('evaluate')!.preview as EvaluationPreview;
    expect(preview.models).toHaveLength(3);
    for (const model of preview.models) {
      const importance = model.importance!;
      expect(importance.metric).toBe('rocAuc');
      expect(importance.repeats).toBe(5);
      // The one-hot columns of "region" are shuffled as one column, named as the user knows it.
      expect(importance.columns.map((c) => c.column).sort()).toEqual(['region', 'spend', 'visits']);
      const byName = Object.fromEntries(importance.columns.map((c) => [c.column, c.mean]));
      expect(Math.max(byName.spend, byName.visits)).toBeGreaterThan(0.05);
      expect(Math.abs(byName.region)).toBeLessThan(Math.max(byName.spend, byName.visits));
    }
  }, 120_000);

  it('adds three reasons in words to every scored row, exact for logistic, sampled for the SVM', async () => {
    const outcome = await run(pipeline());
    for (const id of ['score', 'scoreSvm']) {
      const preview = outcome.results.get(id)!.preview as TablePreview;
      const columns = preview.columns.map((c) => c.name);
      expect(columns.slice(-3)).toEqual(['reason 1', 'reason 2', 'reason 3']);
      const first = preview.rows[0].slice(-3) as string[];
      expect(first[0]).toMatch(/^(spend [\d.,]+|visits \d+|region = \w+) (raises|lowers) the chance of “yes”$/);
      expect(new Set(first.map((reason) => reason.split(' ')[0])).size).toBe(3);
      expect(preview.notes!.join(' ')).toMatch(id === 'score' ? /exact, from the coefficients/ : /estimated by sampling/);
    }
    const plain = await run(pipeline({ addReasons: false }));
    expect((plain.results.get('score')!.preview as TablePreview).columns.some((c) => c.name.startsWith('reason'))).toBe(false);
  }, 120_000);

  it('answers the prediction API with reasons only when asked', async () => {
    const { runId, done } = await startRun(db, new InProcessExecutor(), { graph: pipeline(), pipelineId: null, label: 'api', origin: 'cli', workspaceId: null, startedBy: null });
    await done;
    expect((await getRun(db, runId))!.status).toBe('succeeded');
    const { id, token } = await publishEndpoint(db, { runId, nodeId: 'logistic', name: 'Who buys', workspaceId: null, createdBy: null });
    const rows = [{ spend: 90, visits: 15, region: 'north' }];
    const plain = await predictWithEndpoint(db, id, `Bearer ${token}`, { rows });
    expect(plain.predictions[0].reasons).toBeUndefined();
    const explained = await predictWithEndpoint(db, id, `Bearer ${token}`, { rows, explain: true });
    const reasons = explained.predictions[0].reasons as string[];
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^(spend 90|visits 15) raises the chance of “yes”$/);
    const byQuery = await predictWithEndpoint(db, id, `Bearer ${token}`, { rows }, performance.now(), { explain: true });
    expect(byQuery.predictions[0].reasons).toEqual(reasons);
    const many = Array.from({ length: 101 }, () => rows[0]);
    await expect(predictWithEndpoint(db, id, `Bearer ${token}`, { rows: many, explain: true })).rejects.toThrow('the limit is 100 rows per request with explanations');
    expect((await predictWithEndpoint(db, id, `Bearer ${token}`, { rows: many })).predictions).toHaveLength(101);
  }, 120_000);

  it('explains a tree saved before explanations existed, and asks to retrain the other models', async () => {
    const outcome = await run(pipeline());
    const load = (id: string) => {
      const { model } = readModelFile(storedArtifacts.read((outcome.results.get(id)!.preview as ModelPreview).download!.hash));
      delete model.explanation;
      return model;
    };
    const rows = { columns: [{ name: 'spend', type: 'number' as const, values: Float64Array.of(90) }, { name: 'visits', type: 'number' as const, values: Float64Array.of(15) }, { name: 'region', type: 'category' as const, values: ['north'] }], rowCount: 1 };
    const tree = load('tree');
    expect(reasonsForRows(tree, restoreEstimator(tree.estimator), rows).reasons[0][0]).toMatch(/raises the chance of “yes”$/);
    const logistic = load('logistic');
    expect(() => reasonsForRows(logistic, restoreEstimator(logistic.estimator), rows)).toThrow(/trained before Pipelab could explain its answers/);
  }, 120_000);

  it('explains a regression: importance on R², reasons as changes of the forecast', async () => {
    const outcome = await run(
      graph(
        {
          data: ['data.csv', { dataset: trainingFile, target: 'visits' }],
          encode: ['prep.oneHot'],
          split: ['prep.split', { testFraction: 0.25, seed: 3 }],
          linear: ['model.linearRegression'],
          curved: ['model.linearRegression', { degree: 2 }],
          evaluate: ['eval.evaluate'],
          score: ['predict.score', { addReasons: true }],
        },
        ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> linear.data', 'split.split -> curved.data', 'linear.model -> evaluate.model', 'curved.model -> evaluate.model', 'split.split -> evaluate.data', 'curved.model -> score.model', 'data.table -> score.table'],
      ),
    );
    expect(outcome.error).toBeFalsy();
    const evaluation = outcome.results.get('evaluate')!.preview as EvaluationPreview;
    for (const model of evaluation.models) {
      expect(model.importance!.metric).toBe('r2');
      expect(model.importance!.columns.map((c) => c.column).sort()).toEqual(['bought', 'region', 'spend']);
    }
    const scored = outcome.results.get('score')!.preview as TablePreview;
    expect(scored.notes!.join(' ')).toMatch(/estimated by sampling/);
    expect(scored.rows[0].at(-3)).toMatch(/^(spend [\d.,]+|bought = (yes|no)|region = \w+) (raises|lowers) the forecast by [\d.,]+$/);
  }, 120_000);

  it('reads the explain flag from the address or the body', () => {
    expect(explanationAsked('http://x/api/predict/a?explain=1', {})).toBe(true);
    expect(explanationAsked('http://x/api/predict/a?explain=true', {})).toBe(true);
    expect(explanationAsked('http://x/api/predict/a?explain=0', {})).toBe(false);
    expect(explanationAsked('http://x/api/predict/a', { explain: true })).toBe(true);
    expect(explanationAsked('http://x/api/predict/a', { explain: 'yes' })).toBe(false);
    expect(explanationAsked(null, null)).toBe(false);
  });
});
