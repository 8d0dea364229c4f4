import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend_util } from '@tensorflow/tfjs';
import { heapOffset, patchGeometry, type WasmBackendLike } from './backend-access';
import { col2imAdd, im2colTransposed, maxPoolGradInto, registerWasmTrainingKernels, wasmLoopsFor } from './index';

const require = createRequire(import.meta.url);

beforeAll(async () => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The trailing slash matters: the loader appends file names to this prefix.
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  registerWasmTrainingKernels();
  const names = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', 'Sum', 'Identity', 'Cast'];
  const registered = names.map((k) => tf.getKernel(k, 'wasm'));
  registerWasmTrainingKernels(); // idempotent
  expect(names.map((k) => tf.getKernel(k, 'wasm'))).toEqual(registered);
  expect(await tf.setBackend('wasm')).toBe(true);
});

/** Deterministic pseudo-random values in [-1, 1). */
function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

type Pad = 'same' | 'valid' | number;

/** Runs the Conv2DBackpropFilter kernel of the current backend directly. */
function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  stride: number,
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): tf.Tensor4D {
  return tf.engine().runKernel(
    'Conv2DBackpropFilter',
    { x, dy },
    { strides: [stride, stride], pad, dataFormat, dimRoundingMode: undefined, filterShape } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor4D;
}

async function filterGradOn(
  backend: 'wasm' | 'cpu',
  xValues: Float32Array,
  xShape: [number, number, number, number],
  dyValues: Float32Array,
  dyShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  stride: number,
  pad: Pad,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, xShape);
    const dy = tf.tensor4d(dyValues, dyShape);
    const dw = conv2dFilterGrad(x, dy, filterShape, stride, pad);
    expect(dw.shape).toEqual(filterShape);
    return dw.dataSync() as Float32Array;
  });
}

