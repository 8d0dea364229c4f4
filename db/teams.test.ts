import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from './records';
import type { Graph } from '../nodes/graph-document';
import { openDatabase, sqliteConnection, type Db } from './client';
import { getPipeline, savePipeline } from './pipelines';
import { metricHistory, searchChoices, searchRuns } from './run-search';
import { createRun, finishRun, getRun, insertRunRecords, type RunRecord } from './runs';
import { tables } from './schema';
import { activeShareLink, insertShareLink, listShareLinks, revokeShareLink } from './share-links';
import { getVersion, latestVersionNumber, listVersions } from './versions';
import { makeWorkspace, openTestDatabase } from './test-fixtures';
import { adoptUnownedRows } from './workspaces';

function graphWith(l2: number): Graph {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'data', type: 'data.sample', version: 1, params: { sample: 'advertising', target: 'Sales' }, position: { x: 0, y: 0 } },
      { id: 'model', type: 'model.linearRegression', version: 1, params: { degree: 1, l2 }, position: { x: 200, y: 0 } },
      { id: 'evaluate', type: 'eval.evaluate', version: 1, params: {}, position: { x: 400, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'data', sourceHandle: 'table', target: 'model', targetHandle: 'data' }],
  };
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('pipeline versions', () => {
  let db: Db;
  let ws: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    ws = (await makeWorkspace(db)).workspaceId;
  });

  it('records every save as the next version, with its message', async () => {
    const first = await savePipeline(db, { name: 'Sales', description: '', graph: graphWith(0) }, 1000);
    expect(first).toMatchObject({ version: 1, name: 'Sales', graph: graphWith(0) });
    expect(await savePipeline(db, { id: first.id, name: 'Sales (renamed)', description: 'd', graph: graphWith(0) }, 2000)).toMatchObject({
      version: 2,
      name: 'Sales (renamed)',
    });
    const changed = await savePipeline(db, { id: first.id, name: 'Sales', description: 'ridge', graph: graphWith(1), message: '  Added ridge  ' }, 3000);
    expect(changed.version).toBe(3);

    const versions = await listVersions(db, first.id);
    expect(versions.map((v) => [v.version, v.name, v.message, v.createdAt, v.nodeCount, v.edgeCount])).toEqual([
      [3, 'Sales', 'Added ridge', 3000, 3, 1],
      [2, 'Sales (renamed)', '', 2000, 3, 1],
      [1, 'Sales', '', 1000, 3, 1],
    ]);
    expect((await getVersion(db, first.id, 1))?.graph).toEqual(graphWith(0));
    expect(await getVersion(db, first.id, 9)).toBeUndefined();
    expect((await getPipeline(db, first.id))?.graph).toEqual(graphWith(1));
    expect(await listVersions(db, 'no-such-pipeline')).toEqual([]);
  });

  it('stamps runs with the latest version and counts runs per version', async () => {
    const pipeline = await savePipeline(db, { name: 'Counted', description: '', graph: graphWith(0) });
    await createRun(db, { workspaceId: ws, startedBy: null, id: 'count-1', pipelineId: pipeline.id, label: 'a', origin: 'ui', graph: graphWith(0), nodeIds: [] });
    await savePipeline(db, { id: pipeline.id, name: 'Counted', description: '', graph: graphWith(2) });
    await createRun(db, { workspaceId: ws, startedBy: null, id: 'count-2', pipelineId: pipeline.id, label: 'b', origin: 'ui', graph: graphWith(2), nodeIds: [] });
    await createRun(db, { workspaceId: ws, startedBy: null, id: 'count-3', pipelineId: pipeline.id, label: 'c', origin: 'ui', graph: graphWith(2), nodeIds: [] });
    await createRun(db, { workspaceId: ws, startedBy: null, id: 'count-4', pipelineId: null, label: 'd', origin: 'cli', graph: graphWith(2), nodeIds: [] });
    expect((await listVersions(db, pipeline.id)).map((v) => [v.version, v.runCount])).toEqual([
      [2, 2],
      [1, 1],
    ]);
    const rows = (await searchRuns(db, ws, { filters: { pipelineId: pipeline.id }, sort: { by: 'label', direction: 'asc' } })).rows;
    expect(rows.map((r) => [r.label, r.pipelineVersion])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
    ]);
    expect((await getRun(db, 'count-2'))?.pipelineVersion).toBe(2);
    expect((await getRun(db, 'count-4'))?.pipelineVersion).toBeNull();
    expect((await searchRuns(db, ws, { filters: { text: 'd' } })).rows.find((r) => r.id === 'count-4')?.pipelineVersion).toBeNull();
  });

  it('indexes metrics when a run finishes', async () => {
    await createRun(db, { workspaceId: ws, startedBy: null, id: 'finishing', pipelineId: null, label: 'metrics', origin: 'cli', graph: graphWith(0), nodeIds: ['evaluate'] });
    await finishRun(db, 'finishing', { status: 'succeeded', error: null, headline: { name: 'r2', value: 0.9 }, metrics: { r2: 0.9, mae: 1.2, rmse: Number.NaN } });
    const found = (await searchRuns(db, ws, { filters: { metric: { name: 'r2', min: 0.85 } } })).rows;
    expect(found.map((r) => [r.id, r.metrics])).toEqual([['finishing', { r2: 0.9, mae: 1.2 }]]);
    expect((await getRun(db, 'finishing'))?.status).toBe('succeeded');
  });

  it('keeps read-only links until they are revoked', async () => {
    const pipeline = await savePipeline(db, { name: 'Shared', description: '', graph: graphWith(0) });
    await insertShareLink(db, { token: 'token-one-0123456789', pipelineId: pipeline.id, createdAt: 1, createdBy: null });
    expect((await activeShareLink(db, 'token-one-0123456789'))?.pipelineId).toBe(pipeline.id);
    expect(await revokeShareLink(db, 'token-one-0123456789', 50)).toBe(true);
    expect(await revokeShareLink(db, 'token-one-0123456789', 60)).toBe(true);
    expect(await revokeShareLink(db, 'no-such-token', 60)).toBe(false);
    expect(await activeShareLink(db, 'token-one-0123456789')).toBeUndefined();
    expect(await listShareLinks(db, pipeline.id)).toEqual([{ token: 'token-one-0123456789', pipelineId: pipeline.id, createdAt: 1, revokedAt: 50, createdBy: null }]);
  });
});

