/**
 * One fit per fresh process, Pipelab against scikit-learn, on bench-parity's prepared data: what a
 * pipeline run pays (a run process fits once), where bench-parity times fits 2–8 of one process.
 *   npx tsx scripts/bench-logistic-fresh.ts [--task logistic-digits] [--processes 10] [--dir DIR]
 *     [--node-flags "--max-lazy ..."] [--code PATH] [--no-sklearn]
 * Each round starts a Python process (bench-parity.py serve: imports done, then one timed fit) and
 * a Node process (TensorFlow.js backend started, as a run does, then one timed fit), one after the
 * other, so load from elsewhere hits both alike. --task takes any logistic or tree task id of
 * bench-parity.py (logistic-bank, tree-digits, ...). --node-flags go to the Node processes (V8
 * options); --code fits with the models of another checkout (e.g. a worktree of an older commit).
 * Without --dir the data is prepared into a temporary folder first.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PIPELAB_PYTHON ?? '/usr/bin/python3';
const option = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

interface Task {
  id: string;
  dataset: string;
  matrix: string;
  model: string;
  C?: number;
  classWeight?: 'none' | 'balanced';
  maxIter?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  criterion?: 'gini' | 'entropy';
}
interface Meta {
  datasets: Record<string, { classes: string[] | null; matrices: Record<string, { prefix: string; cols: number; names: string[] }> }>;
  tasks: Task[];
}
interface Fit {
  fitMs: number;
  cpuMs: number;
  iterations?: number;
  accuracy: number;
}

function readTyped<T>(dir: string, name: string, make: (buffer: ArrayBuffer) => T): T {
  const buffer = fs.readFileSync(path.join(dir, name));
  return make(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

/** The child: one fit, its time and test accuracy as one JSON line. */
async function fitOnce(dir: string, taskId: string, code: string): Promise<Fit> {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'tasks.json'), 'utf8')) as Meta;
  const task = meta.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`No task ${taskId} in ${dir}/tasks.json.`);
  const info = meta.datasets[task.dataset];
  const { prefix, cols, names } = info.matrices[task.matrix];
  const X = (name: string) => {
    const data = readTyped(dir, `${prefix}-${name}.f64`, (b) => new Float64Array(b));
    return { data, rows: data.length / cols, cols };
  };
  const [Xtrain, Xtest] = [X('train'), X('test')];
  const ytrain = readTyped(dir, `${task.dataset}-ytrain.i32`, (b) => new Int32Array(b));
  const ytest = readTyped(dir, `${task.dataset}-ytest.i32`, (b) => new Int32Array(b));
  const K = info.classes?.length ?? 0;
  const { initBackend } = await import(path.join(code, 'server', 'tf-backend.ts'));
  await initBackend();
  const options = { classCount: K, featureNames: names };
  let fit: () => Promise<{ predict: (X: unknown) => ArrayLike<number>; iterations?: number }>;
  if (task.model === 'logistic') {
    const { LogisticRegression } = await import(path.join(code, 'models', 'linear', 'logistic-regression.ts'));
    fit = () => new LogisticRegression({ l2: 1 / task.C!, classWeight: task.classWeight, maxIter: task.maxIter }).fit(Xtrain, ytrain, options);
  } else if (task.model === 'tree') {
    const { DecisionTree } = await import(path.join(code, 'models', 'tree', 'decision-tree.ts'));
    const tree = { task: 'classification', criterion: task.criterion, maxDepth: task.maxDepth, minSamplesLeaf: task.minSamplesLeaf, minSamplesSplit: 2, classWeight: 'none' };
    fit = async () => new DecisionTree(tree).fit(Xtrain, ytrain, options);
  } else throw new Error(`${taskId}: only logistic and tree tasks.`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const model = await fit();
  const fitMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const predictions = model.predict(Xtest);
  let right = 0;
  for (let i = 0; i < ytest.length; i++) if (predictions[i] === ytest[i]) right++;
  return { fitMs, cpuMs: (used.user + used.system) / 1000, iterations: model.iterations, accuracy: right / ytest.length };
}

function runNode(dir: string, taskId: string, flags: string[], code: string): Fit {
  const loader = path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [...flags, '--import', loader, script, '--child', dir, taskId, code], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Fit;
}

/** A fresh scikit-learn process: its first timed fit (imports and data loading come before the clock starts). */
function runSklearn(dir: string, taskId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(root, 'scripts', 'bench-parity.py'), 'serve', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      child.stdin.end();
      resolve((JSON.parse(line) as { ms: number }).ms);
    });
    child.on('error', reject);
    child.stdin.write(`fit ${taskId}\n`);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');

async function main() {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await fitOnce(process.argv[3], process.argv[4], process.argv[5])));
    return;
  }
  const taskId = option('--task') ?? 'logistic-digits';
  const processes = Number(option('--processes') ?? 10);
  const flags = (option('--node-flags') ?? '').split(/\s+/).filter(Boolean);
  const code = path.resolve(option('--code') ?? root);
  const withSklearn = !process.argv.includes('--no-sklearn');
  let dir = option('--dir');
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-fresh-'));
    execFileSync(python, [path.join(root, 'scripts', 'bench-parity.py'), 'prepare', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  console.log(`${taskId}, ${processes} fresh processes per side, Node flags: ${flags.join(' ') || 'none'}, code: ${code}; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const ours: Fit[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < processes; round++) {
    if (withSklearn) theirs.push(await runSklearn(dir, taskId));
    ours.push(runNode(dir, taskId, flags, code));
  }
  const fitMs = ours.map((f) => f.fitMs);
  console.log(`Pipelab fit (ms): ${format(fitMs)}; median ${median(fitMs).toFixed(1)}`);
  console.log(`Pipelab CPU (ms): ${format(ours.map((f) => f.cpuMs))}; iterations ${[...new Set(ours.map((f) => f.iterations))].join('/')}; accuracy ${[...new Set(ours.map((f) => f.accuracy.toFixed(4)))].join('/')}`);
  if (withSklearn) {
    console.log(`scikit-learn fit (ms): ${format(theirs)}; median ${median(theirs).toFixed(1)}`);
    console.log(`ratio of medians: ${(median(fitMs) / median(theirs)).toFixed(2)}×`);
  }
  console.log(`load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

await main();
