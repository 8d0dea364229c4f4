import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvNet, type ConvNetOptions, type ImageTensorInput } from './cnn';
import { scheduledLearningRate, setLearningRate } from './cnn-training';
import { seededRandom } from '../split';
import { registerWasmTrainingKernels } from '../kernels/wasm-kernels';

const require = createRequire(import.meta.url);

beforeAll(async () => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The trailing slash matters: the loader appends file names to this prefix.
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

const SIZE = 16;

/** Class 0: horizontal bar, 1: vertical bar, 2: diagonal; random position and length, noisy background. */
function barImages(count: number, seed: number): { x: ImageTensorInput; y: Int32Array } {
  const random = seededRandom(seed);
  const data = new Float32Array(count * SIZE * SIZE);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const image = data.subarray(n * SIZE * SIZE, (n + 1) * SIZE * SIZE);
    for (let i = 0; i < image.length; i++) image[i] = random() * 0.3;
    const label = n % 3;
    const length = 6 + Math.floor(random() * 6);
    const a = Math.floor(random() * (SIZE - length));
    const b = Math.floor(random() * SIZE);
    for (let t = 0; t < length; t++) {
      const [row, col] = label === 0 ? [b, a + t] : label === 1 ? [a + t, b] : [a + t, (b + t) % SIZE];
      image[row * SIZE + col] = 0.7 + random() * 0.3;
    }
    y[n] = label;
  }
  return { x: { data, count, height: SIZE, width: SIZE, channels: 1 }, y };
}

const small: Partial<ConvNetOptions> = { filters: 8, denseUnits: 32, batchSize: 32, learningRate: 0.003, epochs: 6, patience: 0 };

function accuracy(predicted: Int32Array, y: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) correct++;
  return correct / y.length;
}

