import * as tf from '@tensorflow/tfjs';
import { LogisticRegression } from './models/logistic-regression';
await tf.setBackend('cpu'); await tf.ready();
let seed = 7; const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (const [n, p, K] of [[45000, 120, 2], [3000, 600, 2], [3000, 600, 3]]) {
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) data[i * p + j] = (rand() * 2 - 1) * (j % 7 === 0 ? 1000 : 1) + (j > 0 && j % 3 === 0 ? data[i * p + j - 1] : 0);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < 10; j++) s += data[i * p + j * 3 + 1]; s += (rand() - 0.5) * 3; y[i] = K === 2 ? (s > 0 ? 1 : 0) : s < -1 ? 0 : s < 1 ? 1 : 2; }
  const t = performance.now();
  const m = await new LogisticRegression({ l2: 1 }).fit({ data, rows: n, cols: p }, y, K, Array.from({ length: p }, (_, j) => 'c' + j));
  // float64 gradient check, binary only
  let gmax = NaN;
  if (K === 2) {
    const w = m.coefficients[0], b = m.intercepts[0]; const g = new Float64Array(p + 1);
    for (let i = 0; i < n; i++) { let z = b; for (let j = 0; j < p; j++) z += w[j] * data[i * p + j]; const r = 1 / (1 + Math.exp(-z)) - y[i]; for (let j = 0; j < p; j++) g[j] += r * data[i * p + j]; g[p] += r; }
    for (let j = 0; j < p; j++) g[j] += w[j];
    // scale-aware: gradient w.r.t. standardized coefficient ≈ g_j * sd_j; report max relative to n
    let sdmax = 0; gmax = 0; for (let j = 0; j <= p; j++) { let sd = 1; if (j < p) { let m1 = 0, m2 = 0; for (let i = 0; i < n; i++) { m1 += data[i*p+j]; m2 += data[i*p+j]**2; } sd = Math.sqrt(m2/n - (m1/n)**2); } gmax = Math.max(gmax, Math.abs(g[j]) * sd / n); }
  }
  console.log(n, p, K, (performance.now() - t).toFixed(0), 'ms', m.iterations, m.converged, 'std grad/n', gmax);
}
