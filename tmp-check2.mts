import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { LogisticRegression } from './models/logistic-regression';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend(process.env.BACKEND ?? 'cpu'); await tf.ready();
function binary(threshold: number) {
  const n = 80, data = new Float64Array(n * 3), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = 3 * Math.sin(0.7 * i + 0.3), x2 = 2 * Math.cos(1.3 * i) + i / 40, x3 = ((i * 37) % 17) / 4 - 2;
    data.set([x1, x2, x3], i * 3);
    y[i] = 1.2 * x1 - 0.8 * x2 + 0.5 * x3 + 1.5 * Math.sin(2.9 * i) > threshold ? 1 : 0;
  }
  return { X: { data, rows: n, cols: 3 }, y };
}
function multi() {
  const n = 90, data = new Float64Array(n * 3), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = 3 * Math.sin(0.9 * i + 0.1), x2 = 2 * Math.cos(0.4 * i) + Math.sin(3.1 * i), x3 = (i % 7) - 3;
    data.set([x1, x2, x3], i * 3);
    const s0 = x1 + 1.3 * Math.sin(5.3 * i), s1 = x2 + 0.3 * x3 + 1.3 * Math.cos(4.7 * i);
    y[i] = s0 > 1 ? 0 : s1 > 0 ? 1 : 2;
  }
  return { X: { data, rows: n, cols: 3 }, y };
}
function bank() {
  const lines = readFileSync('samples/bank-marketing.csv', 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(';');
  const cols = ['age', 'balance', 'day', 'duration', 'campaign', 'pdays', 'previous'].map(c => header.indexOf(c));
  const rows = lines.slice(1).map(l => l.split(';'));
  const X = { data: Float64Array.from(rows.flatMap(r => cols.map(c => Number(r[c])))), rows: rows.length, cols: cols.length };
  const y = Int32Array.from(rows, r => r[header.indexOf('y')].trim() === 'yes' ? 1 : 0);
  return { X, y };
}
async function run(label: string, d: any, K: number, params: any) {
  const t = performance.now();
  const m = await new LogisticRegression(params).fit(d.X, d.y, K, Array.from({ length: d.X.cols }, (_, j) => 'x' + j));
  console.log(label, (performance.now() - t).toFixed(0) + 'ms', m.iterations, m.converged, JSON.stringify(m.coefficients), JSON.stringify(m.intercepts), Array.from(m.predictProba({ data: d.X.data.slice(0, 3 * d.X.cols), rows: 3, cols: d.X.cols })).map(v => v.toFixed(6)).join(','));
}
await run('binary l2=1', binary(0.3), 2, { l2: 1 });
await run('binary l2=0.01', binary(0.3), 2, { l2: 0.01 });
await run('imb', binary(2.0), 2, { l2: 0.5 });
await run('imb bal', binary(2.0), 2, { l2: 0.5, classWeight: 'balanced' });
await run('multi', multi(), 3, { l2: 1 });
await run('multi bal', multi(), 3, { l2: 0.1, classWeight: 'balanced' });
await run('bank', bank(), 2, { l2: 1 });
console.log(tf.memory().numTensors);
