/**
 * Model parity and fit speed against scikit-learn, on the same rows and the same train/test split:
 *   npx tsx scripts/bench-parity.ts [--keep] [--only linear|logistic|tree|svm] [--repeats N]
 * Runs scripts/bench-parity.py (PIPELAB_PYTHON, default /usr/bin/python3) to prepare the data, fits
 * Pipelab's models on the identical prepared matrices, alternating each fit with the same
 * scikit-learn fit in a long-running Python process (so both sides see the same machine load),
 * has sklearn.metrics re-score Pipelab's predictions, and prints Markdown tables for docs/benchmarks.md.
 * --keep leaves the temporary folder with the data, predictions and JSON results in place; --only runs
 * one model family; --repeats changes the number of timed fits per side (default 3).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DecisionTree } from '../models/tree/decision-tree';
import type { Matrix } from '../models/frame';
import { LinearRegression, polynomialTerms } from '../models/linear/linear-regression';
import { LogisticRegression } from '../models/linear/logistic-regression';
import { classificationMetrics, regressionMetrics } from '../models/evaluation/metrics';
import { SupportVectorClassifier } from '../models/svm/svm';
import { initBackend } from '../server/tf-backend';

interface MatrixInfo {
  prefix: string;
  cols: number;
  names: string[];
  trainRows: number;
  testRows: number;
}

interface DatasetInfo {
  label: string;
  kind: 'classification' | 'regression';
  classes: string[] | null;
  matrices: Record<string, MatrixInfo>;
}

type Task = { id: string; dataset: string; matrix: string } & (
  | { model: 'linear'; degree: number }
  | { model: 'logistic'; C: number; classWeight: 'none' | 'balanced'; maxIter: number }
  | { model: 'tree'; maxDepth: number; minSamplesLeaf: number; criterion: 'gini' | 'entropy' }
  | { model: 'svm'; C: number; gamma: 'scale'; trainRows: number | null }
);

interface TaskFile {
  sklearn: string;
  numpy: string;
  seed: number;
  testSize: number;
  repeats: number;
  /** Untimed fits before the timed ones, on both sides, so neither pays for first-call compilation. */
  warmup: number;
  datasets: Record<string, DatasetInfo>;
  tasks: Task[];
}

interface SklearnResult {
  fitMs: number;
  fitMsAll: number[];
  trainRows: number;
  trainCols: number;
  r2?: number;
  intercept?: number;
  coefficients?: number[];
  accuracy?: number;
  auc?: number;
  /** Logistic regression: the solver's iteration count. */
  iterations?: number;
  /** Trees: scikit-learn's own test accuracy and AUC range over random_state 0..seeds−1. */
  seedSpread?: { seeds: number; accuracy: [number, number]; auc: [number, number] };
}

interface PipelabResult {
  fitMs: number;
  fitMsAll: number[];
  /** Test-set metrics from models/evaluation/metrics.ts; classification also carries the confusion matrix. */
  metrics: Record<string, number | number[][] | null>;
  intercept?: number;
  coefficients?: number[];
  iterations?: number;
  note?: string;
}

interface CheckResult {
  maxAbsDiff: Record<string, number>;
  confusionEqual: boolean | null;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PIPELAB_PYTHON ?? '/usr/bin/python3';
const keep = process.argv.includes('--keep');
const onlyModel = optionValue('--only');
const repeatsOverride = optionValue('--repeats');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-parity-'));

function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Applies --only and --repeats to the task file, so the Python side sees the same selection. */
function selectTasks(meta: TaskFile): TaskFile {
  const tasks = onlyModel ? meta.tasks.filter((task) => task.model === onlyModel) : meta.tasks;
  if (tasks.length === 0) throw new Error(`--only ${onlyModel}: no task uses that model.`);
  const repeats = repeatsOverride ? Number(repeatsOverride) : meta.repeats;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a whole number of at least 1.`);
  const selected = { ...meta, tasks, repeats };
  fs.writeFileSync(path.join(dir, 'tasks.json'), JSON.stringify(selected, null, 1));
  return selected;
}

function runPython(step: 'prepare' | 'check'): void {
  execFileSync(python, [path.join(root, 'scripts', 'bench-parity.py'), step, dir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The Python side in serve mode: one command line out, one JSON line back. */
function startSklearn() {
  const child = spawn(python, [path.join(root, 'scripts', 'bench-parity.py'), 'serve', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
  child.on('exit', (code) => {
    for (const pending of waiting.splice(0)) pending.reject(new Error(`scikit-learn process exited with code ${code}`));
  });
  return {
    ask<T>(command: 'warmup' | 'fit' | 'result', taskId: string): Promise<T> {
      return new Promise<string>((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${command} ${taskId}\n`);
      }).then((line) => JSON.parse(line) as T);
    },
    close() {
      child.stdin.end();
    },
  };
}