function outSize(inSize: number, k: number, stride: number, pad: Pad): number {
  if (pad === 'same') return Math.ceil(inSize / stride);
  if (pad === 'valid') return Math.ceil((inSize - k + 1) / stride);
  return Math.floor((inSize - k + 2 * pad) / stride) + 1;
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    norm = Math.max(norm, Math.abs(b[i]));
  }
  return diff / Math.max(norm, 1e-12);
}

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: Array<{ b: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: Pad }> = [
    { b: 2, h: 8, w: 8, ci: 1, co: 4, k: 3, s: 1, pad: 'same' },
    { b: 3, h: 7, w: 9, ci: 3, co: 5, k: 3, s: 1, pad: 'valid' },
    { b: 2, h: 9, w: 7, ci: 2, co: 6, k: 3, s: 2, pad: 'same' },
    { b: 2, h: 10, w: 11, ci: 4, co: 3, k: 3, s: 2, pad: 'valid' },
    { b: 1, h: 12, w: 12, ci: 3, co: 8, k: 5, s: 1, pad: 'same' },
    { b: 2, h: 11, w: 13, ci: 2, co: 4, k: 5, s: 2, pad: 'same' },
    { b: 3, h: 9, w: 10, ci: 5, co: 2, k: 5, s: 1, pad: 'valid' },
    { b: 2, h: 12, w: 9, ci: 2, co: 3, k: 5, s: 2, pad: 'valid' },
    { b: 2, h: 8, w: 8, ci: 3, co: 4, k: 3, s: 1, pad: 1 },
    { b: 2, h: 9, w: 9, ci: 2, co: 3, k: 5, s: 2, pad: 2 },
    { b: 2, h: 14, w: 14, ci: 32, co: 64, k: 3, s: 1, pad: 'valid' },
    { b: 2, h: 13, w: 11, ci: 6, co: 8, k: 3, s: 1, pad: 'same' },
    // Cout ≥ fh·fw·Cin: the gradient is taken as dYᵀ·cols (first layers on few channels).
    { b: 3, h: 7, w: 9, ci: 1, co: 10, k: 3, s: 1, pad: 'same' },
    { b: 2, h: 11, w: 10, ci: 2, co: 18, k: 3, s: 2, pad: 'valid' },
    { b: 2, h: 9, w: 8, ci: 1, co: 27, k: 5, s: 2, pad: 'same' },
    { b: 4, h: 28, w: 28, ci: 1, co: 32, k: 3, s: 1, pad: 'valid' },
  ];

  for (const c of cases) {
    it(`matches cpu: batch ${c.b}, ${c.h}x${c.w}x${c.ci} -> ${c.co}, ${c.k}x${c.k}, stride ${c.s}, pad ${c.pad}`, async () => {
      const oh = outSize(c.h, c.k, c.s, c.pad);
      const ow = outSize(c.w, c.k, c.s, c.pad);
      const xShape: [number, number, number, number] = [c.b, c.h, c.w, c.ci];
      const dyShape: [number, number, number, number] = [c.b, oh, ow, c.co];
      const filterShape: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
      const xv = randomValues(c.b * c.h * c.w * c.ci, 7 + c.h * 31 + c.ci);
      const dyv = randomValues(c.b * oh * ow * c.co, 11 + c.w * 17 + c.co);
      const before = tf.memory().numTensors;
      const got = await filterGradOn('wasm', xv, xShape, dyv, dyShape, filterShape, c.s, c.pad);
      const want = await filterGradOn('cpu', xv, xShape, dyv, dyShape, filterShape, c.s, c.pad);
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(got.length).toBe(want.length);
      expect(relativeError(got, want)).toBeLessThanOrEqual(1e-4);
    });
  }

  for (const c of cases) {
    it(`Conv2DBackpropInput matches cpu: batch ${c.b}, ${c.h}x${c.w}x${c.ci} -> ${c.co}, ${c.k}x${c.k}, stride ${c.s}, pad ${c.pad}`, async () => {
      const oh = outSize(c.h, c.k, c.s, c.pad);
      const ow = outSize(c.w, c.k, c.s, c.pad);
      const xShape: [number, number, number, number] = [c.b, c.h, c.w, c.ci];
      const dyv = randomValues(c.b * oh * ow * c.co, 13 + c.w * 7 + c.co);
      const wv = randomValues(c.k * c.k * c.ci * c.co, 17 + c.h);
      const inputGradOn = async (backend: 'wasm' | 'cpu') => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const dy = tf.tensor4d(dyv, [c.b, oh, ow, c.co]);
          const w = tf.tensor4d(wv, [c.k, c.k, c.ci, c.co]);
          const dx = tf.engine().runKernel(
            'Conv2DBackpropInput',
            { dy, filter: w },
            { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: xShape } as unknown as tf.NamedAttrMap,
          ) as tf.Tensor;
          expect(dx.shape).toEqual(xShape);
          return dx.dataSync() as Float32Array;
        });
      };
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const got = await inputGradOn('wasm');
      const want = await inputGradOn('cpu');
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(relativeError(got, want)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('multiplies transposed operands like cpu', async () => {
    const shapes: Array<[number[], number[], boolean, boolean]> = [
      [[37, 23], [37, 11], true, false],
      [[19, 29], [13, 29], false, true],
      [[29, 19], [13, 29], true, true],
      [[3, 17, 6], [3, 17, 5], true, false],
      [[2, 7, 9], [2, 4, 9], false, true],
      [[8, 5], [5, 6], false, false],
      // A·Bᵀ with B much larger than A and the result: computed as (B·Aᵀ)ᵀ.
      [[5, 40], [301, 40], false, true],
      [[1, 6, 10], [1, 50, 10], false, true],
      [[1, 31, 6], [1, 31, 9], true, false],
    ];
    for (const [as, bs, ta, tb] of shapes) {
      const av = randomValues(as.reduce((p, v) => p * v, 1), 21);
      const bv = randomValues(bs.reduce((p, v) => p * v, 1), 22);
      const run = async (backend: 'wasm' | 'cpu') => {
        await tf.setBackend(backend);
        return tf.tidy(() => tf.matMul(tf.tensor(av, as), tf.tensor(bv, bs), ta, tb).dataSync() as Float32Array);
      };
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const got = await run('wasm');
      const want = await run('cpu');
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
    }
  });

  const pools: Array<{ h: number; w: number; c: number; f: number; s: number; pad: 'same' | 'valid' }> = [
    { h: 8, w: 8, c: 3, f: 2, s: 2, pad: 'valid' },
    { h: 9, w: 7, c: 2, f: 2, s: 2, pad: 'same' },
    { h: 9, w: 9, c: 4, f: 3, s: 2, pad: 'same' },
    { h: 10, w: 8, c: 2, f: 3, s: 1, pad: 'valid' },
  ];
  for (const p of pools) {
    it(`MaxPoolGrad matches cpu (ties included): ${p.h}x${p.w}x${p.c}, pool ${p.f}, stride ${p.s}, ${p.pad}`, async () => {
      // Rounded values with many zeros, as after a relu, so windows hold ties.
      const xv = randomValues(2 * p.h * p.w * p.c, 31 + p.h).map((v) => Math.max(0, Math.round(v * 3)));
      const gradOn = async (backend: 'wasm' | 'cpu') => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const x = tf.tensor4d(xv, [2, p.h, p.w, p.c]);
          const pooledShape = tf.maxPool(x, p.f, p.s, p.pad).shape;
          // Distinct weights per output, so a gradient routed to the wrong pixel shows.
          const weights = tf.range(1, 1 + pooledShape.reduce((a, v) => a * v, 1)).reshape(pooledShape);
          const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, p.f, p.s, p.pad).mul(weights).sum();
          return tf.grad(f)(x).dataSync() as Float32Array;
        });
      };
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const got = await gradOn('wasm');
      const want = await gradOn('cpu');
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(relativeError(got, want)).toBeLessThanOrEqual(1e-6);
    });
  }

  it('gives the same weight gradient as cpu through tf.grad of a conv layer', async () => {
    const xv = randomValues(4 * 10 * 10 * 3, 5);
    const wv = randomValues(3 * 3 * 3 * 6, 9);
    const gradOn = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(xv, [4, 10, 10, 3]);
        const w = tf.tensor4d(wv, [3, 3, 3, 6]);
        const f = (filter: tf.Tensor) => tf.conv2d(x, filter as tf.Tensor4D, 2, 'same').square().sum();
        return tf.grad(f)(w).dataSync() as Float32Array;
      });
    };
    const got = await gradOn('wasm');
    const want = await gradOn('cpu');
    await tf.setBackend('wasm');
    expect(relativeError(got, want)).toBeLessThanOrEqual(1e-4);
  });

  it('rejects NCHW data with a clear message', () => {
    const x = tf.zeros([1, 1, 4, 4]) as tf.Tensor4D;
    const dy = tf.zeros([1, 1, 4, 4]) as tf.Tensor4D;
    expect(() => conv2dFilterGrad(x, dy, [3, 3, 1, 1], 1, 'same', 'NCHW')).toThrow(/NHWC/);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: tf.zeros([3, 3, 1, 1]) }, {
        strides: [1, 1], pad: 'same', dataFormat: 'NCHW', inputShape: [1, 1, 4, 4],
      } as unknown as tf.NamedAttrMap),
    ).toThrow(/NHWC/);
    tf.dispose([x, dy]);
  });
});

