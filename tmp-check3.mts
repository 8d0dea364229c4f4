import * as tf from '@tensorflow/tfjs';
import * as linalg from './models/linalg';
import { LogisticRegression } from './models/logistic-regression';
await tf.setBackend('cpu'); await tf.ready();
const n = 80, data = new Float64Array(n * 3), y = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const x1 = 3 * Math.sin(0.7 * i + 0.3), x2 = 2 * Math.cos(1.3 * i) + i / 40, x3 = ((i * 37) % 17) / 4 - 2;
  data.set([x1, x2, x3], i * 3);
  y[i] = 1.2 * x1 - 0.8 * x2 + 0.5 * x3 + 1.5 * Math.sin(2.9 * i) > 2 ? 1 : 0;
}
const m = await new LogisticRegression({ l2: 0.5, classWeight: 'balanced' }).fit({ data, rows: n, cols: 3 }, y, 2, ['a','b','c'], { onProgress: (f, msg) => console.log(f, msg) });
console.log(m.coefficients, m.intercepts, m.iterations);
const cnt = [0, 0]; for (const v of y) cnt[v]++; console.log(cnt);
function grad(w: number[], b: number) {
  const g = [0, 0, 0, 0]; let f = 0;
  for (let i = 0; i < n; i++) {
    const sw = n / (2 * cnt[y[i]]);
    const z = b + w[0] * data[i * 3] + w[1] * data[i * 3 + 1] + w[2] * data[i * 3 + 2];
    const r = sw * (1 / (1 + Math.exp(-z)) - y[i]);
    f += sw * (Math.log1p(Math.exp(z)) - y[i] * z);
    for (let j = 0; j < 3; j++) g[j] += r * data[i * 3 + j];
    g[3] += r;
  }
  for (let j = 0; j < 3; j++) { g[j] += 0.5 * w[j]; f += 0.25 * w[j] * w[j]; }
  return { f, g };
}
console.log(grad(m.coefficients[0], m.intercepts[0]));
console.log(grad([1.7125669763695228, -1.7696081805701553, 0.4648237270415462], -1.471623175567103));
