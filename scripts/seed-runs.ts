/**
 * Fills a database with realistic run history for load tests and demos: several pipelines built from the
 * templates, each saved in a few versions over three months, and runs of every status with durations,
 * metrics of both tasks and node results with small previews.
 *   npx tsx scripts/seed-runs.ts [count=10000] [data-dir=./data] [--fresh]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pipelab_bench_runs npx tsx scripts/seed-runs.ts 10000 --fresh
 * The target is the app's: the PostgreSQL database DATABASE_URL names when it is set (a postgres:// address
 * given in place of the data directory does the same), else the SQLite file pipelab.sqlite in the data
 * directory. A PostgreSQL database that does not exist yet is created (CREATE DATABASE, through the server's
 * `postgres` database). --fresh first drops the target (the SQLite file, or the whole PostgreSQL database),
 * so it holds nothing but the seeded runs; without it, seeding twice adds twice the runs.
 * Runs are inserted through the database functions, 500 per transaction. The data is the same every time
 * (seeded random numbers); run and pipeline ids are new each time.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase } from '../db/postgres-admin';
import { seededRandom } from '../models/split';
import { bestIndex, headlineOf, REPORTED_METRICS } from '../models/evaluation/metric-vocabulary';
import type { RunRecord } from '../db/runs';
import type { NodeStatus, RunStatus } from '../server/api-types';
import type { Graph } from '../nodes/graph-document';
import type { EvaluationPreview, ModelPreview, NodePreview, TablePreview } from '../nodes/preview';
import { findTemplate } from '../server/templates';

const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const [countArg, targetArg] = args.filter((arg) => !arg.startsWith('--'));
const count = Number(countArg ?? 10_000);
if (!Number.isInteger(count) || count < 1) throw new Error(`Count must be a positive whole number, got "${countArg}".`);
const isPostgresUrl = (text: string | undefined) => !!text && /^postgres(ql)?:\/\//.test(text);
// db/schema.ts picks its tables from DATABASE_URL when it loads, so the target is settled before the
// database modules are imported below.
if (isPostgresUrl(targetArg)) process.env.DATABASE_URL = targetArg;
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const dataDir = path.resolve(targetArg && !isPostgresUrl(targetArg) ? targetArg : (process.env.PIPELAB_DATA_DIR ?? 'data'));
const target = databaseUrl ?? path.join(dataDir, 'pipelab.sqlite');
/** The target as printed: a PostgreSQL address without its password. */
const shownTarget = databaseUrl ? Object.assign(new URL(databaseUrl), { password: '' }).toString() : target;

/** Creates the PostgreSQL database if it is missing; with --fresh, drops it first. */
async function preparePostgres(url: string): Promise<void> {
  await createDatabase(url, decodeURIComponent(new URL(url).pathname.slice(1)), { replace: fresh, keepExisting: true });
}

if (databaseUrl) await preparePostgres(databaseUrl);
else if (fresh) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });

const { closeDatabase, openDatabase } = await import('../db/client');
const { savePipeline } = await import('../db/pipelines');
const { insertRunRecords } = await import('../db/runs');

const rand = seededRandom(20261125);
const between = (low: number, high: number) => low + rand() * (high - low);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const clamp01 = (value: number) => Math.min(0.999, Math.max(0.001, value));

type Task = 'classification' | 'regression';

interface PipelinePlan {
  template: string;
  name: string;
  task: Task;
  /** Each version changes one setting; the score drifts with it. */
  tweaks: { node: string; param: string; values: unknown[] }[];
  baseScore: number;
  share: number;
}

