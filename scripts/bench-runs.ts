/**
 * Times the run history queries on a seeded database, calling the same functions the tRPC procedures
 * call (runs.search, runs.compare, runs.metricHistory), with no HTTP in between:
 *   npx tsx scripts/seed-runs.ts 10000 /tmp/pipelab-bench
 *   npx tsx scripts/bench-runs.ts /tmp/pipelab-bench
 * Each query runs 3 times to warm up, then 20 times; prints the median and the slowest as a Markdown table.
 */
import os from 'node:os';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { metricHistory, searchRuns } from '../db/run-search';
import { pipelines, pipelineVersions, runs } from '../db/schema';
import type { RunSearchInput } from '../server/api-types';
import { adoptUnownedRows, allWorkspaces } from '../db/workspaces';
import { makeWorkspace } from '../db/test-fixtures';
import { compareRunsById, comparisonReportHtml } from '../server/teams/service';

const dataDir = path.resolve(process.argv[2] ?? process.env.PIPELAB_DATA_DIR ?? 'data');
const db = openDatabase(path.join(dataDir, 'pipelab.sqlite'));
const TARGET_MS = 300;

// Runs seeded without a workspace join the first one, as a database from before accounts does.
const workspaceId = allWorkspaces(db)[0]?.id ?? makeWorkspace(db, 'Benchmark').workspaceId;
adoptUnownedRows(db, workspaceId);
const total = searchRuns(db, workspaceId, { pageSize: 1 }).total;
const pipeline = db.select({ id: pipelines.id, name: pipelines.name }).from(pipelines).orderBy(pipelines.createdAt).limit(1).get();
if (!pipeline || total === 0) throw new Error(`No seeded runs in ${dataDir}; run scripts/seed-runs.ts first.`);
const version = db
  .select({ version: pipelineVersions.version })
  .from(pipelineVersions)
  .where(eq(pipelineVersions.pipelineId, pipeline.id))
  .orderBy(desc(pipelineVersions.version))
  .limit(1)
  .get()!.version;
const newest = db.select({ startedAt: runs.startedAt }).from(runs).orderBy(desc(runs.startedAt)).limit(1).get()!.startedAt;
const twentyRuns = db
  .select({ id: runs.id })
  .from(runs)
  .where(eq(runs.status, 'succeeded'))
  .orderBy(desc(runs.startedAt))
  .limit(20)
  .all()
  .map((row) => row.id);

function time(work: () => unknown): { median: number; max: number } {
  for (let i = 0; i < 3; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    work();
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

console.log(`${total.toLocaleString('en-US')} runs in ${path.join(dataDir, 'pipelab.sqlite')}; ${os.cpus().length} × ${os.cpus()[0]?.model}; Node ${process.version}\n`);
console.log('| query | rows | matching runs | median (ms) | slowest of 20 (ms) |');
console.log('| --- | --- | --- | --- | --- |');
let slowest = 0;
for (const [name, input] of searches) {
  const result = searchRuns(db, workspaceId, { pageSize: 50, ...input });
  const { median, max } = time(() => searchRuns(db, workspaceId, { pageSize: 50, ...input }));
  slowest = Math.max(slowest, median);
  console.log(`| runs.search — ${name} | ${result.rows.length} | ${result.total.toLocaleString('en-US')} | ${median.toFixed(1)} | ${max.toFixed(1)} |`);
}
const comparison = compareRunsById(db, twentyRuns);
const compareTime = time(() => compareRunsById(db, twentyRuns));
slowest = Math.max(slowest, compareTime.median);
console.log(`| runs.compare — 20 runs | ${comparison.runs.length} | ${comparison.parameters.length} settings, ${comparison.rocCurves.length} ROC curves | ${compareTime.median.toFixed(1)} | ${compareTime.max.toFixed(1)} |`);
const history = metricHistory(db, pipeline.id, 'rocAuc');
const historyTime = time(() => metricHistory(db, pipeline.id, 'rocAuc'));
console.log(`| runs.metricHistory — ROC AUC of "${pipeline.name}" | ${history.length.toLocaleString('en-US')} | | ${historyTime.median.toFixed(1)} | ${historyTime.max.toFixed(1)} |`);
const report = comparisonReportHtml(db, twentyRuns);
const reportTime = time(() => comparisonReportHtml(db, twentyRuns));
console.log(`| HTML report — comparison of 20 runs | ${(report.length / 1024).toFixed(0)} KB | | ${reportTime.median.toFixed(1)} | ${reportTime.max.toFixed(1)} |`);
console.log(`\nSlowest median of runs.search / runs.compare: ${slowest.toFixed(1)} ms (target < ${TARGET_MS} ms).`);
