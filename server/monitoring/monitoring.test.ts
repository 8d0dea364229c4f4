import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { endpointHoursBetween, endpointMinutesBetween, saveEndpointMinute } from '../../db/endpoint-minutes';
import { getEndpoint } from '../../db/endpoints';
import { getRun } from '../../db/runs';
import { makeWorkspace } from '../../db/test-fixtures';
import { customerRows, graph, uploadCsv, useTempDataDir } from '../../nodes/test-harness';
import type { TrainingReference } from '../../nodes/lib/training-reference';
import type { Actor } from '../auth/guard';
import { predictWithEndpoint, publishEndpoint, servePrediction } from '../endpoints';
import { InProcessExecutor } from '../runs/in-process';
import { startRun } from '../runs/service';
import { currentMinute, flushTraffic } from './recorder';
import { monitoringReport } from './report';
import { emptyMinute, latencyPercentile, MINUTE_MS, recordRefusal, refusalReason } from './traffic-minute';

let db: Db;
let actor: Actor;
let endpoint: { id: string; token: string };

function customers(count: number, seed: number) {
  const [, ...lines] = customerRows(count, seed, false);
  return lines.map((line) => {
    const [spend, visits, region] = line.split(',');
    return { spend: Number(spend), visits: Number(visits), region };
  });
}

beforeAll(async () => {
  db = await useTempDataDir();
  const workspace = await makeWorkspace(db);
  actor = { userId: workspace.userId, name: 'Owner', email: 'o@example.test', workspaceId: workspace.workspaceId, workspaceName: 'Test', role: 'viewer' };
  const dataset = await uploadCsv(db, 'customers.csv', customerRows(400));
  const pipeline = graph(
    {
      data: ['data.csv', { dataset, target: 'bought' }],
      encode: ['prep.oneHot'],
      split: ['prep.split', { testFraction: 0.25, seed: 3 }],
      logistic: ['model.logisticRegression'],
    },
    ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> logistic.data'],
  );
  const { runId, done } = await startRun(db, new InProcessExecutor(), {
    graph: pipeline,
    pipelineId: null,
    label: 'monitoring',
    origin: 'cli',
    workspaceId: workspace.workspaceId,
    startedBy: null,
  });
  await done;
  expect((await getRun(db, runId))!.status).toBe('succeeded');
  endpoint = await publishEndpoint(db, { runId, nodeId: 'logistic', name: 'Who buys', workspaceId: workspace.workspaceId, createdBy: null });
});

const request = (body: string, token = endpoint.token) =>
  new Request('http://localhost/api/predict', { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });

describe('training reference kept with a published model', () => {
  it('profiles the raw input columns on deciles and categories, and the predictions', async () => {
    const reference = (await getEndpoint(db, endpoint.id))!.trainingReference as TrainingReference;
    expect(reference.rows).toBe(300);
    expect(reference.columns.map((c) => c.name)).toEqual(['spend', 'visits', 'region']);
    const spend = reference.columns[0];
    expect(spend.kind === 'number' && spend.edges).toHaveLength(9);
    expect(spend.counts.reduce((a, b) => a + b, 0)).toBe(300);
    const region = reference.columns[2];
    expect(region.kind === 'category' && [...region.categories].sort()).toEqual(['east', 'north', 'south']);
    expect(reference.predictions.map((c) => c.name)).toEqual(['predicted bought', 'probability of yes']);
  });
});

