import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { predictionsByIds, pruneOldPredictions, prunePredictionsBeyond, savePredictions } from '../../db/endpoint-predictions';
import { getRun } from '../../db/runs';
import { makeWorkspace } from '../../db/test-fixtures';
import type { EvaluationPreview } from '../../nodes/preview';
import { customerRows, graph, uploadCsv, useTempDataDir } from '../../nodes/test-harness';
import type { Actor } from '../auth/guard';
import { predictWithEndpoint, publishEndpoint } from '../endpoints';
import { InProcessExecutor } from '../runs/in-process';
import { startRun } from '../runs/service';
import { accuracySentence, accuracySeries } from './accuracy';
import { outcomesFromCsv } from './outcome-input';
import { readActual, recordOutcomeFileFor, serveOutcomes } from './outcomes';
import { flushPredictions, timeOrderedId } from './prediction-log';
import { monitoringReport } from './report';
import { MINUTE_MS } from './traffic-minute';

let db: Db;
let actor: Actor;
const classifier = { id: '', token: '', trainingAccuracy: 0 };
const regressor = { id: '', token: '', trainingMae: 0 };

function customers(count: number, seed: number) {
  const [, ...lines] = customerRows(count, seed, false);
  return lines.map((line) => {
    const [spend, visits, region] = line.split(',');
    return { spend: Number(spend), visits: Number(visits), region };
  });
}

/** Trains and publishes one model with an evaluation step beside it; returns its API and its test metrics. */
async function publishTrained(dataset: string, target: string, modelType: string) {
  const pipeline = graph(
    { data: ['data.csv', { dataset, target }], encode: ['prep.oneHot'], split: ['prep.split', { testFraction: 0.25, seed: 3 }], model: [modelType], evaluate: ['eval.evaluate'] },
    ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data', 'model.model -> evaluate.model', 'split.split -> evaluate.data'],
  );
  const { runId, done } = await startRun(db, new InProcessExecutor(), { graph: pipeline, pipelineId: null, label: 'outcomes', origin: 'cli', workspaceId: actor.workspaceId, startedBy: null });
  await done;
  const run = (await getRun(db, runId))!;
  expect(run.status).toBe('succeeded');
  const metrics = (run.nodes.evaluate.preview as EvaluationPreview).models[0].metrics;
  const published = await publishEndpoint(db, { runId, nodeId: 'model', name: target, workspaceId: actor.workspaceId, createdBy: null });
  return { ...published, metrics };
}

beforeAll(async () => {
  db = await useTempDataDir();
  const workspace = await makeWorkspace(db);
  actor = { userId: workspace.userId, name: 'Owner', email: 'o@example.test', workspaceId: workspace.workspaceId, workspaceName: 'Test', role: 'editor' };
  const dataset = await uploadCsv(db, 'customers.csv', customerRows(400));
  const yesNo = await publishTrained(dataset, 'bought', 'model.logisticRegression');
  Object.assign(classifier, { id: yesNo.id, token: yesNo.token, trainingAccuracy: yesNo.metrics.accuracy });
  const amounts = await publishTrained(dataset, 'spend', 'model.linearRegression');
  Object.assign(regressor, { id: amounts.id, token: amounts.token, trainingMae: amounts.metrics.mae });
});

async function predictions(api: { id: string; token: string }, rows: Record<string, unknown>[]) {
  // The spend model takes the other columns, "bought" among them.
  if (api === regressor) rows = rows.map(({ spend: _answer, ...row }) => ({ ...row, bought: 'yes' }));
  return (await predictWithEndpoint(db, api.id, `Bearer ${api.token}`, { rows })).predictions as Record<string, string | number | null>[];
}

