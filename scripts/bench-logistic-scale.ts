/**
 * Logistic regression alone on a large table, against scikit-learn on the same rows:
 *   npx tsx scripts/bench-logistic-scale.ts [--rows 1000000] [--cols 50] [--classes 2] [--columns] [--sklearn]
 * Builds the seeded synthetic table of bench-scale.ts (scripts/synthetic-table.ts) in memory as the
 * row-major float64 matrix the model nodes hand to a model, fits LogisticRegression (l2 = 1) on the
 * first 80% of the rows and scores the last 20%. Prints the fit time, resident memory before the fit,
 * the process's peak resident memory, and the load average. --sklearn then fits
 * LogisticRegression(C=1, max_iter=1000) on the same rows in /usr/bin/python3 (PIPELAB_PYTHON), in
 * its own process, and prints the same figures for it. --classes K (K > 2) splits the "yes" rows into
 * K − 1 classes by the 9th column, which no other class depends on; --columns hands the model the
 * table's columns (a columnsMatrix, as the model nodes do) instead of the row-major matrix. Run
 * with NODE_OPTIONS=--expose-gc for a "before" figure without the released rows; on Linux the peak is
 * counted from just before the fit.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { columnsMatrix, type Matrix } from '../models/frame';
import { LogisticRegression } from '../models/linear/logistic-regression';
import { classificationMetrics } from '../models/evaluation/metrics';
import { initBackend } from '../server/tf-backend';
import { syntheticRows } from './synthetic-table';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    cols: { type: 'string', default: '50' },
    classes: { type: 'string', default: '2' },
    columns: { type: 'boolean', default: false },
    sklearn: { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows);
const cols = Number(args.cols);
const classes = Number(args.classes);
if (!Number.isInteger(classes) || classes < 2 || (classes > 2 && cols < 9)) throw new Error('--classes needs a whole number of at least 2 (and 9 columns for more than 2).');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' ');

function table() {
  const data = new Float64Array(rows * cols);
  const labels = new Int32Array(rows);
  const next = syntheticRows(cols, 42);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * cols, (r + 1) * cols);
    const yes = next(row);
    labels[r] = !yes ? 0 : classes === 2 ? 1 : 1 + Math.min(classes - 2, Math.floor(((Math.tanh(row[8]) + 1) / 2) * (classes - 1)));
  }
  return { data, labels };
}

/** Rows from..to of the row-major table, as it is or as separate columns. */
function matrixOf(data: Float64Array, from: number, to: number): Matrix {
  const part = data.subarray(from * cols, to * cols);
  if (!args.columns) return { data: part, rows: to - from, cols };
  const columns = Array.from({ length: cols }, (_, c) => Float64Array.from({ length: to - from }, (_, r) => part[r * cols + c]));
  return columnsMatrix(columns, to - from);
}

/**
 * On Linux, restarts the kernel's count of peak resident memory (VmHWM), so that the peak printed is
 * the fit's own rather than the table's construction; elsewhere the process's peak is printed.
 */
function resetPeakResident(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: the process's peak stands.
  }
}

function peakResidentSinceReset(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const PYTHON_FIT = `
import json, resource, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
rows, cols, train = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(sys.argv[1] + '.f64', dtype=np.float64).reshape(rows, cols)
y = np.fromfile(sys.argv[1] + '.i32', dtype=np.int32)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start = time.perf_counter()
model = LogisticRegression(C=1.0, max_iter=1000).fit(X[:train], y[:train])
fit_ms = (time.perf_counter() - start) * 1000
proba = model.predict_proba(X[train:])
proba = proba[:, 1] if proba.shape[1] == 2 else proba
print(json.dumps({'fitMs': fit_ms, 'iterations': int(model.n_iter_[0]), 'beforeBytes': before,
  'peakBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
  'accuracy': accuracy_score(y[train:], model.predict(X[train:])), 'auc': roc_auc_score(y[train:], proba, multi_class='ovr')}))
`;

async function main() {
  await initBackend();
  let { data, labels } = table();
  const tableBytes = data.byteLength;
  const train = Math.floor(rows * 0.8);
  const X = matrixOf(data, 0, train);
  const test = matrixOf(data, train, rows);
  // The model nodes hold the columns alone; --sklearn still needs the rows to hand over.
  if (args.columns && !args.sklearn) data = new Float64Array(0);
  const featureNames = Array.from({ length: cols }, (_, c) => `x${c + 1}`);
  // With node --expose-gc (NODE_OPTIONS=--expose-gc), the released rows are collected first, so that
  // the peak past "before" is what the fit itself adds.
  (globalThis as { gc?: () => void }).gc?.();
  resetPeakResident();
  const before = process.memoryUsage().rss;
  const loadBefore = load();
  const started = performance.now();
  const model = await new LogisticRegression({ l2: 1, maxIter: 1000 }).fit(X, labels.subarray(0, train), { classCount: classes, featureNames });
  const fitMs = performance.now() - started;
  const after = process.memoryUsage().rss;
  const peak = peakResidentSinceReset() ?? process.resourceUsage().maxRSS * 1024;
  const yTest = labels.subarray(train);
  const metrics = classificationMetrics(yTest, model.predict(test), model.predictProba(test), Array.from({ length: classes }, (_, k) => `class ${k}`));
  console.log(`${rows.toLocaleString('en')} rows × ${cols} (${train.toLocaleString('en')} to train), ${classes} classes, matrix ${mb(tableBytes)}${args.columns ? ' as columns' : ''}, load average ${loadBefore} → ${load()}`);
  console.log(
    `Pipelab: fit ${(fitMs / 1000).toFixed(2)} s, ${model.iterations} iterations; resident before fit ${mb(before)}, after ${mb(after)}, peak ${mb(peak)};` +
      ` test accuracy ${metrics.accuracy.toFixed(4)}, AUC ${metrics.rocAuc?.toFixed(4)}`,
  );
  if (!args.sklearn) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-logistic-scale-'));
  try {
    const base = path.join(dir, 'table');
    fs.writeFileSync(`${base}.f64`, data);
    fs.writeFileSync(`${base}.i32`, labels);
    const python = process.env.PIPELAB_PYTHON ?? '/usr/bin/python3';
    const output = execFileSync(python, ['-c', PYTHON_FIT, base, String(rows), String(cols), String(train)], { encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').pop() ?? '{}');
    console.log(
      `scikit-learn: fit ${(result.fitMs / 1000).toFixed(2)} s, ${result.iterations} iterations; resident before fit ${mb(result.beforeBytes)}, peak ${mb(result.peakBytes)};` +
        ` test accuracy ${result.accuracy.toFixed(4)}, AUC ${result.auc.toFixed(4)} (load average now ${load()})`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
