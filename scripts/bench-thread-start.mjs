/**
 * What starting a thread of a network's settings search costs, before it trains anything:
 *   node scripts/bench-thread-start.mjs [rounds=2] [threads=2]
 * Each round starts `threads` search threads (nodes/lib/tuning-thread-entry.mjs, as the pool does), sends them a
 * tiny photo search and waits until every one is ready (TensorFlow.js loaded, wasm started): wall time, the
 * process's CPU time (every thread's) and resident memory added. Then this process loads the same modules
 * one by one, timing each, to say where a thread's start goes.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const rounds = Number(process.argv[2] ?? 2);
const threads = Number(process.argv[3] ?? 2);
const entry = new URL('../nodes/lib/tuning-thread-entry.mjs', import.meta.url);
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const photos = {
  pixels: { count: 4, height: 8, width: 8, channels: 1, data: new Float32Array(256) },
  labels: new Int32Array(4),
  classes: ['a', 'b'],
  folds: [],
  augmentation: null,
  maxValue: 1,
};
const init = { type: 'init', nodeType: 'model.cnn', title: 'Convolutional network', backend: 'wasm', data: { kind: 'photos', photos } };

for (let round = 1; round <= rounds; round++) {
  const rss = rssMb();
  const cpu = cpuSeconds();
  const started = performance.now();
  const workers = Array.from({ length: threads }, () => new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: 2048 } }));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise((resolve, reject) => {
          worker.on('message', (message) => (message.type === 'ready' ? resolve() : reject(new Error(message.message))));
          worker.postMessage(init);
        }),
    ),
  );
  console.log(
    `round ${round}: ${threads} threads ready in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `${(cpuSeconds() - cpu).toFixed(1)} s CPU, resident memory +${(rssMb() - rss).toFixed(0)} MB, load ${os.loadavg()[0].toFixed(1)}`,
  );
  await Promise.all(workers.map((worker) => worker.terminate()));
}

let cpu = cpuSeconds();
let started = performance.now();
const lap = (what) => {
  console.log(`${what}: ${((performance.now() - started) / 1000).toFixed(2)} s wall, ${(cpuSeconds() - cpu).toFixed(2)} s CPU`);
  cpu = cpuSeconds();
  started = performance.now();
};
register();
lap('TypeScript loader');
await import('@tensorflow/tfjs');
lap('@tensorflow/tfjs');
await import('../nodes/lib/network-trials.ts');
lap('the network and its scoring');
const { startBackend } = await import('../nodes/lib/tf-backends.ts');
if (!(await startBackend('wasm'))) throw new Error('The wasm backend did not start.');
lap('wasm backend started');
