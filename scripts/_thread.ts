import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { initBackend } from '../server/tf-backend';
await initBackend();
const rss = () => process.memoryUsage().rss / 2 ** 20;
const photos = { pixels: { count: 4, height: 8, width: 8, channels: 1, data: new Float32Array(256) }, labels: new Int32Array(4), classes: ['a', 'b'], folds: [], augmentation: null, maxValue: 1 };
for (let round = 0; round < 2; round++) {
  const before = rss();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const workers = [0, 1].map(() => new Worker('./nodes/lib/tuning-thread-entry.mjs', { resourceLimits: { maxOldGenerationSizeMb: 2048 } }));
  await Promise.all(workers.map((w) => new Promise<void>((resolve) => { w.on('message', (m) => m.type === 'ready' && resolve()); w.postMessage({ type: 'init', nodeType: 'model.cnn', title: 'x', backend: 'wasm', data: { kind: 'photos', photos } }); })));
  const cpu = process.cpuUsage(cpu0);
  console.log(`2 threads ready in ${((performance.now() - started) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, rss +${(rss() - before).toFixed(0)} MB, load ${os.loadavg()[0].toFixed(1)}`);
  await Promise.all(workers.map((w) => w.terminate()));
}