function post(api: { id: string; token: string }, body: string, contentType = 'application/json', token = api.token) {
  const request = new Request(`http://localhost/api/predict/${api.id}/outcomes`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': contentType } });
  return serveOutcomes(db, api.id, request);
}

const json = (outcomes: unknown[]) => JSON.stringify({ outcomes });

describe('prediction ids', () => {
  it('gives every answered row its own id, stored with what was predicted', async () => {
    const answered = await predictions(classifier, customers(3, 5));
    const ids = answered.map((p) => p.predictionId as string);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Time first: ids of later answers sort after earlier ones.
    expect(timeOrderedId(Date.UTC(2030, 0, 1)) > timeOrderedId(Date.UTC(2029, 11, 31))).toBe(true);
    await flushPredictions();
    const stored = await predictionsByIds(db, classifier.id, ids);
    expect(stored.map((row) => row.predictedLabel).sort()).toEqual(answered.map((p) => p['predicted bought']).sort());
    expect(stored.every((row) => row.probability !== null && row.outcomeAt === null)).toBe(true);
  });

  it('shares one request id among the rows of a request, the row index in hex after it, and resolves only rows it answered', async () => {
    const answered = await predictions(classifier, customers(20, 6));
    const ids = answered.map((p) => p.predictionId as string);
    expect(new Set(ids.map((id) => id.slice(0, 32))).size).toBe(1);
    expect(ids.map((id) => parseInt(id.slice(32), 16))).toEqual(ids.map((_, i) => i));
    await flushPredictions();
    expect((await predictionsByIds(db, classifier.id, ids)).map((r) => r.predictionId)).toEqual(ids);
    // Row 20 of a 20-row request, and a row of a request never answered, name no prediction.
    const beyond = ids[0].slice(0, 32) + '0014';
    const never = '00000000-0000-7000-8000-00000000' + '0000';
    expect(await predictionsByIds(db, classifier.id, [beyond, never, 'not-an-id'])).toEqual([]);
  });

  it('forgets predictions past the retention window, and those of an endpoint beyond its cap, whole minutes at a time', async () => {
    const requestId = (i: number) => `00000000-0000-7000-8000-0000000${i}`;
    const id = (i: number) => `${requestId(i)}0000`;
    const rows = [0, 1, 2, 3].map((i) => ({ endpointId: regressor.id, requestId: requestId(i), minute: i * MINUTE_MS, firstRow: 0, rowCount: 1, labels: null, predictedValues: `[${i}]`, probabilities: null }));
    await savePredictions(db, rows);
    const all = [0, 1, 2, 3].map(id);
    expect((await predictionsByIds(db, regressor.id, all)).map((r) => r.predictedValue)).toEqual([0, 1, 2, 3]);
    await pruneOldPredictions(db, MINUTE_MS);
    expect((await predictionsByIds(db, regressor.id, [id(0), id(1)])).map((r) => r.predictionId)).toEqual([id(1)]);
    await prunePredictionsBeyond(db, regressor.id, 2);
    // Every later prediction of the regressor (answered now) is newer; only the two oldest test rows go.
    expect((await predictionsByIds(db, regressor.id, all)).map((r) => r.predictionId).sort()).toEqual([id(2), id(3)]);
  });
});

describe('posting outcomes', () => {
  it('records a right and a wrong outcome, and refuses the same ones posted again as duplicates (409)', async () => {
    const [first, second] = await predictions(classifier, customers(2, 7));
    const flip = (label: unknown) => (label === 'yes' ? 'no' : 'yes');
    const answer = await post(classifier, json([{ predictionId: first.predictionId, actual: first['predicted bought'] }, { predictionId: second.predictionId, actual: flip(second['predicted bought']) }]));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 2, refusedCount: 0, message: 'Recorded 2 outcomes.' });
    const again = await post(classifier, json([{ predictionId: first.predictionId, actual: 'yes' }]));
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(`No outcome was recorded: Outcome 1: an outcome for prediction "${first.predictionId}" was already posted.`);
  });

  it('names an unknown prediction id (404), also one of another API', async () => {
    const [other] = await predictions(regressor, customers(1, 8));
    const answer = await post(classifier, json([{ predictionId: 'no-such-id', actual: 'yes' }, { predictionId: other.predictionId, actual: 'no' }]));
    expect(answer.status).toBe(404);
    expect(answer.body.refused.map((r) => r.error)).toEqual([
      'Outcome 1: unknown prediction id "no-such-id" (no answer of this API had it, or it is older than 30 days).',
      `Outcome 2: unknown prediction id "${other.predictionId}" (no answer of this API had it, or it is older than 30 days).`,
    ]);
  });

  it('refuses wrong types: a number for a yes/no model, a label it never saw, text for a number model, an id that is not text', async () => {
    const [row] = await predictions(classifier, customers(1, 9));
    const yesNo = await post(classifier, json([{ predictionId: row.predictionId, actual: 1 }, { predictionId: row.predictionId, actual: 'maybe' }, { predictionId: 42, actual: 'yes' }]));
    expect(yesNo.status).toBe(400);
    expect(yesNo.body.refused.map((r) => r.error)).toEqual([
      `Outcome 1, prediction "${row.predictionId}": actual should be one of the labels "no", "yes", got 1.`,
      `Outcome 2, prediction "${row.predictionId}": actual "maybe" is not a label this model knows (it knows "no", "yes").`,
      'Outcome 3: predictionId should be the id returned with the prediction (text), got 42.',
    ]);
    const [amount] = await predictions(regressor, customers(1, 10));
    const number = await post(regressor, json([{ predictionId: amount.predictionId, actual: 'lots' }]));
    expect(number.status).toBe(400);
    expect(number.body.error).toContain('actual should be a number, got "lots"');
  });

  it('takes a batch partly: the good outcomes are recorded, each bad one is listed with its reason', async () => {
    const [a, b] = await predictions(classifier, customers(2, 11));
    const answer = await post(classifier, json([{ predictionId: a.predictionId, actual: 'yes' }, { predictionId: a.predictionId, actual: 'no' }, { predictionId: b.predictionId, actual: 'nope' }]));
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.message).toMatch(/^Recorded 1 of 3 outcomes; 2 were refused/);
    expect(answer.body.refused.map((r) => [r.where, r.kind])).toEqual([
      ['Outcome 2', 'duplicate'],
      ['Outcome 3', 'type'],
    ]);
    expect(answer.body.refused[0].error).toBe(`Outcome 2: prediction "${a.predictionId}" already has an outcome in this post (Outcome 1).`);
  });

  it('reads a CSV upload and names the line of each refused outcome', async () => {
    const [a, b] = await predictions(regressor, customers(2, 12));
    const csv = ['predictionId,actual', `${a.predictionId},12.5`, '', `missing-id,3`, `"${b.predictionId}",abc`].join('\r\n');
    const answer = await post(regressor, csv, 'text/csv; charset=utf-8');
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.refused.map((r) => r.error)).toEqual([
      'Line 4: unknown prediction id "missing-id" (no answer of this API had it, or it is older than 30 days).',
      `Line 5, prediction "${b.predictionId}": actual should be a number, got "abc".`,
    ]);
  });

  it('refuses a CSV without the two columns, and checks the token first', async () => {
    await expect(post(classifier, 'id,outcome\nx,yes', 'text/csv')).rejects.toThrow('no predictionId and actual column (found: id, outcome)');
    await expect(post(classifier, json([{ predictionId: 'x', actual: 'yes' }]), 'application/json', 'wrong')).rejects.toThrow(/API token/);
    await expect(post(classifier, '{"outcomes": []}')).rejects.toThrow(/Send JSON like/);
    expect(outcomesFromCsv(new TextEncoder().encode('Prediction ID;Actual\nabc;yes'))).toEqual([{ where: 'Line 2', predictionId: 'abc', actual: 'yes' }]);
  });

  it('takes a CSV uploaded by a member of the workspace, and not by someone of another workspace', async () => {
    const [a] = await predictions(classifier, customers(1, 13));
    const summary = await recordOutcomeFileFor(db, actor, classifier.id, `predictionId,actual\n${a.predictionId},no\n`);
    expect(summary.accepted).toBe(1);
    await expect(recordOutcomeFileFor(db, { ...actor, workspaceId: 'elsewhere' }, classifier.id, 'predictionId,actual\nx,no')).rejects.toThrow('not found');
  });
});

