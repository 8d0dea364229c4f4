/**
 * Trains the convolutional network on the fashion-products sample and prints test accuracy and speed:
 *   npx tsx scripts/try-cnn-sample.ts [--epochs 15] [--lr 0.001] [--dropout 0.25] [--batch 32]
 *     [--filters 32] [--dense 128] [--blocks 2] [--patience 3] [--optimizer adam] [--seed 42] [--backend wasm|cpu]
 *     [--head flatten|globalAverage] [--schedule constant|cosine] [--wd 0.0001] [--ls 0.1]
 *     [--shift 0.1] [--rotation 10] [--flip] [--brightness 0.1] [--seeds 1,2,3] [--quiet]
 * Split: stratified 80/20 train/test (seed 42), then 15% of the training images held out for
 * validation (early stopping, seed 42 as in the node's default). Pixels are scaled to 0–1.
 * Augmentation, when asked for, follows the node: random seed = model seed + 1. `--seeds` trains
 * one network per seed on the same split and prints the mean and spread of test accuracy.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ConvNet, type ConvNetOptions, type ImageTensorInput } from '../models/cnn/cnn';
import { augmentBatch, seededRandom } from '../models/images/augment';
import type { AugmentationSpec } from '../nodes/values';
import { trainTestSplit } from '../models/split';
import { registerWasmTrainingKernels } from '../models/kernels/wasm-kernels';

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
    ['seed', 'seed'], ['kernel', 'kernelSize'], ['wd', 'weightDecay'], ['ls', 'labelSmoothing'], ['blockdrop', 'blockDropout'],
  ];
  const options: Record<string, unknown> = {};
  for (const [flag, key] of numeric) if (arg(flag) !== undefined) options[key] = Number(arg(flag));
  if (arg('optimizer')) options.optimizer = arg('optimizer');
  if (arg('pooling')) options.pooling = arg('pooling');
  if (arg('head')) options.head = arg('head');
  if (arg('schedule')) options.lrSchedule = arg('schedule');
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

  const seeds = arg('seeds') ? arg('seeds')!.split(',').map(Number) : [undefined];
  const scores: number[] = [];
  const times: number[] = [];
  for (const seed of seeds) {
    const options = { ...optionsFromArgs(), ...(seed === undefined ? {} : { seed }) };
    const { accuracy, seconds } = await trainAndTest(options, fit, validation, test, classes.length);
    scores.push(accuracy);
    times.push(seconds);
  }
  if (scores.length > 1) {
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const spread = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / (scores.length - 1));
    const time = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(`SUMMARY ${process.argv.slice(2).join(' ')} => mean ${mean.toFixed(4)} ± ${spread.toFixed(4)} [${scores.map((v) => v.toFixed(3)).join(', ')}], mean ${time.toFixed(1)} s`);
  }
}

type Split = { x: ImageTensorInput; y: Int32Array };

function augmentationFromArgs(): AugmentationSpec | null {
  const spec = {
    flip: process.argv.includes('--flip'),
    rotation: Number(arg('rotation') ?? 0),
    shift: Number(arg('shift') ?? 0),
    brightness: Number(arg('brightness') ?? 0),
  };
  return spec.flip || spec.rotation > 0 || spec.shift > 0 || spec.brightness > 0 ? spec : null;
}

async function trainAndTest(options: Partial<ConvNetOptions>, fit: Split, validation: Split, test: Split, classCount: number) {
  const quiet = process.argv.includes('--quiet');
  const net = new ConvNet(options);
  const spec = augmentationFromArgs();
  const random = seededRandom(net.options.seed + 1);
  const augment = spec ? (batch: Float32Array, count: number) => augmentBatch(batch, count, 28, 28, 1, spec, random, 1) : undefined;
  if (!quiet) console.log('options', JSON.stringify(net.options), 'augmentation', JSON.stringify(spec));
  const started = performance.now();
  await net.fit(fit.x, fit.y, {
    classCount,
    validation,
    augment,
    onEpoch: (r) => {
      if (quiet) return;
      console.log(
        `epoch ${r.epoch}: loss ${r.loss.toFixed(3)} acc ${r.accuracy.toFixed(3)} | val loss ${r.valLoss?.toFixed(3)} ` +
          `acc ${r.valAccuracy?.toFixed(3)} | ${r.seconds.toFixed(1)} s, ${r.imagesPerSecond.toFixed(0)} images/s`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const predicted = net.predict(test.x);
  const correct = predicted.reduce((n, p, i) => n + (p === test.y[i] ? 1 : 0), 0);
  const rate = net.history.reduce((s, r) => s + r.imagesPerSecond, 0) / net.history.length;
  const weights = net.summary().reduce((sum, layer) => sum + layer.params, 0);
  console.log(
    `seed ${net.options.seed}: best epoch ${net.bestEpoch}; ${net.stoppedEarly ?? 'ran all epochs'}; ` +
      `test accuracy ${(correct / test.x.count).toFixed(4)} (${correct}/${test.x.count}); ` +
      `training ${seconds.toFixed(1)} s for ${net.history.length} epochs, ${rate.toFixed(0)} images/s; ${weights} weights`,
  );
  net.dispose();
  return { accuracy: correct / test.x.count, seconds };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