const PLANS: PipelinePlan[] = [
  {
    template: 'campaign-response',
    name: 'Campaign response',
    task: 'classification',
    tweaks: [{ node: 'model', param: 'l2', values: [1, 0.3, 0.1, 3, 0.5] }],
    baseScore: 0.9,
    share: 0.3,
  },
  {
    template: 'compare-response-models',
    name: 'Response model shoot-out',
    task: 'classification',
    tweaks: [
      { node: 'tree', param: 'maxDepth', values: [6, 4, 8, 5] },
      { node: 'evaluate', param: 'folds', values: [5, 3, 10] },
    ],
    baseScore: 0.91,
    share: 0.2,
  },
  {
    template: 'explain-subscribers',
    name: 'Who subscribes (tree)',
    task: 'classification',
    tweaks: [{ node: 'tree', param: 'maxDepth', values: [3, 4, 2, 5] }],
    baseScore: 0.84,
    share: 0.15,
  },
  {
    template: 'sales-forecast',
    name: 'Sales forecast',
    task: 'regression',
    tweaks: [
      { node: 'model', param: 'degree', values: [1, 2, 3] },
      { node: 'split', param: 'testFraction', values: [0.2, 0.25, 0.3] },
    ],
    baseScore: 0.9,
    share: 0.2,
  },
  {
    template: 'channel-mix',
    name: 'Ad channel mix',
    task: 'regression',
    tweaks: [{ node: 'tree', param: 'maxDepth', values: [4, 3, 6, 5] }],
    baseScore: 0.93,
    share: 0.05,
  },
];

const DAY = 86_400_000;
const end = Date.UTC(2026, 10, 25, 9, 0);
const start = end - 90 * DAY;

interface SavedVersion {
  version: number;
  at: number;
  graph: Graph;
  scoreShift: number;
}

const db = await openDatabase(target);

/** Saves each pipeline in several versions, spread over the three months. */
const pipelines: { plan: PipelinePlan; id: string; versions: SavedVersion[] }[] = [];
for (const [index, plan] of PLANS.entries()) {
  const template = findTemplate(plan.template);
  if (!template) throw new Error(`No template "${plan.template}".`);
  const graph = structuredClone(template.graph);
  const versions: SavedVersion[] = [];
  const steps = 1 + plan.tweaks.reduce((sum, tweak) => sum + tweak.values.length - 1, 0);
  let id: string | undefined;
  let step = 0;
  const save = async (message: string) => {
    const at = start + index * DAY + (step / steps) * (end - start - 10 * DAY);
    const saved = await savePipeline(db, { id, name: plan.name, description: template.description, graph: structuredClone(graph), message }, Math.round(at));
    id = saved.id;
    versions.push({ version: saved.version, at: Math.round(at), graph: structuredClone(graph), scoreShift: between(-0.04, 0.03) });
    step += 1;
  };
  await save('');
  for (const tweak of plan.tweaks) {
    for (const value of tweak.values.slice(1)) {
      const node = graph.nodes.find((n) => n.id === tweak.node);
      if (!node) throw new Error(`${plan.template} has no node "${tweak.node}".`);
      node.params = { ...node.params, [tweak.param]: value };
      await save(`${tweak.param} ${String(value)}`);
    }
  }
  pipelines.push({ plan, id: id!, versions });
}

