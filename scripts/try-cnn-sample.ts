/**
 * Trains the convolutional network on the fashion-products sample and prints test accuracy and speed:
 *   npx tsx scripts/try-cnn-sample.ts [--epochs 15] [--lr 0.001] [--dropout 0.25] [--batch 32]
 *     [--filters 32] [--dense 128] [--blocks 2] [--patience 3] [--optimizer adam] [--seed 42] [--backend wasm|cpu]
 * Split: stratified 80/20 train/test (seed 42), then 15% of the training images held out for
 * validation (early stopping). Pixels are scaled to 0–1.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ConvNet, type ConvNetOptions, type ImageTensorInput } from '../models/cnn';
import { trainTestSplit } from '../models/split';
import { registerWasmTrainingKernels } from '../models/wasm-kernels';

const require = createRequire(import.meta.url);
const ROOT = path.join(process.cwd(), 'samples', 'fashion-products');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function optionsFromArgs(): Partial<ConvNetOptions> {
  const numeric: [string, keyof ConvNetOptions][] = [
    ['epochs', 'epochs'], ['lr', 'learningRate'], ['dropout', 'dropout'], ['batch', 'batchSize'],
    ['filters', 'filters'], ['dense', 'denseUnits'], ['blocks', 'convBlocks'], ['patience', 'patience'],
    ['seed', 'seed'], ['kernel', 'kernelSize'],
  ];
  const options: Record<string, unknown> = {};
  for (const [flag, key] of numeric) if (arg(flag) !== undefined) options[key] = Number(arg(flag));
  if (arg('optimizer')) options.optimizer = arg('optimizer');
  if (arg('pooling')) options.pooling = arg('pooling');
  return options as Partial<ConvNetOptions>;
}

async function loadSample(): Promise<{ images: Float32Array[]; labels: string[]; classes: string[] }> {
  const classes = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const images: Float32Array[] = [];
  const labels: string[] = [];
  for (const label of classes) {
    for (const file of readdirSync(path.join(ROOT, label)).filter((f) => f.endsWith('.png')).sort()) {
      const { data, info } = await sharp(path.join(ROOT, label, file)).grayscale().raw().toBuffer({ resolveWithObject: true });
      if (info.width !== 28 || info.height !== 28 || info.channels !== 1) throw new Error(`${file}: unexpected ${info.width}×${info.height}×${info.channels}`);
      images.push(Float32Array.from(data, (v) => v / 255));
      labels.push(label);
    }
  }
  return { images, labels, classes };
}

function take(images: Float32Array[], labels: Int32Array, rows: ArrayLike<number>): { x: ImageTensorInput; y: Int32Array } {
  const data = new Float32Array(rows.length * 784);
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    data.set(images[rows[i]], i * 784);
    y[i] = labels[rows[i]];
  }
  return { x: { data, count: rows.length, height: 28, width: 28, channels: 1 }, y };
}

async function main(): Promise<void> {
  if (arg('backend') === 'cpu') {
    await tf.setBackend('cpu');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
    registerWasmTrainingKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend did not start.');
  }
  await tf.ready();
  const { images, labels, classes } = await loadSample();
  const y = Int32Array.from(labels, (l) => classes.indexOf(l));
  const outer = trainTestSplit(images.length, { testFraction: 0.2, seed: 42, stratify: labels });
  const trainLabels = Array.from(outer.train, (r) => labels[r]);
  const inner = trainTestSplit(outer.train.length, { testFraction: 0.15, seed: 42, stratify: trainLabels });
  const fit = take(images, y, Array.from(inner.train, (i) => outer.train[i]));
  const validation = take(images, y, Array.from(inner.test, (i) => outer.train[i]));
  const test = take(images, y, outer.test);
  console.log(`${images.length} images, ${classes.length} classes; train ${fit.x.count}, validation ${validation.x.count}, test ${test.x.count}; backend ${tf.getBackend()}`);

  const net = new ConvNet(optionsFromArgs());
  console.log('options', JSON.stringify(net.options));
  const started = performance.now();
  await net.fit(fit.x, fit.y, classes.length, {
    validation,
    onEpoch: (r) =>
      console.log(
        `epoch ${r.epoch}: loss ${r.loss.toFixed(3)} acc ${r.accuracy.toFixed(3)} | val loss ${r.valLoss?.toFixed(3)} ` +
          `acc ${r.valAccuracy?.toFixed(3)} | ${r.seconds.toFixed(1)} s, ${r.imagesPerSecond.toFixed(0)} images/s`,
      ),
  });
  const seconds = (performance.now() - started) / 1000;
  const predicted = net.predict(test.x);
  const correct = predicted.reduce((n, p, i) => n + (p === test.y[i] ? 1 : 0), 0);
  const rate = net.history.reduce((s, r) => s + r.imagesPerSecond, 0) / net.history.length;
  console.log(`best epoch ${net.bestEpoch}; ${net.stoppedEarly ?? 'ran all epochs'}`);
  console.log(`test accuracy ${(correct / test.x.count).toFixed(4)} (${correct}/${test.x.count})`);
  console.log(`training ${seconds.toFixed(1)} s for ${net.history.length} epochs, mean ${rate.toFixed(0)} training images/s`);
  net.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