describe('reading actual values', () => {
  it('takes a number or true/false only where the labels are spelled that way', () => {
    expect(readActual({ task: 'classification', classes: ['0', '1'] }, 1)).toEqual({ value: '1' });
    expect(readActual({ task: 'classification', classes: ['FALSE', 'TRUE'] }, true)).toEqual({ value: 'TRUE' });
    expect(readActual({ task: 'classification', classes: ['no', 'yes'] }, true)).toHaveProperty('error');
    expect(readActual({ task: 'regression', classes: [] }, ' 1e3 ')).toEqual({ value: 1000 });
    expect(readActual({ task: 'regression', classes: [] }, '0x10')).toHaveProperty('error');
    expect(readActual({ task: 'regression', classes: [] }, null)).toEqual({ error: 'has no actual value' });
  });
});

describe('live accuracy', () => {
  it('adds up outcome minutes into chart points: share right, or mean absolute error', () => {
    const rows = [
      { endpointId: 'e', minute: 0, outcomes: 4, correct: 3, absoluteErrorSum: 8 },
      { endpointId: 'e', minute: MINUTE_MS, outcomes: 1, correct: 0, absoluteErrorSum: 2 },
      { endpointId: 'e', minute: 3 * MINUTE_MS, outcomes: 5, correct: 5, absoluteErrorSum: 0 },
    ];
    expect(accuracySeries('accuracy', rows, 0, 3 * MINUTE_MS, 2 * MINUTE_MS).map((p) => [p.at, p.value, p.outcomes])).toEqual([
      [0, 3 / 5, 5],
      [2 * MINUTE_MS, 1, 5],
    ]);
    expect(accuracySeries('mae', rows, 0, 3 * MINUTE_MS, 2 * MINUTE_MS)[0].value).toBe(2);
    expect(accuracySeries('mae', [], 0, MINUTE_MS, MINUTE_MS).map((p) => p.value)).toEqual([null, null]);
  });

  it('says in plain words how the live figure compares with training', () => {
    const totals = { outcomes: 100, correct: 71, absoluteErrorSum: 320 };
    expect(accuracySentence('accuracy', totals, 0.84, 'week')).toBe('Right 71% of the time this week, below the 84% measured at training (from 100 outcomes).');
    expect(accuracySentence('accuracy', totals, 0.7, 'hour')).toBe('Right 71% of the time in the last hour, above the 70% measured at training (from 100 outcomes).');
    expect(accuracySentence('mae', totals, 2.1, 'day')).toBe('Off by 3.2 on average in the last 24 hours, worse than the 2.1 measured at training (from 100 outcomes).');
    expect(accuracySentence('accuracy', totals, null, 'month')).toContain('no figure was measured at training');
    expect(accuracySentence('accuracy', { outcomes: 0, correct: 0, absoluteErrorSum: 0 }, 0.8, 'hour')).toBeNull();
  });

  it('folds the recorded outcomes into the monitoring report, with the accuracy measured at training', async () => {
    const report = await monitoringReport(db, actor, classifier.id, 'hour');
    // Recorded above: right + wrong, 1 of the partial batch, 1 from the uploaded file.
    expect(report.accuracy.metric).toBe('accuracy');
    expect(report.accuracy.outcomes).toBe(4);
    expect(report.accuracy.training).toBeCloseTo(classifier.trainingAccuracy, 10);
    const point = report.accuracy.series.find((p) => p.outcomes > 0)!;
    expect(point.value).toBe(report.accuracy.live);
    expect(report.accuracy.sentence).toMatch(/^Right \d+% of the time in the last hour, (below|above|about the same as) the \d+% measured at training \(from 4 outcomes\)\.$/);

    const regression = await monitoringReport(db, actor, regressor.id, 'hour');
    expect(regression.accuracy.metric).toBe('mae');
    expect(regression.accuracy.outcomes).toBe(1);
    expect(regression.accuracy.training).toBeCloseTo(regressor.trainingMae, 10);
  });
});