type Sklearn = ReturnType<typeof startSklearn>;

function readBinary(name: string): Buffer {
  const buffer = fs.readFileSync(path.join(dir, name));
  // Copy into a fresh, aligned buffer so typed arrays can view it directly.
  const aligned = Buffer.alloc(buffer.length);
  buffer.copy(aligned);
  return aligned;
}

function readFloat64(name: string): Float64Array {
  const buffer = readBinary(`${name}.f64`);
  return new Float64Array(buffer.buffer, buffer.byteOffset, buffer.length / 8);
}

function readInt32(name: string): Int32Array {
  const buffer = readBinary(`${name}.i32`);
  return new Int32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4);
}

function writeTyped(name: string, values: Float64Array | Int32Array): void {
  fs.writeFileSync(path.join(dir, name), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
}

function readMatrix(name: string, cols: number): Matrix {
  const data = readFloat64(name);
  if (data.length % cols !== 0) throw new Error(`${name}: ${data.length} values do not fill rows of ${cols}.`);
  return { data, rows: data.length / cols, cols };
}

function firstRows(X: Matrix, rows: number): Matrix {
  const kept = Math.min(rows, X.rows);
  return { data: X.data.slice(0, kept * X.cols), rows: kept, cols: X.cols };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Warm-up fits (untimed), then timed fits, each right after the same fit on the scikit-learn side,
 * so a burst of load from elsewhere on the machine hits both sides alike.
 */
async function timedFits<T>(meta: TaskFile, sklearn: Sklearn, taskId: string, fit: () => T | Promise<T>): Promise<{ model: T; times: number[] }> {
  const times: number[] = [];
  let model: T | undefined;
  for (let i = 0; i < meta.warmup; i++) {
    await sklearn.ask('warmup', taskId);
    await fit();
  }
  for (let i = 0; i < meta.repeats; i++) {
    await sklearn.ask('fit', taskId);
    const started = performance.now();
    model = await fit();
    times.push(performance.now() - started);
  }
  return { model: model as T, times };
}

function maxRelativeDifference(ours: number[], reference: number[]): number {
  if (ours.length !== reference.length) return Number.POSITIVE_INFINITY;
  return ours.reduce((worst, value, j) => {
    const scale = Math.max(Math.abs(reference[j]), Number.MIN_VALUE);
    return Math.max(worst, Math.abs(value - reference[j]) / scale);
  }, 0);
}

async function runTask(meta: TaskFile, task: Task, sklearn: Sklearn): Promise<PipelabResult> {
  const info = meta.datasets[task.dataset];
  const matrix = info.matrices[task.matrix];
  let Xtrain = readMatrix(`${matrix.prefix}-train`, matrix.cols);
  const Xtest = readMatrix(`${matrix.prefix}-test`, matrix.cols);
  const split = JSON.parse(fs.readFileSync(path.join(dir, `${task.dataset}-split.json`), 'utf8')) as { train: number[]; test: number[] };
  if (Xtrain.rows !== split.train.length || Xtest.rows !== split.test.length) {
    throw new Error(`${task.id}: the prepared matrices do not have the split's ${split.train.length} + ${split.test.length} rows.`);
  }
  const names = matrix.names;

  if (task.model === 'linear') {
    const ytrain = readFloat64(`${task.dataset}-ytrain`);
    const ytest = readFloat64(`${task.dataset}-ytest`);
    const { model, times } = await timedFits(meta, sklearn, task.id, () => new LinearRegression({ degree: task.degree, l2: 0 }).fit(Xtrain, ytrain, { featureNames: names }));
    const predictions = model.predict(Xtest);
    writeTyped(`pred-${task.id}.f64`, predictions);
    const metrics = regressionMetrics(ytest, predictions);
    return {
      fitMs: median(times),
      fitMsAll: times,
      metrics: { ...metrics },
      intercept: model.intercept,
      coefficients: model.coefficients,
    };
  }

  let ytrain = readInt32(`${task.dataset}-ytrain`);
  const ytest = readInt32(`${task.dataset}-ytest`);
  const classes = info.classes ?? [];
  const K = classes.length;
  if (task.model === 'svm' && task.trainRows !== null) {
    Xtrain = firstRows(Xtrain, task.trainRows);
    ytrain = ytrain.slice(0, Xtrain.rows);
  }

  let predict: (X: Matrix) => Int32Array;
  let predictProba: (X: Matrix) => Float64Array;
  let times: number[];
  let note: string | undefined;
  let iterations: number | undefined;
  if (task.model === 'logistic') {
    const fitted = await timedFits(meta, sklearn, task.id, () =>
      new LogisticRegression({ l2: 1 / task.C, classWeight: task.classWeight, maxIter: task.maxIter }).fit(Xtrain, ytrain, { classCount: K, featureNames: names }),
    );
    times = fitted.times;
    predict = (X) => fitted.model.predict(X);
    predictProba = (X) => fitted.model.predictProba(X);
    iterations = fitted.model.iterations;
    note = fitted.model.converged ? undefined : `stopped at ${iterations} iterations before converging`;
  } else if (task.model === 'tree') {
    const fitted = await timedFits(meta, sklearn, task.id, () =>
      new DecisionTree({
        task: 'classification',
        criterion: task.criterion,
        maxDepth: task.maxDepth,
        minSamplesLeaf: task.minSamplesLeaf,
        minSamplesSplit: 2,
        classWeight: 'none',
      }).fit(Xtrain, ytrain, { featureNames: names, classCount: K }),
    );
    times = fitted.times;
    predict = (X) => Int32Array.from(fitted.model.predict(X));
    predictProba = (X) => fitted.model.predictProba(X);
  } else {
    const fitted = await timedFits(meta, sklearn, task.id, () =>
      new SupportVectorClassifier({ kernel: 'rbf', C: task.C, gamma: task.gamma, probability: true }).fit(Xtrain, ytrain, { classCount: K, featureNames: names }),
    );
    times = fitted.times;
    predict = (X) => fitted.model.predict(X);
    predictProba = (X) => fitted.model.predictProba(X);
    note = fitted.model.converged ? undefined : 'a machine stopped at the iteration limit';
  }
  const predictions = predict(Xtest);
  const proba = predictProba(Xtest);
  writeTyped(`pred-${task.id}.i32`, predictions);
  writeTyped(`proba-${task.id}.f64`, proba);
  const metrics = classificationMetrics(ytest, predictions, proba, classes);
  return {
    fitMs: median(times),
    fitMsAll: times,
    metrics: { accuracy: metrics.accuracy, rocAuc: metrics.rocAuc, macroF1: metrics.macroF1, confusion: metrics.confusion },
    iterations,
    note,
  };
}

/** Fit-time ratio Pipelab ÷ scikit-learn each model is expected to stay under. */
const SPEED_TARGET: Record<Task['model'], number> = { linear: 1, logistic: 1, tree: 1, svm: 2 };
/** Accuracy and AUC may differ from scikit-learn's by at most this many percentage points. */
const POINTS_TARGET = 1;
/** Largest relative difference allowed between Pipelab's and scikit-learn's linear coefficients. */
const COEFFICIENT_TARGET = 1e-6;

function modelLabel(task: Task, meta: TaskFile): string {
  switch (task.model) {
    case 'linear': {
      if (task.degree === 1) return 'linear regression';
      const terms = polynomialTerms(meta.datasets[task.dataset].matrices[task.matrix].cols, task.degree).length;
      return `linear regression, degree ${task.degree} (${terms} terms)`;
    }
    case 'logistic':
      return `logistic regression, C=${task.C}${task.classWeight === 'balanced' ? ', balanced' : ''}`;
    case 'tree':
      return `decision tree, depth ${task.maxDepth}, ${task.criterion}`;
    case 'svm':
      return `SVM, RBF, C=${task.C}, gamma=${task.gamma}, probabilities`;
  }
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function signedPoints(difference: number): string {
  const points = difference * 100;
  const text = Math.abs(points) < 0.005 ? '0.00' : points.toFixed(2);
  if (text === '0.00' || text === '-0.00') return '0.00';
  return points > 0 ? `+${text}` : `−${text.slice(1)}`;
}

function exponent(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}

function row(task: Task, meta: TaskFile, ours: PipelabResult, theirs: SklearnResult): string {
  const dataset = meta.datasets[task.dataset];
  const ratio = ours.fitMs / theirs.fitMs;
  const problems: string[] = [];
  let pipelabScore: string;
  let sklearnScore: string;
  let delta: string;
  if (task.model === 'linear') {
    const r2 = ours.metrics.r2 as number;
    const relative = maxRelativeDifference([ours.intercept!, ...ours.coefficients!], [theirs.intercept!, ...theirs.coefficients!]);
    pipelabScore = `R² ${r2.toFixed(6)}`;
    sklearnScore = `R² ${theirs.r2!.toFixed(6)}`;
    delta = `Δcoef ${exponent(relative)} (max relative, ${ours.coefficients!.length + 1} terms)`;
    if (!(relative <= COEFFICIENT_TARGET)) problems.push(`coefficients differ by ${exponent(relative)} > ${exponent(COEFFICIENT_TARGET)}`);
  } else {
    const accuracy = ours.metrics.accuracy as number;
    const auc = ours.metrics.rocAuc as number;
    const accuracyDelta = accuracy - theirs.accuracy!;
    const aucDelta = auc - theirs.auc!;
    pipelabScore = `acc ${accuracy.toFixed(4)}, AUC ${auc.toFixed(4)}`;
    sklearnScore = `acc ${theirs.accuracy!.toFixed(4)}, AUC ${theirs.auc!.toFixed(4)}`;
    delta = `ΔAUC ${signedPoints(aucDelta)} pt, Δacc ${signedPoints(accuracyDelta)} pt`;
    const misses: string[] = [];
    if (Math.abs(aucDelta) * 100 > POINTS_TARGET) misses.push('ΔAUC');
    if (Math.abs(accuracyDelta) * 100 > POINTS_TARGET) misses.push('Δacc');
    if (misses.length > 0) {
      const spread = theirs.seedSpread;
      const context = spread
        ? ` (scikit-learn itself, random_state 0–${spread.seeds - 1}: acc ${spread.accuracy.map((v) => v.toFixed(4)).join('–')}, ` +
          `AUC ${spread.auc.map((v) => v.toFixed(4)).join('–')})`
        : '';
      problems.push(`${misses.join(' and ')} beyond ±${POINTS_TARGET} pt${context}`);
    }
  }
  if (ratio > SPEED_TARGET[task.model]) problems.push(`slower than target (≤ ${SPEED_TARGET[task.model].toFixed(1)}×)`);
  if (ours.note) problems.push(ours.note);
  const subset = task.model === 'svm' && task.trainRows !== null ? ` (first ${task.trainRows.toLocaleString('en-US')} training rows)` : '';
  return [
    dataset.label,
    modelLabel(task, meta) + subset,
    `${theirs.trainRows.toLocaleString('en-US')}×${theirs.trainCols}`,
    pipelabScore,
    sklearnScore,
    delta,
    formatMs(ours.fitMs),
    formatMs(theirs.fitMs),
    `${ratio.toFixed(2)}×`,
    problems.length === 0 ? 'yes' : `**no**: ${problems.join('; ')}`,
  ].join(' | ');
}

function checkRow(task: Task, meta: TaskFile, check: CheckResult): string {
  const diff = check.maxAbsDiff;
  const cell = (key: string) => (key in diff ? exponent(diff[key]) : '—');
  return [
    meta.datasets[task.dataset].label,
    modelLabel(task, meta),
    cell('accuracy'),
    cell('rocAuc'),
    cell('macroF1'),
    task.model === 'linear' ? `R² ${cell('r2')}, MAE ${cell('mae')}, RMSE ${cell('rmse')}` : '—',
    check.confusionEqual === null ? '—' : check.confusionEqual ? 'yes' : '**no**',
  ].join(' | ');
}

try {
  const started = performance.now();
  console.error(`Preparing data in ${dir}`);
  runPython('prepare');
  const meta = selectTasks(JSON.parse(fs.readFileSync(path.join(dir, 'tasks.json'), 'utf8')) as TaskFile);
  const backend = await initBackend();
  console.error(`Fitting Pipelab (TensorFlow.js backend: ${backend}) and scikit-learn, alternately`);
  const server = startSklearn();
  const pipelab: Record<string, PipelabResult> = {};
  const sklearn: Record<string, SklearnResult> = {};
  try {
    for (const task of meta.tasks) {
      pipelab[task.id] = await runTask(meta, task, server);
      sklearn[task.id] = await server.ask<SklearnResult>('result', task.id);
      const iterations = (result: { iterations?: number }) => (result.iterations === undefined ? '' : `, ${result.iterations} iterations`);
      const [ours, theirs] = [pipelab[task.id], sklearn[task.id]];
      console.error(`  ${task.id}: Pipelab ${formatMs(ours.fitMs)} ms${iterations(ours)}, scikit-learn ${formatMs(theirs.fitMs)} ms${iterations(theirs)}`);
    }
  } finally {
    server.close();
  }
  fs.writeFileSync(path.join(dir, 'pipelab.json'), JSON.stringify(pipelab, null, 1));
  fs.writeFileSync(path.join(dir, 'sklearn.json'), JSON.stringify(sklearn, null, 1));
  console.error('Scoring Pipelab predictions with sklearn.metrics');
  runPython('check');
  const checks = JSON.parse(fs.readFileSync(path.join(dir, 'check.json'), 'utf8')) as Record<string, CheckResult>;

  const cpus = os.cpus();
  const date = new Date().toISOString().slice(0, 10);
  console.log(
    `${date}; Pipelab on Node ${process.version}, TensorFlow.js backend ${backend}; scikit-learn ${meta.sklearn} (NumPy ${meta.numpy}); ` +
      `CPU: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}; fit times are the median of ${meta.repeats} timed fits on each side, after ${meta.warmup} untimed.\n`,
  );
  console.log(
    '| dataset | model | rows×features (train) | Pipelab accuracy or R² | sklearn | ΔAUC or Δcoef | Pipelab fit (ms) | sklearn fit (ms) | ratio | meets target? |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const task of meta.tasks) console.log(`| ${row(task, meta, pipelab[task.id], sklearn[task.id])} |`);
  console.log('\nSame metric code? Pipelab\'s predictions scored by `models/evaluation/metrics.ts` and by `sklearn.metrics`, largest absolute difference:\n');
  console.log('| dataset | model | accuracy | ROC AUC | macro F1 | regression metrics | confusion matrix identical |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const task of meta.tasks) console.log(`| ${checkRow(task, meta, checks[task.id])} |`);
  console.log('\nAll fit times (ms), Pipelab / scikit-learn:\n');
  for (const task of meta.tasks) {
    const all = (values: number[]) => values.map(formatMs).join(', ');
    console.log(`- ${meta.datasets[task.dataset].label}, ${modelLabel(task, meta)}: ${all(pipelab[task.id].fitMsAll)} / ${all(sklearn[task.id].fitMsAll)}`);
  }
  console.error(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s${keep ? `; files kept in ${dir}` : ''}`);
} finally {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}