describe('ConvNet', () => {
  it('learns to tell bars from diagonals in a few epochs, without leaking tensors', async () => {
    const train = barImages(300, 1);
    const test = barImages(90, 2);
    const before = tf.memory().numTensors;
    const started = performance.now();
    const net = await new ConvNet({ ...small, epochs: 8 }).fit(train.x, train.y, { classCount: 3 });
    const seconds = (performance.now() - started) / 1000;
    const acc = accuracy(net.predict(test.x), test.y);
    expect(acc).toBeGreaterThanOrEqual(0.9);
    expect(net.history).toHaveLength(8);
    expect(net.history[7].accuracy).toBeGreaterThan(net.history[0].accuracy);
    expect(net.history[0].valLoss).toBeNull();
    expect(net.history[0].imagesPerSecond).toBeGreaterThan(0);
    expect(net.bestEpoch).toBeNull();
    expect(seconds).toBeLessThan(15);
    const summary = net.summary();
    expect(summary[0]).toEqual({ name: 'Convolution 1 (8 filters 3×3)', outputShape: '16×16×8', params: 80 });
    expect(summary.map((l) => l.outputShape)).toEqual(['16×16×8', '8×8×8', '8×8×16', '4×4×16', '256', '256', '32', '32', '3']);
    expect(summary.at(-1)!.name).toBe('Output (3 classes)');
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains the same network twice from the same seed', async () => {
    const train = barImages(60, 3);
    const options = { ...small, epochs: 1 };
    const a = await new ConvNet(options).fit(train.x, train.y, { classCount: 3 });
    const b = await new ConvNet(options).fit(train.x, train.y, { classCount: 3 });
    expect(Array.from(b.predictProba(train.x))).toEqual(Array.from(a.predictProba(train.x)));
    expect(b.history[0].loss).toBe(a.history[0].loss);
    a.dispose();
    b.dispose();
  });

  it('saves to JSON and loads back with the same predictions', async () => {
    const train = barImages(60, 4);
    const net = await new ConvNet({ ...small, epochs: 1, pooling: 'average', kernelSize: 5 }).fit(train.x, train.y, { classCount: 3 });
    const restored = ConvNet.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    const flat = { data: Float64Array.from(train.x.data), rows: train.x.count, cols: SIZE * SIZE };
    const original = net.predictProba(train.x);
    const again = restored.predictProba(flat);
    expect(again.length).toBe(60 * 3);
    for (let i = 0; i < original.length; i++) expect(Math.abs(again[i] - original[i])).toBeLessThan(1e-6);
    expect(restored.history).toEqual(net.history);
    expect(restored.summary()).toEqual(net.summary());
    net.dispose();
    restored.dispose();
  });

  it('stops within one batch when cancelled, leaving no tensors behind', async () => {
    const train = barImages(200, 5);
    const controller = new AbortController();
    const batches: number[] = [];
    const before = tf.memory().numTensors;
    const net = new ConvNet({ ...small, batchSize: 10, epochs: 3 });
    const fit = net.fit(train.x, train.y, {
      classCount: 3,
      signal: controller.signal,
      onBatch: (done, total) => {
        batches.push(done);
        expect(total).toBe(60);
        if (done === 4) controller.abort();
      },
    });
    await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
    expect(batches.length).toBeLessThanOrEqual(5);
    expect(() => net.predict(train.x)).toThrow(/not been trained/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early and keeps the best epoch when validation loss stops improving', async () => {
    const train = barImages(150, 6);
    const wrong = barImages(60, 7);
    // Labels shifted by one: the better the network learns, the worse validation loss gets.
    const validation = { x: wrong.x, y: wrong.y.map((label) => (label + 1) % 3) };
    const epochs: number[] = [];
    const net = await new ConvNet({ ...small, epochs: 8, patience: 1 }).fit(train.x, train.y, {
      classCount: 3,
      validation,
      onEpoch: (report) => epochs.push(report.valLoss!),
    });
    expect(net.history.length).toBeLessThan(8);
    const best = net.bestEpoch!;
    expect(best).toBeGreaterThanOrEqual(1);
    expect(epochs[best - 1]).toBe(Math.min(...epochs));
    expect(net.stoppedEarly).toBe(`validation loss stopped improving after epoch ${best}`);
    // The kept weights are the best epoch's: validation loss now is that epoch's.
    const proba = net.predictProba(validation.x);
    let loss = 0;
    for (let i = 0; i < validation.y.length; i++) loss -= Math.log(Math.max(proba[i * 3 + validation.y[i]], 1e-7));
    expect(loss / validation.y.length).toBeCloseTo(epochs[best - 1], 4);
    net.dispose();
  });

  it('embeds images as the dense layer activations, or the flattened maps without one', async () => {
    const train = barImages(30, 8);
    const net = await new ConvNet({ ...small, epochs: 1 }).fit(train.x, train.y, { classCount: 3 });
    const features = net.embed(train.x);
    expect([features.rows, features.cols]).toEqual([30, 32]);
    expect(features.data.every((v) => v >= 0)).toBe(true);
    net.dispose();
    const flat = await new ConvNet({ ...small, epochs: 1, denseUnits: 0, convBlocks: 1 }).fit(train.x, train.y, { classCount: 3 });
    expect(flat.embed(train.x).cols).toBe(8 * 8 * 8);
    flat.dispose();
  });

  it('explains bad settings and mismatched images plainly', async () => {
    const train = barImages(12, 9);
    const net = new ConvNet({ ...small, epochs: 1 });
    await expect(net.fit(train.x, new Int32Array(12), { classCount: 1 })).rejects.toThrow(/at least two classes/);
    const tiny = { data: new Float32Array(12 * 64), count: 12, height: 8, width: 8, channels: 1 };
    await expect(new ConvNet({ convBlocks: 4 }).fit(tiny, train.y, { classCount: 3 })).rejects.toThrow(
      'Images of 8×8 pixels are too small for 4 convolution blocks; use fewer blocks or a larger image size',
    );
    expect(() => new ConvNet({ convBlocks: 5 })).toThrow(/convolution blocks must be a whole number from 1 to 4/);
    expect(() => new ConvNet({ dropout: 0.9 })).toThrow(/Dropout must be between 0 and 0.8/);
    await net.fit(train.x, train.y, { classCount: 3 });
    const bigger = { data: new Float32Array(2 * 20 * 20), count: 2, height: 20, width: 20, channels: 1 };
    expect(() => net.predict(bigger)).toThrow('trained on 16×16 grayscale images, but these are 20×20 grayscale');
    expect(() => net.predict({ data: new Float64Array(10), rows: 1, cols: 10 })).toThrow(/256 values each/);
    net.dispose();
    expect(() => net.predict(train.x)).toThrow(/not been trained/);
  });

  it('eases the learning rate from the full rate to 0 with the cosine schedule', () => {
    expect(scheduledLearningRate(0.002, 'cosine', 0, 100)).toBeCloseTo(0.002, 12);
    expect(scheduledLearningRate(0.002, 'cosine', 50, 100)).toBeCloseTo(0.001, 12);
    expect(scheduledLearningRate(0.002, 'cosine', 100, 100)).toBeCloseTo(0, 12);
    expect(scheduledLearningRate(0.002, 'constant', 99, 100)).toBe(0.002);
    const momentum = tf.train.momentum(0.1, 0.9);
    setLearningRate(momentum, 0.05);
    expect(momentum.getConfig()['learningRate']).toBe(0.05);
    momentum.dispose();
    const adam = tf.train.adam(0.1);
    setLearningRate(adam, 0.02);
    expect(adam.getConfig()['learningRate']).toBe(0.02);
    adam.dispose();
  });

  it('trains with the cosine schedule, weight decay and label smoothing', async () => {
    const train = barImages(300, 10);
    const test = barImages(90, 11);
    const plain = await new ConvNet({ ...small, epochs: 8 }).fit(train.x, train.y, { classCount: 3 });
    const options = { ...small, epochs: 8, lrSchedule: 'cosine', weightDecay: 0.0005, labelSmoothing: 0.3 } as const;
    const regular = await new ConvNet(options).fit(train.x, train.y, { classCount: 3 });
    expect(accuracy(regular.predict(test.x), test.y)).toBeGreaterThanOrEqual(0.85);
    // Smoothed targets (at most 80% on the right class) make the network less sure of itself.
    const meanTop = (net: ConvNet) => {
      const proba = net.predictProba(train.x);
      let sum = 0;
      for (let i = 0; i < train.x.count; i++) sum += Math.max(proba[i * 3], proba[i * 3 + 1], proba[i * 3 + 2]);
      return sum / train.x.count;
    };
    expect(meanTop(regular)).toBeLessThan(meanTop(plain));
    expect(meanTop(regular)).toBeLessThan(0.9);
    plain.dispose();
    regular.dispose();
    // The weight penalty is part of the training loss; from the same start it only adds.
    const once = { ...small, epochs: 1 };
    const unpenalised = await new ConvNet(once).fit(train.x, train.y, { classCount: 3 });
    const penalised = await new ConvNet({ ...once, weightDecay: 0.01 }).fit(train.x, train.y, { classCount: 3 });
    expect(penalised.history[0].loss).toBeGreaterThan(unpenalised.history[0].loss + 0.1);
    unpenalised.dispose();
    penalised.dispose();
  });

  it('drops pattern maps after each block while training only', async () => {
    const train = barImages(30, 13);
    const net = await new ConvNet({ ...small, epochs: 1, blockDropout: 0.2 }).fit(train.x, train.y, { classCount: 3 });
    const names = net.summary().map((layer) => layer.name);
    expect(names.slice(0, 6)).toEqual([
      'Convolution 1 (8 filters 3×3)', 'Max pooling 1 (2×2)', 'Dropout after block 1 (20%)',
      'Convolution 2 (16 filters 3×3)', 'Max pooling 2 (2×2)', 'Dropout after block 2 (20%)',
    ]);
    expect(Array.from(net.predictProba(train.x))).toEqual(Array.from(net.predictProba(train.x)));
    net.dispose();
  });

  it('averages each map instead of flattening, with far fewer weights', async () => {
    const train = barImages(30, 12);
    const options = { ...small, epochs: 1, convBlocks: 2 };
    const flat = await new ConvNet(options).fit(train.x, train.y, { classCount: 3 });
    const pooled = await new ConvNet({ ...options, head: 'globalAverage' }).fit(train.x, train.y, { classCount: 3 });
    const weights = (net: ConvNet) => net.summary().reduce((sum, layer) => sum + layer.params, 0);
    // Dense input: 16 averaged maps instead of 4×4×16 positions.
    expect(weights(flat) - weights(pooled)).toBe((256 - 16) * 32);
    expect(pooled.summary().find((l) => l.outputShape === '16')!.name).toBe('Average of each map');
    const restored = ConvNet.fromJSON(JSON.parse(JSON.stringify(pooled.toJSON())));
    expect(Array.from(restored.predict(train.x))).toEqual(Array.from(pooled.predict(train.x)));
    pooled.dispose();
    restored.dispose();
    // Saved before the head could be chosen: always flattened.
    const json = flat.toJSON();
    const { head: _head, blockDropout: _blockDropout, lrSchedule: _schedule, weightDecay: _decay, labelSmoothing: _smoothing, ...older } = json.options;
    const old = ConvNet.fromJSON({ ...json, options: older as ConvNetOptions });
    expect(old.options.head).toBe('flatten');
    expect(Array.from(old.predict(train.x))).toEqual(Array.from(flat.predict(train.x)));
    flat.dispose();
    old.dispose();
    expect(() => new ConvNet({ blockDropout: 0.6 })).toThrow(/Dropout after each block must be between 0 and 0.5/);
    expect(() => new ConvNet({ labelSmoothing: 0.6 })).toThrow(/Label smoothing must be between 0 and 0.5/);
    expect(() => new ConvNet({ weightDecay: -1 })).toThrow(/Weight decay must be between 0 and 1/);
    expect(() => new ConvNet({ head: 'max' as never })).toThrow('The head must be "flatten" or "globalAverage" (got "max")');
  });
});
