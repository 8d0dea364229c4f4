/**
 * Times the run history queries on a seeded database, calling the same functions the tRPC procedures
 * call (runs.search, runs.searchChoices, runs.compare, runs.metricHistory), with no HTTP in between:
 *   npx tsx scripts/seed-runs.ts 10000 /tmp/pipelab-bench --fresh
 *   npx tsx scripts/bench-runs.ts /tmp/pipelab-bench
 * or on PostgreSQL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pipelab_bench_runs npx tsx scripts/seed-runs.ts 10000 --fresh
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pipelab_bench_runs npx tsx scripts/bench-runs.ts
 * The target is the app's: DATABASE_URL when it is set (a postgres:// address given in place of the data
 * directory does the same), else pipelab.sqlite in the data directory. Runs without a workspace are first
 * moved into the database's first workspace (one named "Benchmark" is made if there is none); on PostgreSQL
 * the script then runs ANALYZE, as autovacuum would on a server in use.
 * Each query runs 3 times to warm up, then 20 times; prints the median and the slowest as a Markdown table.
 */
import os from 'node:os';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import pg from 'pg';
import type { RunSearchInput } from '../server/api-types';

const targetArg = process.argv[2];
// db/schema.ts picks its tables from DATABASE_URL when it loads, so the target is settled before the
// database modules are imported below.
if (targetArg && /^postgres(ql)?:\/\//.test(targetArg)) process.env.DATABASE_URL = targetArg;
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const dataDir = path.resolve(targetArg && !databaseUrl ? targetArg : (process.env.PIPELAB_DATA_DIR ?? 'data'));
const target = databaseUrl ?? path.join(dataDir, 'pipelab.sqlite');

const { closeDatabase, first, openDatabase } = await import('../db/client');
const { metricHistory, searchChoices, searchRuns } = await import('../db/run-search');
const { pipelines, pipelineVersions, runs } = (await import('../db/schema')).tables;
const { adoptUnownedRows, allWorkspaces } = await import('../db/workspaces');
const { makeWorkspace } = await import('../db/test-fixtures');
const { compareRunsById, comparisonReportHtml } = await import('../server/teams/service');

/**
 * PostgreSQL only: refreshes the planner's statistics, as autovacuum does on a server in use (the seeded
 * tables and the workspace just given to every run would otherwise be planned from empty statistics, or
 * none where autovacuum is off), and returns the server's version.
 */
async function analyzePostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version.split(' ')[0];
  } finally {
    await client.end();
  }
}

const db = await openDatabase(target);
const TARGET_MS = 300;

// Runs seeded without a workspace join the first one, as a database from before accounts does.
const workspaceId = (await allWorkspaces(db))[0]?.id ?? (await makeWorkspace(db, 'Benchmark')).workspaceId;
await adoptUnownedRows(db, workspaceId);
const shownTarget = databaseUrl
  ? `${Object.assign(new URL(databaseUrl), { password: '' }).toString()} (PostgreSQL ${await analyzePostgres(databaseUrl)})`
  : `${target} (SQLite)`;
const total = (await searchRuns(db, workspaceId, { pageSize: 1 })).total;
const pipeline = await db.select({ id: pipelines.id, name: pipelines.name }).from(pipelines).orderBy(pipelines.createdAt).limit(1).then(first);
if (!pipeline || total === 0) throw new Error(`No seeded runs in ${target}; run scripts/seed-runs.ts first.`);
const version = (await db
  .select({ version: pipelineVersions.version })
  .from(pipelineVersions)
  .where(eq(pipelineVersions.pipelineId, pipeline.id))
  .orderBy(desc(pipelineVersions.version))
  .limit(1)
  .then(first))!.version;
const newest = (await db.select({ startedAt: runs.startedAt }).from(runs).orderBy(desc(runs.startedAt)).limit(1).then(first))!.startedAt;
const twentyRuns = (
  await db.select({ id: runs.id }).from(runs).where(eq(runs.status, 'succeeded')).orderBy(desc(runs.startedAt)).limit(20)
).map((row) => row.id);

async function time(work: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  for (let i = 0; i < 3; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: (samples[9] + samples[10]) / 2, max: samples[19] };
}

