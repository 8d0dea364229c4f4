/**
 * Cost of "See why" on the bank-marketing sample:
 * 1. permutation importance (5 shuffles per original column, ROC AUC) on the test rows, at the limit Evaluate
 *    uses (LIMITS.explain.importanceRows) and on every test row, for a logistic regression, a decision tree and
 *    an SVM (trained on 3,000 rows, as a quick stand-in for a larger one). It writes the same split to
 *    test-results/bench-explain/ for scripts/bench-explain.py, which times scikit-learn's permutation_importance;
 * 2. the prediction API with and without explanations (predictWithEndpoint, the route's work minus HTTP),
 *    campaign-response template, 1 row and 100 rows per request.
 *   npx tsx scripts/bench-explain.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { columnGroups } from '../models/explain/column-groups';
import { permutationImportance } from '../models/explain/permutation-importance';
import { rocAuc } from '../models/evaluation/metrics';
import type { Estimator } from '../models/estimator';
import { takeRows, toMatrix, labelsOf, getColumn, type Matrix } from '../models/frame';
import { LIMITS } from '../models/limits';
import { LogisticRegression } from '../models/linear/logistic-regression';
import { fitPreprocessing, applyPreprocessing } from '../models/preprocessing/preprocessing';
import { trainTestSplit } from '../models/split';
import { SupportVectorClassifier } from '../models/svm/svm';
import { DecisionTree } from '../models/tree/decision-tree';
import { readCsv } from '../nodes/lib/csv';
import { getRun } from '../db/runs';
import { predictWithEndpoint, publishEndpoint } from '../server/endpoints';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import { findTemplate } from '../server/templates';
import { useTempDataDir } from '../nodes/test-harness';
import { initBackend } from '../server/tf-backend';

const OUT = path.join('test-results', 'bench-explain');
fs.mkdirSync(OUT, { recursive: true });
await initBackend();

const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
const labels = labelsOf(getColumn(frame, 'y'));
const { train, test } = trainTestSplit(frame.rowCount, { testFraction: 0.2, seed: 42, stratify: labels });
const specs = [
  { kind: 'oneHot' as const, columns: [], dropFirst: false },
  { kind: 'normalize' as const, method: 'zscore' as const, columns: [] },
];
const fitted = fitPreprocessing(specs, takeRows(frame, train), 'y');
const features = fitted.fitted.outputColumns.map((c) => c.name).filter((name) => name !== 'y');
const prepare = (rows: Int32Array) => {
  const part = applyPreprocessing(fitted.fitted, takeRows(frame, rows));
  return { X: toMatrix(part, features), y: Int32Array.from(labelsOf(getColumn(part, 'y')), (label) => (label === 'yes' ? 1 : 0)) };
};
const trainSet = prepare(train);
const testSet = prepare(test);
const groups = columnGroups(fitted.fitted, features);
fs.writeFileSync(path.join(OUT, 'split.json'), JSON.stringify({ features, groups, trainX: Array.from(trainSet.X.data), trainY: Array.from(trainSet.y), testX: Array.from(testSet.X.data), testY: Array.from(testSet.y) }));

const head = (X: Matrix, y: Int32Array, rows: number) => ({ X: { data: X.data.slice(0, rows * X.cols), rows, cols: X.cols }, y: y.slice(0, rows) });
const svmTrain = head(trainSet.X, trainSet.y, 3000);
const models: [string, Estimator][] = [
  ['Logistic regression', await new LogisticRegression({ l2: 1 }).fit(trainSet.X, trainSet.y, { featureNames: features })],
  ['Decision tree (depth 5)', new DecisionTree({ task: 'classification', maxDepth: 5 }).fit(trainSet.X, trainSet.y, { featureNames: features })],
  ['SVM (RBF, 3,000 training rows)', await new SupportVectorClassifier({}).fit(svmTrain.X, svmTrain.y, { featureNames: features })],
];

console.log(`Test rows: ${testSet.X.rows}; ${groups.length} original columns (${features.length} features).`);
console.log('| model | test rows | seconds (5 shuffles × 16 columns) |');
console.log('| --- | --- | --- |');
for (const [name, model] of models) {
  const limit = name.startsWith('SVM') ? LIMITS.explain.importanceKernelRows : LIMITS.explain.importanceRows;
  for (const rows of name.startsWith('SVM') ? [limit, LIMITS.explain.importanceRows] : [limit, testSet.X.rows]) {
    const { X, y } = head(testSet.X, testSet.y, rows);
    const score = (data: Matrix) => {
      const proba = model.predictProba!(data);
      return rocAuc(y, Float64Array.from({ length: data.rows }, (_, i) => proba[i * 2 + 1]));
    };
    const started = performance.now();
    permutationImportance(X, groups, score, { repeats: 5, seed: 0 });
    console.log(`| ${name} | ${rows.toLocaleString('en-US')} | ${((performance.now() - started) / 1000).toFixed(2)} |`);
  }
}

// The prediction API, with and without reasons: the campaign-response template's logistic regression (exact
// reasons), and the same pipeline with an SVM instead (sampled reasons).
const db = await useTempDataDir();
const customers = Array.from({ length: 1000 }, (_, row) =>
  Object.fromEntries(frame.columns.filter((c) => c.name !== 'y').map((c) => [c.name, c.values[test[row]] as string | number])),
);
const template = findTemplate('campaign-response')!;
const withSvm = structuredClone(template.graph);
const modelNode = withSvm.nodes.find((node) => node.id === 'model')!;
Object.assign(modelNode, { type: 'model.svm', params: { kernel: 'rbf', C: 1, maxTrainRows: 3000 } });

async function published(graph: typeof template.graph): Promise<{ id: string; token: string }> {
  const { runId, done } = await startRun(db, new InProcessExecutor(), { graph, pipelineId: null, label: 'bench', origin: 'cli', workspaceId: null, startedBy: null });
  await done;
  const record = (await getRun(db, runId))!;
  if (record.status !== 'succeeded') throw new Error(`The template run failed: ${record.error}`);
  return publishEndpoint(db, { runId, nodeId: 'model', name: 'bench', workspaceId: null, createdBy: null });
}

async function latency(endpoint: { id: string; token: string }, size: number, explain: boolean, requests: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const rows = customers.slice((i * size) % 900, ((i * size) % 900) + size);
    const started = performance.now();
    await predictWithEndpoint(db, endpoint.id, `Bearer ${endpoint.token}`, { rows, explain });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

console.log('\n| model | request | explain | median (ms) | p95 (ms) |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, graph] of [['Logistic regression (exact)', template.graph], ['SVM, 3,000 training rows (sampled)', withSvm]] as const) {
  const endpoint = await published(graph);
  for (const size of [1, 100]) {
    for (const explain of [false, true]) {
      await latency(endpoint, size, explain, 10);
      const requests = size === 1 ? 100 : 20;
      const times = await latency(endpoint, size, explain, requests);
      console.log(`| ${name} | ${size} row${size > 1 ? 's' : ''} | ${explain ? 'on' : 'off'} | ${times[Math.floor(requests / 2)].toFixed(1)} | ${times[Math.floor(requests * 0.95)].toFixed(1)} |`);
    }
  }
}
