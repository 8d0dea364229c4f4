import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { LogisticRegression } from './models/logistic-regression';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend(process.env.BACKEND ?? 'cpu'); await tf.ready();
const lines = readFileSync('samples/bank-marketing.csv', 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(';');
const rows = lines.slice(1).map(l => l.split(';'));
const num = ['age','balance','day','duration','campaign','pdays','previous'];
const cat = ['job','marital','education','default','housing','loan','contact','month','poutcome'];
const columns: number[][] = [];
for (const n of num) { const c = header.indexOf(n); columns.push(rows.map(r => Number(r[c]))); }
for (const name of cat) { const c = header.indexOf(name); const levels = [...new Set(rows.map(r => r[c]))].sort(); for (const v of levels) columns.push(rows.map(r => r[c] === v ? 1 : 0)); }
const p = columns.length, n = rows.length;
const data = new Float64Array(n * p); for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) data[i * p + j] = columns[j][i];
const y = Int32Array.from(rows, r => r[header.indexOf('y')] === 'yes' ? 1 : 0);
console.log(n, p);
for (const cw of ['none', 'balanced'] as const) {
const t = performance.now();
const m = await new LogisticRegression({ l2: 1, classWeight: cw }).fit({ data, rows: n, cols: p }, y, 2, columns.map((_, j) => 'c' + j));
console.log(cw, (performance.now() - t).toFixed(0), 'ms', m.iterations, m.converged, m.coefficients[0].slice(0, 10), m.intercepts, Array.from(m.predictProba({ data: data.slice(0, 3 * p), rows: 3, cols: p })));
}
console.log(tf.memory());
