/**
 * Times the reference image CNN on the WebAssembly and plain-JavaScript backends:
 *   npx tsx scripts/bench-cnn.ts [--padding same|valid] [--batches 30] [--cpu-batches 1]
 *
 * Model: conv 32 3x3 relu -> maxpool 2 -> conv 64 3x3 relu -> maxpool 2 -> flatten -> dense 128 relu
 * -> dense 10 softmax, input 28x28x1, batch 64, Adam. Data: random images and labels (speed does not
 * depend on the pixel values). Prints training images/s per backend (from the median step time),
 * forward-only images/s on wasm, and how one wasm training step splits across kernels.
 * `--cpu-batches 0` skips the slow cpu backend.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../models/kernels/wasm-kernels';

const require = createRequire(import.meta.url);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const PADDING = arg('padding', 'same') as 'same' | 'valid';
const BATCH = 64;
const WASM_BATCHES = Number(arg('batches', '30'));
const CPU_BATCHES = Number(arg('cpu-batches', '1'));
const FORWARD_RUNS = 20;

function buildModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: PADDING, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: PADDING, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  return model;
}

function randomBatch(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const xs = tf.randomUniform([BATCH, 28, 28, 1]) as tf.Tensor4D;
    const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32') as tf.Tensor1D, 10).toFloat() as tf.Tensor2D;
    return { xs, ys };
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Times each training step on its own and reports the median step: other work on the machine
 * lengthens a few steps a lot, which moves the mean but hardly the median.
 */
async function trainImagesPerSecond(
  model: tf.Sequential,
  batches: number,
): Promise<{ rate: number; msPerStep: number; meanRate: number; leaked: number }> {
  const { xs, ys } = randomBatch();
  await model.trainOnBatch(xs, ys); // warm-up: creates the optimizer's slots
  const before = tf.memory().numTensors;
  const steps: number[] = [];
  for (let i = 0; i < batches; i++) {
    const start = performance.now();
    await model.trainOnBatch(xs, ys);
    steps.push(performance.now() - start);
  }
  const leaked = tf.memory().numTensors - before;
  tf.dispose([xs, ys]);
  const msPerStep = median(steps);
  const meanMs = steps.reduce((a, v) => a + v, 0) / Math.max(1, batches);
  return { rate: (BATCH * 1000) / msPerStep, msPerStep, meanRate: (BATCH * 1000) / meanMs, leaked };
}

function forwardImagesPerSecond(model: tf.Sequential): number {
  const { xs, ys } = randomBatch();
  tf.tidy(() => (model.predict(xs) as tf.Tensor).dataSync());
  const runs: number[] = [];
  for (let i = 0; i < FORWARD_RUNS; i++) {
    const start = performance.now();
    tf.tidy(() => (model.predict(xs) as tf.Tensor).dataSync());
    runs.push(performance.now() - start);
  }
  tf.dispose([xs, ys]);
  return (BATCH * 1000) / median(runs);
}

const PROFILED_STEPS = 5;

/** Kernel time of one training step by kernel (convolutions by filter shape), median over several steps. */
async function kernelSplit(model: tf.Sequential): Promise<void> {
  const { xs, ys } = randomBatch();
  await model.trainOnBatch(xs, ys);
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const perStep: Array<Map<string, { ms: number; calls: number }>> = [];
  const walls: number[] = [];
  for (let step = 0; step < PROFILED_STEPS; step++) {
    const start = performance.now();
    const info = await tf.profile(() => model.trainOnBatch(xs, ys) as Promise<number>);
    walls.push(performance.now() - start);
    const byKernel = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const conv = k.name === 'Conv2D' || k.name.startsWith('Conv2DBackprop');
      const key = conv ? `${k.name} ${JSON.stringify(k.inputShapes[1] ?? [])}` : k.name;
      const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
      entry.ms += Number(k.kernelTimeMs) || 0;
      entry.calls += 1;
      byKernel.set(key, entry);
    }
    perStep.push(byKernel);
  }
  tf.dispose([xs, ys]);
  const rows = [...perStep[0].entries()]
    .map(([name, v]) => [name, { calls: v.calls, ms: median(perStep.map((m) => m.get(name)?.ms ?? 0)) }] as const)
    .sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, v]) => s + v.ms, 0);
  console.log(`\nOne wasm training step, by kernel (median of ${PROFILED_STEPS} profiled steps; wall ${median(walls).toFixed(1)} ms, in kernels ${total.toFixed(1)} ms):`);
  console.log('| kernel (second input shape for convolutions) | calls | ms | share |');
  console.log('|---|---:|---:|---:|');
  for (const [name, v] of rows.slice(0, 15)) {
    console.log(`| ${name} | ${v.calls} | ${v.ms.toFixed(2)} | ${((100 * v.ms) / total).toFixed(1)}% |`);
  }
  const rest = rows.slice(15);
  const restMs = rest.reduce((s, [, v]) => s + v.ms, 0);
  const restCalls = rest.reduce((s, [, v]) => s + v.calls, 0);
  if (rest.length) console.log(`| ${rest.length} other kernels | ${restCalls} | ${restMs.toFixed(2)} | ${((100 * restMs) / total).toFixed(1)}% |`);
}

async function main(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The trailing slash matters: the loader appends file names to this prefix.
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend did not start.');
  await tf.ready();
  console.log(`Reference CNN, padding '${PADDING}', batch ${BATCH}, Adam; random 28x28x1 images.`);

  const wasmModel = buildModel();
  const forward = forwardImagesPerSecond(wasmModel);
  const wasmTrain = await trainImagesPerSecond(wasmModel, WASM_BATCHES);
  await kernelSplit(wasmModel);
  wasmModel.dispose();

  let cpuTrain = { rate: 0, msPerStep: 0 };
  if (CPU_BATCHES > 0) {
    await tf.setBackend('cpu');
    const cpuModel = buildModel();
    cpuTrain = await trainImagesPerSecond(cpuModel, CPU_BATCHES);
    cpuModel.dispose();
  }

  console.log('\n| backend | measurement | images/s | ms per batch of 64 |');
  console.log('|---|---|---:|---:|');
  console.log(`| wasm | forward only | ${forward.toFixed(0)} | ${((BATCH * 1000) / forward).toFixed(1)} |`);
  console.log(`| wasm | training, median of ${WASM_BATCHES} steps (mean: ${wasmTrain.meanRate.toFixed(0)}) | ${wasmTrain.rate.toFixed(0)} | ${wasmTrain.msPerStep.toFixed(1)} |`);
  if (CPU_BATCHES > 0) {
    console.log(`| cpu | training, median of ${CPU_BATCHES} steps | ${cpuTrain.rate.toFixed(0)} | ${cpuTrain.msPerStep.toFixed(1)} |`);
  }
  console.log(`\nwasm tensors left over after ${WASM_BATCHES} training steps: ${wasmTrain.leaked}`);
  console.log(`Target: 1,000 images/s training on wasm -> ${wasmTrain.rate >= 1000 ? 'met' : 'not met'}.`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