function evaluationPreview(task: Task, models: string[], score: number): { preview: EvaluationPreview; metrics: Record<string, number> } {
  const evaluations = models.map((nodeId, i) => {
    const quality = clamp01(score - i * between(0.005, 0.03));
    if (task === 'classification') {
      const metrics = {
        captureAt20: clamp01(quality - between(0.25, 0.32)),
        rocAuc: quality,
        balancedAccuracy: clamp01(quality - between(0.04, 0.1)),
        accuracy: clamp01(quality - between(0, 0.05)),
        macroF1: clamp01(quality - between(0.1, 0.2)),
      };
      const fpr = Array.from({ length: 21 }, (_, k) => k / 20);
      const tpr = fpr.map((x) => Math.min(1, x ** (1 / (1 + 6 * (quality - 0.5)))));
      const positives = 1058;
      const found = Math.round(positives * metrics.balancedAccuracy);
      return {
        model: `${nodeId === 'tree' ? 'Decision tree' : nodeId === 'svm' ? 'SVM' : 'Logistic regression'} (${nodeId})`,
        nodeId,
        metrics,
        summary: [`On 9,042 test rows the model is right ${(metrics.accuracy * 100).toFixed(1)}% of the time.`],
        confusion: [
          [Math.round(7984 * metrics.accuracy), Math.round(7984 * (1 - metrics.accuracy))],
          [positives - found, found],
        ],
        roc: { fpr, tpr },
      };
    }
    const metrics = { r2: quality, mae: (1 - quality) * between(8, 12), rmse: (1 - quality) * between(11, 16) };
    const points = Array.from({ length: 20 }, () => {
      const actual = between(2, 27);
      return { actual, predicted: actual + between(-1, 1) * metrics.rmse };
    });
    return {
      model: `${nodeId === 'tree' ? 'Decision tree' : 'Linear regression'} (${nodeId})`,
      nodeId,
      metrics,
      summary: [`On 40 test rows the model explains ${(metrics.r2 * 100).toFixed(1)}% of the variation in "Sales".`],
      points,
    };
  });
  const metricNames = [...REPORTED_METRICS[task]];
  const best: Record<string, number> = {};
  for (const name of metricNames) best[name] = bestIndex(name, evaluations.map((e) => (e.metrics as Record<string, number>)[name])) ?? 0;
  const preview: EvaluationPreview = {
    kind: 'evaluation',
    task,
    testRows: task === 'classification' ? 9042 : 40,
    classes: task === 'classification' ? ['no', 'yes'] : undefined,
    metricNames,
    best,
    models: evaluations,
  };
  return { preview, metrics: evaluations[best[metricNames[0]]].metrics as Record<string, number> };
}

function tablePreview(task: Task): TablePreview {
  const columns =
    task === 'classification'
      ? [
          { name: 'age', type: 'number' as const, missing: 0, min: 18, max: 95, mean: 40.9 },
          { name: 'job', type: 'category' as const, missing: 0, distinct: 12 },
          { name: 'y', type: 'category' as const, missing: 0, distinct: 2 },
        ]
      : [
          { name: 'TV', type: 'number' as const, missing: 0, min: 0.7, max: 296.4, mean: 147 },
          { name: 'Sales', type: 'number' as const, missing: 0, min: 1.6, max: 27, mean: 14 },
        ];
  const rows = task === 'classification' ? [[58, 'management', 'no'], [44, 'technician', 'no'], [33, 'entrepreneur', 'yes']] : [[230.1, 22.1], [44.5, 10.4], [17.2, 9.3]];
  return { kind: 'table', rowCount: task === 'classification' ? 45211 : 200, columns, rows, target: task === 'classification' ? 'y' : 'Sales' };
}

function modelPreview(task: Task, nodeId: string): ModelPreview {
  return {
    kind: 'model',
    model: nodeId === 'tree' ? 'Decision tree' : nodeId === 'svm' ? 'SVM' : task === 'classification' ? 'Logistic regression' : 'Linear regression',
    task,
    target: task === 'classification' ? 'y' : 'Sales',
    trainRows: task === 'classification' ? 36169 : 160,
    features: task === 'classification' ? ['age', 'duration', 'balance'] : ['TV', 'Radio', 'Newspaper'],
    summary: ['Trained on the training rows only.'],
    nodeId,
  };
}

const BACKENDS = ['tensorflow', 'wasm', 'cpu'];
const LABELS = ['', '', '', ' (tuned)', ' (rerun)', ' (before review)', ' for Q4 plan'];

