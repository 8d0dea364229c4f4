import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { LogisticRegression } from './models/logistic-regression';
await tf.setBackend(process.env.BACKEND ?? 'cpu'); await tf.ready();
let seed = 42; const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const n = 45000, p = 50;
const data = new Float64Array(n * p);
for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
  const base = rand() * 2 - 1;
  data[i * p + j] = j === 0 ? 1.6e9 + base * 1e7 : j === 1 ? base * 100000 : j < 10 ? (rand() < 0.001 ? 1 : 0) : base + (j % 5 === 0 ? data[i * p + j - 1] : 0);
}
const K = 5;
const y = new Int32Array(n);
for (let i = 0; i < n; i++) { let s = 0; for (let j = 10; j < 20; j++) s += data[i * p + j] * (j - 14); s += data[i*p+1] / 50000; s += (rand() - 0.5) * 4; y[i] = Math.min(K - 1, Math.max(0, Math.floor((s + 6) / 12 * K))); }
const t = performance.now();
const m = await new LogisticRegression({ l2: 1 }).fit({ data, rows: n, cols: p }, y, K, Array.from({ length: p }, (_, j) => 'c' + j), { onProgress: (f, msg) => console.log(msg, (performance.now() - t).toFixed(0)) });
console.log(m.coefficients.map(r => r.slice(10, 13)));