describe('monitoring a prediction API', () => {
  it('counts requests, refusals with their reasons, latency, and flags the column that moved', async () => {
    const traffic = customers(300, 11).map((row) => ({ ...row, spend: row.spend + 150 }));
    for (let i = 0; i < traffic.length; i += 30) await predictWithEndpoint(db, endpoint.id, `Bearer ${endpoint.token}`, { rows: traffic.slice(i, i + 30) });
    await expect(servePrediction(db, endpoint.id, request('{"rows": [{"spend": "lots", "visits": 1, "region": "north"}]}'))).rejects.toThrow(/expected a number/);
    await expect(servePrediction(db, endpoint.id, request('{"rows": [{"spend": "x", "visits": 1, "region": "north"}]}'))).rejects.toThrow();
    await expect(servePrediction(db, endpoint.id, request('{"rows": []}', 'wrong-token'))).rejects.toThrow(/API token/);
    await expect(servePrediction(db, 'no-such-api', request('{"rows": []}'))).rejects.toThrow(/No published model/);
    await flushTraffic();

    const report = await monitoringReport(db, actor, endpoint.id, 'hour');
    expect(report.totals).toMatchObject({ requests: 13, refused: 3, rowsScored: 300 });
    expect(report.totals.p50Ms).toBeGreaterThan(0);
    expect(report.totals.p99Ms).toBeGreaterThanOrEqual(report.totals.p50Ms!);
    expect(report.refusals).toEqual([
      { reason: '400: column "spend": expected a number.', count: 2 },
      { reason: '401: Missing or wrong API token (send "Authorization: Bearer <token>").', count: 1 },
    ]);
    expect(report.series).toHaveLength(61);
    expect(report.series.reduce((sum, point) => sum + point.requestsPerMinute, 0)).toBe(13);

    const spend = report.drift.find((d) => d.column === 'spend')!;
    expect(spend.level).toBe('major');
    expect(spend.flag).toMatch(/^The rows scored recently are higher in "spend" than those the model learned from/);
    // Every scored spend is above the training's top decile edge: the binned KS reads the 90% below it.
    expect(spend.ks!.statistic).toBeCloseTo(0.9, 10);
    expect(report.drift.find((d) => d.column === 'visits')!.level).not.toBe('major');
    expect(report.drift.find((d) => d.column === 'region')!.level).toBe('stable');
    // Richer customers are predicted to buy more often.
    expect(report.predictionDrift.find((d) => d.column === 'predicted bought')!.psi).toBeGreaterThan(0.1);
  });

  it('is not shown to another workspace', async () => {
    const other = await makeWorkspace(db, 'Other');
    await expect(monitoringReport(db, { ...actor, workspaceId: other.workspaceId }, endpoint.id, 'day')).rejects.toThrow(/not found/);
  });
});

describe('counting traffic per minute', () => {
  it('writes a minute when the next one starts, rewrites the open one, and adds up the rows of several processes', async () => {
    const start = Date.UTC(2026, 0, 1, 12, 0);
    recordRefusal(currentMinute(db, endpoint.id, start + 1_000), '400: one', 2);
    recordRefusal(currentMinute(db, endpoint.id, start + 2_000), '400: one', 4);
    await flushTraffic(start + 3_000);
    recordRefusal(currentMinute(db, endpoint.id, start + 4_000), '400: two', 8);
    // The next minute's first request sends the finished minute off.
    recordRefusal(currentMinute(db, endpoint.id, start + MINUTE_MS + 1), '413: big', 16);
    await flushTraffic(start + MINUTE_MS + 2);
    await saveEndpointMinute(db, { endpointId: endpoint.id, minute: start, writer: 'another-process', ...emptyMinute(), requests: 5, rowsScored: 7 });

    const rows = await endpointMinutesBetween(db, endpoint.id, start, start + MINUTE_MS);
    expect(rows.filter((r) => r.minute === start).map((r) => r.requests).sort()).toEqual([3, 5]);
    expect(rows.find((r) => r.minute === start + MINUTE_MS)!.refusals).toEqual({ '413: big': 1 });
    const report = await monitoringReport(db, actor, endpoint.id, 'hour', start + 30 * MINUTE_MS);
    expect(report.totals).toMatchObject({ requests: 9, refused: 4, rowsScored: 7 });
    expect(report.series.find((point) => point.at === start)).toMatchObject({ requestsPerMinute: 8, refusedPerMinute: 3 });
  });

  it('keeps the few most frequent reasons and folds the rest', () => {
    const minute = emptyMinute();
    for (let i = 0; i < 8; i++) recordRefusal(minute, `400: reason ${i}`, 1);
    expect(Object.keys(minute.refusals)).toHaveLength(6);
    expect(minute.refusals['Other reasons']).toBe(3);
  });

  it('reads refusal reasons without row numbers or echoed values, and percentiles within 5%', () => {
    expect(refusalReason(400, 'Row 17, column "age": expected a number, got "abc".')).toBe('400: column "age": expected a number.');
    const minute = emptyMinute();
    for (let ms = 1; ms <= 100; ms++) recordRefusal(minute, '400: x', ms);
    expect(Math.abs(latencyPercentile(minute.latency, 0.5) / 50 - 1)).toBeLessThan(0.05);
    expect(Math.abs(latencyPercentile(minute.latency, 0.99) / 99 - 1)).toBeLessThan(0.05);
  });
});