describe('run search', () => {
  let db: Db;
  let ws: string;
  let alpha: string;
  let beta: string;
  const day = 86_400_000;
  const t0 = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    db = await openTestDatabase();
    ws = (await makeWorkspace(db)).workspaceId;
    alpha = (await savePipeline(db, { name: 'alpha', description: '', graph: graphWith(0), workspaceId: ws })).id;
    beta = (await savePipeline(db, { name: 'Beta', description: '', graph: graphWith(0), workspaceId: ws })).id;
    await savePipeline(db, { id: beta, name: 'Beta', description: '', graph: graphWith(3) });
    const statuses: RunStatus[] = ['succeeded', 'failed', 'succeeded', 'cancelled', 'succeeded', 'running'];
    const records: RunRecord[] = [];
    for (let i = 0; i < 30; i++) {
      const status = statuses[i % statuses.length];
      const pipelineId = i % 3 === 0 ? null : i % 3 === 1 ? alpha : beta;
      const metrics: Record<string, number> = status === 'succeeded' ? { r2: i / 100, mae: 30 - i } : {};
      records.push({
        run: {
          id: `run-${String(i).padStart(2, '0')}`,
          workspaceId: ws,
          pipelineId,
          pipelineVersion: pipelineId === beta ? 1 + (i % 2) : pipelineId ? 1 : null,
          label: i === 7 ? '50%_off campaign' : `run ${i}`,
          origin: i % 4 === 0 ? 'cli' : 'ui',
          status,
          graph: graphWith(i),
          startedAt: t0 + i * day,
          finishedAt: status === 'running' ? null : t0 + i * day + 1000,
          durationMs: status === 'running' ? null : 1000 + ((i * 7919) % 50) * 100,
        },
        nodes: [{ runId: `run-${String(i).padStart(2, '0')}`, nodeId: 'evaluate', status: 'done', metrics }],
        metrics,
      });
    }
    await insertRunRecords(db, records);
  });

  const ids = (result: Awaited<ReturnType<typeof searchRuns>>) => result.rows.map((r) => r.id);

  it('pages newest first by default, with the total and the filter choices', async () => {
    const first = await searchRuns(db, ws, { pageSize: 10 });
    expect(first.total).toBe(30);
    expect(first.page).toBe(1);
    expect(ids(first)).toEqual(Array.from({ length: 10 }, (_, k) => `run-${29 - k}`));
    expect(ids(await searchRuns(db, ws, { page: 3, pageSize: 10 }))).toEqual(Array.from({ length: 10 }, (_, k) => `run-0${9 - k}`));
    const choices = await searchChoices(db, ws);
    expect(choices.metricNames).toEqual(['mae', 'r2']);
    expect(choices.pipelines).toEqual([
      { id: alpha, name: 'alpha' },
      { id: beta, name: 'Beta' },
    ]);
    expect(first.rows[0]).toMatchObject({ id: 'run-29', pipelineName: 'Beta', pipelineVersion: 2, status: 'running', metrics: {} });
  });

  it('filters by pipeline, version, status, origin, label text and start date', async () => {
    expect((await searchRuns(db, ws, { filters: { pipelineId: alpha } })).total).toBe(10);
    expect(ids(await searchRuns(db, ws, { filters: { pipelineId: beta, pipelineVersion: 2 } }))).toEqual(['run-29', 'run-23', 'run-17', 'run-11', 'run-05']);
    expect((await searchRuns(db, ws, { filters: { status: ['failed', 'cancelled'] } })).total).toBe(10);
    expect((await searchRuns(db, ws, { filters: { origin: 'cli' } })).total).toBe(8);
    expect(ids(await searchRuns(db, ws, { filters: { text: '50%_' } }))).toEqual(['run-07']);
    expect((await searchRuns(db, ws, { filters: { text: '%' } })).total).toBe(1);
    expect(ids(await searchRuns(db, ws, { filters: { from: t0 + 10 * day, to: t0 + 12 * day } }))).toEqual(['run-12', 'run-11', 'run-10']);
    expect(ids(await searchRuns(db, ws, { filters: { status: ['succeeded'], pipelineId: alpha, from: t0 + 10 * day } }))).toEqual(['run-28', 'run-22', 'run-16', 'run-10']);
  });

  it('filters by a metric range', async () => {
    const result = await searchRuns(db, ws, { filters: { metric: { name: 'r2', min: 0.1, max: 0.2 } } });
    expect(ids(result)).toEqual(['run-20', 'run-18', 'run-16', 'run-14', 'run-12', 'run-10']);
    expect(result.rows[0].metrics).toEqual({ r2: 0.2, mae: 10 });
    expect((await searchRuns(db, ws, { filters: { metric: { name: 'r2' } } })).total).toBe(15);
  });

  it('sorts by a metric best first (lowest for errors), runs without it last', async () => {
    expect(ids(await searchRuns(db, ws, { pageSize: 3, sort: { by: 'r2' } }))).toEqual(['run-28', 'run-26', 'run-24']);
    expect(ids(await searchRuns(db, ws, { pageSize: 3, sort: { by: 'mae' } }))).toEqual(['run-28', 'run-26', 'run-24']);
    expect(ids(await searchRuns(db, ws, { pageSize: 3, sort: { by: 'mae', direction: 'desc' } }))).toEqual(['run-00', 'run-02', 'run-04']);
    expect(ids(await searchRuns(db, ws, { pageSize: 3, sort: { by: 'r2', direction: 'asc' } }))).toEqual(['run-00', 'run-02', 'run-04']);
    const all = await searchRuns(db, ws, { pageSize: 30, sort: { by: 'r2', direction: 'asc' } });
    expect(all.rows.slice(15).every((r) => r.metrics.r2 === undefined)).toBe(true);
  });

  it('sorts by duration, pipeline name and status', async () => {
    const durations = (await searchRuns(db, ws, { pageSize: 30, sort: { by: 'durationMs' } })).rows.map((r) => r.durationMs);
    const known = durations.filter((d) => d !== null) as number[];
    expect(known).toEqual([...known].sort((a, b) => b - a));
    expect(durations.slice(known.length).every((d) => d === null)).toBe(true);
    const byPipeline = (await searchRuns(db, ws, { pageSize: 30, sort: { by: 'pipeline', direction: 'asc' } })).rows.map((r) => r.pipelineName);
    expect(byPipeline.slice(0, 10).every((n) => n === 'alpha')).toBe(true);
    expect(byPipeline.slice(10, 20).every((n) => n === 'Beta')).toBe(true);
    expect(byPipeline.slice(20).every((n) => n === null)).toBe(true);
    const byStatus = (await searchRuns(db, ws, { pageSize: 30, sort: { by: 'status', direction: 'desc' } })).rows.map((r) => r.status);
    expect(byStatus[0]).toBe('succeeded');
    expect(byStatus[29]).toBe('cancelled');
  });

  // EXPLAIN QUERY PLAN and its wording are SQLite's; PostgreSQL plans differently (and small tables get sequential scans).
  it.skipIf(!!process.env.DATABASE_URL)('uses the indexes for the default page, the status filter and the metric filter', async () => {
    const sqlite = sqliteConnection(db)!;
    const plan = (query: string, ...params: unknown[]) =>
      (sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[]).map((row) => row.detail).join(' | ');
    expect(plan('SELECT id FROM runs ORDER BY started_at DESC LIMIT 50')).toMatch(/USING INDEX runs_started/);
    expect(plan("SELECT id FROM runs WHERE status = 'failed' ORDER BY started_at DESC LIMIT 50")).toMatch(/USING INDEX runs_status_started/);
    expect(plan("SELECT run_id FROM run_metrics WHERE name = 'r2' AND value >= 0.5")).toMatch(/run_metrics_name_value/);
  });

  it('charts a metric of one pipeline over time', async () => {
    const history = await metricHistory(db, alpha, 'r2');
    expect(history.map((p) => p.runId)).toEqual(['run-04', 'run-10', 'run-16', 'run-22', 'run-28']);
    expect(history[0]).toEqual({ runId: 'run-04', startedAt: t0 + 4 * day, value: 0.04, pipelineVersion: 1 });
  });
});

