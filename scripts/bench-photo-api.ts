/**
 * Latency of the photo prediction API: runs the "Classify product photos" template in a temporary data folder,
 * publishes its convolutional network and its SVM on HOG features, and sends sample photos (28×28 PNG, about
 * 0.5 KB each) to the real route handler (POST /api/predict/<id>) in-process, as multipart forms of 1 and 16
 * photos, one request at a time. Each answer includes reading the form, the header checks, decoding and
 * preparing every photo with sharp, the model, the request count and the monitoring counts; only the network
 * transfer is left out.
 *
 * The web server scores photos on the backend the run worker uses (WebAssembly here, started by
 * initServingBackend without the process handlers its start-up adds); TensorFlow.js's plain JavaScript ("cpu")
 * backend, what it falls back to when WebAssembly cannot start, is timed too.
 *   npx tsx scripts/bench-photo-api.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { POST } from '../app/api/predict/[id]/route';
import { useTempDataDir } from '../nodes/test-harness';
import type { ServerContext } from '../server/context';
import { publishEndpoint } from '../server/endpoints';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import { findTemplate } from '../server/templates';

const db = await useTempDataDir();
(globalThis as { pipelabContext?: Partial<ServerContext> }).pipelabContext = { db };
const trainingStarted = performance.now();
const { runId, done } = await startRun(db, new InProcessExecutor(), {
  graph: findTemplate('classify-product-photos')!.graph,
  pipelineId: null,
  label: 'photo API benchmark',
  origin: 'cli',
  workspaceId: null,
  startedBy: null,
});
await done;
console.error(`template trained in ${((performance.now() - trainingStarted) / 1000).toFixed(0)} s`);

const samples = path.join('samples', 'fashion-products');
const photos = fs
  .readdirSync(samples)
  .sort()
  .flatMap((label) => fs.readdirSync(path.join(samples, label)).slice(-4).map((file) => ({ name: `${label}/${file}`, bytes: fs.readFileSync(path.join(samples, label, file)) })));

async function classify(api: { id: string; token: string }, count: number, offset: number): Promise<number> {
  const form = new FormData();
  for (let i = 0; i < count; i++) {
    const photo = photos[(offset + i) % photos.length];
    form.append('image', new Blob([photo.bytes]), photo.name);
  }
  const request = new Request(`http://127.0.0.1/api/predict/${api.id}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${api.token}` } });
  const started = performance.now();
  const response = await POST(request, { params: Promise.resolve({ id: api.id }) });
  const body = (await response.json()) as { answered?: number; error?: string };
  const elapsed = performance.now() - started;
  if (response.status !== 200 || body.answered !== count) throw new Error(body.error ?? `status ${response.status}`);
  return elapsed;
}

const percentile = (times: number[], q: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(q * times.length))];

console.log('| model | backend | photos per request | requests | p50 (ms) | p99 (ms) | photos per second (p50) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const apis = [
  { title: 'Convolutional network', api: await publishEndpoint(db, { runId, nodeId: 'cnn', name: 'cnn', workspaceId: null, createdBy: null }) },
  { title: 'SVM on HOG features', api: await publishEndpoint(db, { runId, nodeId: 'svm', name: 'svm', workspaceId: null, createdBy: null }) },
];
for (const backend of ['wasm', 'cpu']) {
  if (!(await tf.setBackend(backend))) throw new Error(`The ${backend} backend did not start.`);
  for (const { title, api } of apis) {
    if (backend === 'cpu' && title.startsWith('SVM')) continue; // no TensorFlow.js in an SVM
    for (const [count, requests] of [
      [1, 300],
      [16, 60],
    ]) {
      for (let i = 0; i < 10; i++) await classify(api, count, i);
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push(await classify(api, count, i * count));
      const p50 = percentile(times, 0.5);
      console.log(`| ${title} | ${backend} | ${count} | ${requests} | ${p50.toFixed(1)} | ${percentile(times, 0.99).toFixed(1)} | ${((count / p50) * 1000).toFixed(0)} |`);
    }
  }
}
process.exit(0);