describe('the week and month charts read closed hours added up', () => {
  it('gives the same totals and points as adding up every minute, and stores each closed hour once', async () => {
    const start = Date.UTC(2027, 2, 1, 6, 17);
    const minutes: { minute: number; requests: number; rowsScored: number }[] = [];
    for (let i = 0; i < 30 * 60; i += 7) {
      const minute = start + i * MINUTE_MS;
      const figures = { ...emptyMinute(), requests: (i % 5) + 1, rowsScored: i, latency: { [String(i % 9)]: (i % 5) + 1 } };
      await saveEndpointMinute(db, { endpointId: endpoint.id, minute, writer: 'one', ...figures });
      if (i % 3 === 0) await saveEndpointMinute(db, { endpointId: endpoint.id, minute, writer: 'two', ...figures, requests: 2, latency: { '3': 2 } });
      minutes.push({ minute, requests: figures.requests + (i % 3 === 0 ? 2 : 0), rowsScored: i * (i % 3 === 0 ? 2 : 1) });
    }
    // A minute past the end, in the hour that is still open: read as a minute.
    const now = start + 30 * 60 * MINUTE_MS + 30_000;
    const first = await monitoringReport(db, actor, endpoint.id, 'month', now);
    expect(first.totals).toMatchObject({
      requests: minutes.reduce((sum, m) => sum + m.requests, 0),
      rowsScored: minutes.reduce((sum, m) => sum + m.rowsScored, 0),
    });
    const pointMs = 8 * 60 * MINUTE_MS;
    for (const point of first.series) {
      const inPoint = minutes.filter((m) => m.minute >= point.at && m.minute < point.at + pointMs);
      expect(point.requestsPerMinute * 8 * 60).toBeCloseTo(inPoint.reduce((sum, m) => sum + m.requests, 0), 9);
    }
    const stored = await endpointHoursBetween(db, endpoint.id, start - 60 * MINUTE_MS, now);
    expect(stored.length).toBeGreaterThanOrEqual(28);
    expect(stored.every((hour) => hour.hour % (60 * MINUTE_MS) === 0 && hour.hour + 60 * MINUTE_MS <= now - 2 * MINUTE_MS)).toBe(true);
    // Read again from the stored hours: the same report.
    expect(await monitoringReport(db, actor, endpoint.id, 'month', now)).toEqual(first);
    expect(await monitoringReport(db, actor, endpoint.id, 'week', now)).toMatchObject({ totals: first.totals });
  });

  it('adds up an hour as traffic comes in, once the hour has been over for two minutes', async () => {
    const hour = Date.UTC(2028, 4, 2, 9);
    recordRefusal(currentMinute(db, endpoint.id, hour + 10 * MINUTE_MS), '400: late', 3);
    await flushTraffic(hour + 10 * MINUTE_MS + 1_000);
    await flushTraffic(hour + 61 * MINUTE_MS);
    expect(await endpointHoursBetween(db, endpoint.id, hour, hour)).toEqual([]);
    await flushTraffic(hour + 63 * MINUTE_MS);
    expect(await endpointHoursBetween(db, endpoint.id, hour, hour)).toMatchObject([{ hour, requests: 1, refused: 1, refusals: { '400: late': 1 } }]);
  });
});