describe('the 0002 migration', () => {
  // Opens a SQLite file made by the migrations before 0002; PostgreSQL has its own migration history, begun after it.
  it.skipIf(!!process.env.DATABASE_URL)('gives existing pipelines a version 1 and indexes the metrics of finished runs', async () => {
    const dir = tempDir('pipelab-migrate-');
    const partial = path.join(dir, 'migrations');
    fs.mkdirSync(path.join(partial, 'meta'), { recursive: true });
    const source = path.join(process.cwd(), 'db', 'migrations');
    const journal = JSON.parse(fs.readFileSync(path.join(source, 'meta', '_journal.json'), 'utf8'));
    const before = journal.entries.filter((entry: { tag: string }) => entry.tag < '0002');
    for (const entry of before) fs.copyFileSync(path.join(source, `${entry.tag}.sql`), path.join(partial, `${entry.tag}.sql`));
    fs.writeFileSync(path.join(partial, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: before }));

    const sqlite = new Database(path.join(dir, 'old.sqlite'));
    const old = drizzle(sqlite, { schema: tables });
    migrate(old, { migrationsFolder: partial });
    const graph = JSON.stringify(graphWith(0));
    sqlite.prepare("INSERT INTO pipelines (id, name, description, graph, created_at, updated_at) VALUES ('p', 'Old', 'from before', ?, 10, 20)").run(graph);
    const insertRun = sqlite.prepare("INSERT INTO runs (id, pipeline_id, label, origin, status, graph, started_at) VALUES (?, 'p', 'old run', 'ui', ?, ?, 30)");
    const insertResult = sqlite.prepare("INSERT INTO node_results (run_id, node_id, status, metrics) VALUES (?, ?, 'done', ?)");
    insertRun.run('done-run', 'succeeded', graph);
    insertResult.run('done-run', 'evaluate', JSON.stringify({ r2: 0.7, mae: 2 }));
    insertResult.run('done-run', 'model', JSON.stringify({ r2: 0.99 }));
    insertRun.run('live-run', 'running', graph);
    sqlite.prepare("UPDATE runs SET started_at = 40 WHERE id = 'live-run'").run();
    insertResult.run('live-run', 'evaluate', JSON.stringify({ r2: 0.5 }));

    migrate(old, { migrationsFolder: source });
    sqlite.close();
    const db = await openDatabase(path.join(dir, 'old.sqlite'));
    // The first account's workspace takes in everything saved before accounts existed.
    const ws = (await makeWorkspace(db)).workspaceId;
    expect(await adoptUnownedRows(db, ws)).toEqual({ pipelines: 1, runs: 2 });
    expect((await listVersions(db, 'p')).map((v) => [v.version, v.name, v.description, v.createdAt, v.runCount])).toEqual([[1, 'Old', 'from before', 20, 0]]);
    expect(await latestVersionNumber(db, 'p')).toBe(1);
    expect((await getVersion(db, 'p', 1))?.graph).toEqual(graphWith(0));
    // Only evaluate nodes count, and only finished runs.
    expect((await searchRuns(db, ws, {})).rows.map((r) => [r.id, r.pipelineVersion, r.metrics])).toEqual([
      ['live-run', null, {}],
      ['done-run', null, { r2: 0.7, mae: 2 }],
    ]);
  });
});
