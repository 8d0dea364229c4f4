import * as tf from '@tensorflow/tfjs';
import { LogisticRegression } from './models/logistic-regression';
await tf.setBackend('cpu'); await tf.ready();
let seed = 42; const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const n = 45000, p = 50;
const data = new Float64Array(n * p);
for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
  const base = rand() * 2 - 1;
  data[i * p + j] = j === 0 ? 1.6e9 + base * 1e7 : j === 1 ? base * 100000 : j < 10 ? (rand() < 0.001 ? 1 : 0) : base + (j % 5 === 0 ? data[i * p + j - 1] : 0);
}
for (const K of [2, 5]) {
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 10; j < 20; j++) s += data[i * p + j] * (j - 14); s += data[i*p+1] / 50000; s += (rand() - 0.5) * 4; y[i] = Math.min(K - 1, Math.max(0, Math.floor((s + 6) / 12 * K))); }
  const counts = new Array(K).fill(0); for (const v of y) counts[v]++;
  for (const l2 of [1, 1e-4]) {
  const t = performance.now();
  const m = await new LogisticRegression({ l2 }).fit({ data, rows: n, cols: p }, y, K, Array.from({ length: p }, (_, j) => 'c' + j));
  const acc = m.predict({ data, rows: n, cols: p }).filter((v, i) => v === y[i]).length / n;
  console.log(K, l2, counts.join('/'), (performance.now() - t).toFixed(0), 'ms iters', m.iterations, m.converged, 'acc', acc.toFixed(4), 'nan?', m.coefficients.flat().some(Number.isNaN), m.coefficients[0].slice(0, 3));
  }
}
console.log(tf.memory().numTensors);