describe('other kernels replaced on wasm', () => {
  const sums: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
    { shape: [64, 26, 26, 32], axis: [0, 1, 2], keepDims: false },
    { shape: [3, 5, 7, 6], axis: [2, 0, 1], keepDims: true },
    { shape: [9, 10], axis: 0, keepDims: false },
    { shape: [4, 3, 5], axis: [-3, -2], keepDims: false },
    { shape: [6, 7, 3], axis: [1, 2], keepDims: false },
    { shape: [6, 7, 3], axis: -1, keepDims: true },
  ];
  for (const c of sums) {
    it(`Sum matches cpu: shape [${c.shape}], axis ${JSON.stringify(c.axis)}, keepDims ${c.keepDims}`, async () => {
      const values = randomValues(c.shape.reduce((p, v) => p * v, 1), 41 + c.shape.length);
      const sumOn = async (backend: 'wasm' | 'cpu') => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const out = tf.sum(tf.tensor(values, c.shape), c.axis, c.keepDims);
          return { shape: out.shape, values: out.dataSync() as Float32Array };
        });
      };
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const got = await sumOn('wasm');
      const want = await sumOn('cpu');
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(got.shape).toEqual(want.shape);
      expect(relativeError(got.values, want.values)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('Identity and same-dtype Cast share data, keep values and free memory once both are gone', async () => {
    await tf.setBackend('wasm');
    const bytesBefore = tf.memory().numBytes;
    const x = tf.tensor2d(randomValues(12, 3), [3, 4]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const ints = tf.tidy(() => tf.cast(x.mul(10), 'int32'));
    const expected = x.dataSync().slice();
    x.dispose();
    expect(copy.dataSync()).toEqual(expected);
    expect(cast.dataSync()).toEqual(expected);
    expect(ints.dtype).toBe('int32');
    const intValues = Array.from(ints.dataSync());
    tf.dispose([copy, cast, ints]);
    expect(tf.memory().numBytes).toBe(bytesBefore);
    await tf.setBackend('cpu');
    const cpuInts = tf.tidy(() => Array.from(tf.cast(tf.tensor2d(expected, [3, 4]).mul(10), 'int32').dataSync()));
    await tf.setBackend('wasm');
    expect(intValues).toEqual(cpuInts);
  });
});

describe('JavaScript loops (used where the wasm loop module cannot run)', () => {
  it('gather, scatter-add and max-pool routing agree with the wasm loops', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as WasmBackendLike;
    const loops = wasmLoopsFor(backend);
    expect(loops).not.toBeNull();
    const info = backend_util.computeConv2DInfo([2, 9, 7, 5], [3, 3, 5, 4], 2, 1, 'same');
    const [k, n] = [45, 2 * info.outHeight * info.outWidth];
    const x = tf.tensor(randomValues(2 * 9 * 7 * 5, 51), [2, 9, 7, 5]);
    const cols = tf.tensor(randomValues(n * k, 52), [n, k]);
    const js = { colsT: new Float32Array(k * n), dx: new Float32Array(2 * 9 * 7 * 5), pool: new Float32Array(2 * 9 * 7 * 5) };
    im2colTransposed(x.dataSync() as Float32Array, js.colsT, info);
    col2imAdd(cols.dataSync() as Float32Array, js.dx, info);
    const colsT = tf.zeros([k, n]);
    const dx = tf.zeros([2, 9, 7, 5]);
    loops!.gatherPatchesTransposed(heapOffset(backend, x), heapOffset(backend, colsT), ...patchGeometry(info));
    loops!.scatterPatches(heapOffset(backend, dx), heapOffset(backend, cols), ...patchGeometry(info));
    expect(relativeError(colsT.dataSync() as Float32Array, js.colsT)).toBe(0);
    expect(relativeError(dx.dataSync() as Float32Array, js.dx)).toBeLessThanOrEqual(1e-6);

    const pool = backend_util.computePool2DInfo([2, 9, 7, 5], 3, 2, 1, 'same');
    const dy = tf.tensor(randomValues(2 * pool.outHeight * pool.outWidth * 5, 53), [2, pool.outHeight, pool.outWidth, 5]);
    maxPoolGradInto(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, js.pool, pool);
    const wasmPool = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: dy }, { filterSize: 3, strides: 2, pad: 'same' } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect(relativeError(wasmPool.dataSync() as Float32Array, js.pool)).toBeLessThanOrEqual(1e-6);
    tf.dispose([x, cols, colsT, dx, dy, wasmPool]);
  });
});

