/**
 * Fits multinomial logistic regression on scikit-learn's digits (standardised, 1,437 × 64, 10 classes,
 * C = 1) many times in one process, printing per fit the wall and CPU time, the evaluation count and
 * the time spent inside the objective, the preconditioner and the rest of L-BFGS, and tf.memory():
 *   python3 scripts/bench-parity.py prepare DIR && npx tsx scripts/profile-logistic-digits.ts DIR [fits] [evaluations]
 * The optional evaluations first runs the objective alone that many times, outside any fit, to tell
 * the warm-up of the objective (TensorFlow.js, WebAssembly, its JavaScript loop) from the solver's.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { minimizeLbfgs } from '../models/linalg';
import { createProblem } from '../models/linear/logistic-objective';
import { initBackend } from '../server/tf-backend';

const dir = process.argv[2];
const fits = Number(process.argv[3] ?? 40);
const warmEvaluations = Number(process.argv[4] ?? 0);
const read = (name: string) => {
  const buffer = fs.readFileSync(path.join(dir, name));
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
};
const data = new Float64Array(read('digits-standardized-train.f64'));
const y = new Int32Array(read('digits-ytrain.i32'));
const X = { data, rows: y.length, cols: data.length / y.length };

async function fitOnce() {
  const weights = new Float32Array(y.length).fill(1);
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const problem = createProblem(X, y, 10, weights, 1);
  const setupMs = performance.now() - wallStart;
  let evaluations = 0;
  let evaluateMs = 0;
  let preconditionMs = 0;
  try {
    const result = await minimizeLbfgs(
      (theta) => {
        const start = performance.now();
        evaluations++;
        const value = problem.evaluate(theta);
        evaluateMs += performance.now() - start;
        return value;
      },
      new Float64Array(problem.size),
      {
        maxIterations: 1000,
        stepTolerance: 1e-8,
        gradientTolerance: 1e-6 * problem.totalWeight,
        relativeDecreaseTolerance: 2.2e-9,
        precondition: (g) => {
          const start = performance.now();
          const out = problem.precondition(g);
          preconditionMs += performance.now() - start;
          return out;
        },
        preconditionedSquare: problem.inverseSquare,
      },
    );
    const wallMs = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, setupMs, evaluations, evaluateMs, preconditionMs, iterations: result.iterations, value: result.value };
  } finally {
    problem.dispose();
  }
}

await initBackend();
console.log('backend', tf.getBackend());
if (warmEvaluations > 0) {
  const problem = createProblem(X, y, 10, new Float32Array(y.length).fill(1), 1);
  const theta = new Float64Array(problem.size);
  for (let i = 0; i < warmEvaluations; i++) {
    theta[i % theta.length] += 1e-3;
    problem.evaluate(theta);
  }
  problem.dispose();
}
const rows: Awaited<ReturnType<typeof fitOnce>>[] = [];
for (let i = 0; i < fits; i++) {
  const r = await fitOnce();
  rows.push(r);
  const m = tf.memory();
  console.log(
    [i, r.wallMs.toFixed(1), r.cpuMs.toFixed(1), r.setupMs.toFixed(1), r.evaluations, r.iterations, r.evaluateMs.toFixed(1), r.preconditionMs.toFixed(1), r.value, m.numTensors, m.numBytes].join('\t'),
  );
}
const sorted = (key: 'wallMs' | 'cpuMs' | 'evaluateMs') => rows.map((r) => r[key]).sort((a, b) => a - b);
for (const key of ['wallMs', 'cpuMs', 'evaluateMs'] as const) {
  const s = sorted(key);
  console.log(key, 'min', s[0].toFixed(1), 'median', s[s.length >> 1].toFixed(1), 'max', s[s.length - 1].toFixed(1));
}