const searches: [string, RunSearchInput][] = [
  ['first page, newest first (default)', {}],
  ['filter: pipeline', { filters: { pipelineId: pipeline.id } }],
  ['filter: pipeline + version', { filters: { pipelineId: pipeline.id, pipelineVersion: version } }],
  ['filter: status failed', { filters: { status: ['failed'] } }],
  ['filter: status succeeded or cancelled', { filters: { status: ['succeeded', 'cancelled'] } }],
  ['filter: command-line runs', { filters: { origin: 'cli' } }],
  ['filter: label contains "tuned"', { filters: { text: 'tuned' } }],
  ['filter: started in the last 7 days', { filters: { from: newest - 7 * 86_400_000, to: newest } }],
  ['filter: ROC AUC ≥ 0.9', { filters: { metric: { name: 'rocAuc', min: 0.9 } } }],
  ['filter: all of pipeline, status, dates, ROC AUC', { filters: { pipelineId: pipeline.id, status: ['succeeded'], from: newest - 60 * 86_400_000, metric: { name: 'rocAuc', min: 0.85, max: 0.95 } } }],
  ['sort: ROC AUC, best first', { sort: { by: 'rocAuc' } }],
  ['sort: MAE, best (lowest) first', { sort: { by: 'mae' } }],
  ['sort: duration', { sort: { by: 'durationMs', direction: 'desc' } }],
  ['sort: pipeline name', { sort: { by: 'pipeline', direction: 'asc' } }],
  ['sort: status', { sort: { by: 'status', direction: 'asc' } }],
  ['sort: ROC AUC, page 100', { sort: { by: 'rocAuc' }, page: 100 }],
  ['page 200 (last), newest first', { page: Math.ceil(total / 50) }],
];

console.log(`${total.toLocaleString('en-US')} runs in ${shownTarget}; ${os.cpus().length} × ${os.cpus()[0]?.model}; Node ${process.version}\n`);
console.log('| query | rows | matching runs | median (ms) | slowest of 20 (ms) |');
console.log('| --- | --- | --- | --- | --- |');
let slowest = 0;
for (const [name, input] of searches) {
  const result = await searchRuns(db, workspaceId, { pageSize: 50, ...input });
  const { median, max } = await time(() => searchRuns(db, workspaceId, { pageSize: 50, ...input }));
  slowest = Math.max(slowest, median);
  console.log(`| runs.search — ${name} | ${result.rows.length} | ${result.total.toLocaleString('en-US')} | ${median.toFixed(1)} | ${max.toFixed(1)} |`);
}
const choices = await searchChoices(db, workspaceId);
const choicesTime = await time(() => searchChoices(db, workspaceId));
slowest = Math.max(slowest, choicesTime.median);
console.log(`| runs.searchChoices — the filters' choices, once per visit | ${choices.metricNames.length} metrics, ${choices.pipelines.length} pipelines, ${choices.people.length} people | | ${choicesTime.median.toFixed(1)} | ${choicesTime.max.toFixed(1)} |`);
const comparison = await compareRunsById(db, twentyRuns);
const compareTime = await time(() => compareRunsById(db, twentyRuns));
slowest = Math.max(slowest, compareTime.median);
console.log(`| runs.compare — 20 runs | ${comparison.runs.length} | ${comparison.parameters.length} settings, ${comparison.rocCurves.length} ROC curves | ${compareTime.median.toFixed(1)} | ${compareTime.max.toFixed(1)} |`);
const history = await metricHistory(db, pipeline.id, 'rocAuc');
const historyTime = await time(() => metricHistory(db, pipeline.id, 'rocAuc'));
console.log(`| runs.metricHistory — ROC AUC of "${pipeline.name}" | ${history.length.toLocaleString('en-US')} | | ${historyTime.median.toFixed(1)} | ${historyTime.max.toFixed(1)} |`);
const report = await comparisonReportHtml(db, twentyRuns);
const reportTime = await time(() => comparisonReportHtml(db, twentyRuns));
console.log(`| HTML report — comparison of 20 runs | ${(report.length / 1024).toFixed(0)} KB | | ${reportTime.median.toFixed(1)} | ${reportTime.max.toFixed(1)} |`);
console.log(`\nSlowest median of runs.search / runs.compare: ${slowest.toFixed(1)} ms (target < ${TARGET_MS} ms).`);
await closeDatabase(db);