describe('training a small CNN on wasm', () => {
  it('lowers the loss and does not leak tensors', async () => {
    await tf.setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });

    // Three classes told apart by where a bright square sits.
    const n = 48;
    const images = new Float32Array(n * 144);
    const labels = new Float32Array(n * 3);
    const noise = randomValues(n * 144, 3);
    for (let i = 0; i < n; i++) {
      const cls = i % 3;
      labels[i * 3 + cls] = 1;
      for (let p = 0; p < 144; p++) {
        const r = Math.floor(p / 12);
        const c = p % 12;
        const on = r >= 4 && r < 8 && c >= cls * 4 && c < cls * 4 + 4;
        images[i * 144 + p] = (on ? 1 : 0) + 0.1 * noise[i * 144 + p];
      }
    }
    const xs = tf.tensor4d(images, [n, 12, 12, 1]);
    const ys = tf.tensor2d(labels, [n, 3]);

    const first = await model.fit(xs, ys, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const settled = tf.memory().numTensors;
    const later = await model.fit(xs, ys, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
    expect(tf.memory().numTensors).toBe(settled);

    const firstLoss = first.history.loss[0] as number;
    const lastLoss = later.history.loss[later.history.loss.length - 1] as number;
    expect(Number.isFinite(lastLoss)).toBe(true);
    expect(lastLoss).toBeLessThan(firstLoss * 0.5);

    tf.dispose([xs, ys]);
    model.dispose();
  });
});