/** One run of a pipeline version started at `at`, with node results to match its status. */
function makeRun(pipeline: (typeof pipelines)[number] | null, at: number, index: number): RunRecord {
  const chosen = pipeline ?? pick(pipelines);
  const version = [...chosen.versions].reverse().find((v) => v.at <= at) ?? chosen.versions[0];
  const graph = version.graph;
  const task = chosen.plan.task;
  const id = randomUUID();
  const newest = index >= count - 3;
  const roll = rand();
  const status: RunStatus = newest ? 'running' : roll < 0.82 ? 'succeeded' : roll < 0.93 ? 'failed' : 'cancelled';
  const durationMs = status === 'running' ? null : Math.round(Math.exp(between(Math.log(800), Math.log(180_000))));
  const models = graph.nodes.filter((n) => n.type.startsWith('model.')).map((n) => n.id);
  const failedAt = status === 'failed' ? pick(models) : status === 'cancelled' ? pick(models) : null;
  const score = chosen.plan.baseScore + version.scoreShift + between(-0.015, 0.015);
  const evaluation = status === 'succeeded' ? evaluationPreview(task, models, score) : null;

  const nodes: RunRecord['nodes'] = [];
  let stopped = false;
  for (const node of graph.nodes) {
    let nodeStatus: NodeStatus = 'done';
    let preview: NodePreview | null = null;
    let error: string | null = null;
    if (status === 'running' && node.type.startsWith('eval.')) nodeStatus = 'running';
    else if (stopped) nodeStatus = status === 'cancelled' ? 'cancelled' : 'skipped';
    else if (node.id === failedAt) {
      nodeStatus = status === 'failed' ? 'failed' : 'cancelled';
      error = status === 'failed' ? `Column "job" holds text; encode it with One-hot encoding before ${node.id}.` : 'Cancelled by the user';
      stopped = true;
    } else if (node.type.startsWith('data.') || node.type.startsWith('prep.') || node.type.startsWith('features.')) preview = tablePreview(task);
    else if (node.type.startsWith('model.')) preview = modelPreview(task, node.id);
    else if (node.type.startsWith('eval.') && evaluation) preview = evaluation.preview;
    nodes.push({
      runId: id,
      nodeId: node.id,
      status: nodeStatus,
      cached: nodeStatus === 'done' && rand() < 0.3,
      startedAt: nodeStatus === 'skipped' || nodeStatus === 'cancelled' ? null : at,
      durationMs: nodeStatus === 'done' && durationMs !== null ? Math.round(durationMs / graph.nodes.length) : null,
      progress: nodeStatus === 'done' ? 1 : null,
      error,
      preview,
      metrics: node.type.startsWith('eval.') && evaluation ? evaluation.metrics : null,
    });
  }
  const headline = evaluation ? headlineOf(evaluation.metrics, task) : null;
  return {
    run: {
      id,
      pipelineId: pipeline ? chosen.id : null,
      pipelineVersion: pipeline ? version.version : null,
      label: `${chosen.plan.name}${pick(LABELS)}`,
      origin: pipeline ? (rand() < 0.15 ? 'cli' : 'ui') : 'cli',
      status,
      graph,
      backend: pick(BACKENDS),
      startedAt: at,
      finishedAt: durationMs === null ? null : at + durationMs,
      durationMs,
      error: status === 'failed' ? nodes.find((n) => n.status === 'failed')?.error ?? 'Failed' : status === 'cancelled' ? 'Cancelled by the user' : null,
      headlineName: headline?.name ?? null,
      headlineValue: headline?.value ?? null,
      headlineSubject: headline ? (task === 'classification' ? 'yes' : 'Sales') : null,
    },
    nodes,
    metrics: evaluation?.metrics ?? {},
  };
}

const BATCH = 500;
const began = performance.now();
const cumulative = pipelines.map((p, i) => PLANS.slice(0, i + 1).reduce((sum, plan) => sum + plan.share, 0));
let batch: RunRecord[] = [];
for (let i = 0; i < count; i++) {
  const at = Math.round(start + ((i + rand()) / count) * (end - start));
  const roll = rand();
  // About one run in ten is of an unsaved graph from the command line.
  const pipeline = roll < 0.1 ? null : pipelines[cumulative.findIndex((limit) => (roll - 0.1) / 0.9 <= limit)] ?? pipelines[0];
  batch.push(makeRun(pipeline, at, i));
  if (batch.length === BATCH) {
    await insertRunRecords(db, batch);
    batch = [];
  }
}
if (batch.length) await insertRunRecords(db, batch);
await closeDatabase(db);

const seconds = ((performance.now() - began) / 1000).toFixed(1);
console.log(
  `Seeded ${count.toLocaleString('en-US')} runs of ${pipelines.length} pipelines (${pipelines.reduce((sum, p) => sum + p.versions.length, 0)} versions) into ${shownTarget} in ${seconds} s.`,
);
