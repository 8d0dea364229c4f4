import * as tf from '@tensorflow/tfjs';
await tf.setBackend(process.env.BACKEND ?? 'cpu'); await tf.ready();
const n = 45000, p = 51, K = 5;
const X = tf.randomNormal([n, p]) as tf.Tensor2D; const Y = tf.oneHot(tf.randomUniform([n], 0, K, 'int32'), K).toFloat(); const W = tf.randomNormal([p, K]).mul(0.1);
const w1 = tf.randomNormal([p, 1]).mul(0.1);
async function time(label: string, f: () => tf.Tensor) { for (let r = 0; r < 2; r++) { const t = performance.now(); const out = tf.tidy(f); await out.data(); out.dispose(); if (r) console.log(label, (performance.now() - t).toFixed(1)); } }
await time('XW K=5', () => tf.matMul(X, W));
await time('XW K=1', () => tf.matMul(X, w1));
const Z = tf.matMul(X, W);
await time('logSoftmax', () => tf.logSoftmax(Z));
await time('manual logsoftmax', () => { const m = Z.max(1, true); const s = Z.sub(m); return s.sub(s.exp().sum(1, true).log()); });
await time('XtR K=5', () => tf.matMul(X, Y, true, false));
await time('XtR K=1', () => tf.matMul(X, Y.slice([0, 0], [n, 1]), true, false));
const XT = X.transpose();
await time('XT R K=5', () => tf.matMul(XT, Y));
await time('softplus', () => tf.softplus(Z));
