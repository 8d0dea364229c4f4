/**
 * The convolutional network's training loop. It is written out rather than left to `model.fit` so
 * that every batch can be augmented, cancellation is seen within one batch, the event loop gets
 * turns (cancel messages from the parent process only arrive then), and early stopping can keep
 * the best epoch's weights.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tensorflow';
import type { FitOptions } from '../estimator';
import type { InputShape } from './cnn-network';
import { seededRandom } from '../split';
import { createYielder } from '../yield';

/** Images stored height × width × channels, image after image. */
export interface ImageTensorInput {
  data: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** One finished epoch of network training. */
export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  /** On the images held back for validation; null when none are. */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Seconds since training started. */
  seconds: number;
  imagesPerSecond: number;
}

/**
 * The shared options: `signal` is checked after every batch (an abort throws the signal's reason, an
 * Error named 'AbortError'), `onProgress` hears after every batch, `classCount` defaults to
 * max(y)+1, and `featureNames` does not apply to pixels. Beside them, per-epoch and per-batch
 * reports and the network's own extras.
 */
export interface ConvNetFitOptions extends FitOptions {
  /** Height, width and channels of each image, needed when the images come as Matrix rows (flattened HWC). */
  imageShape?: InputShape;
  validation?: { x: ImageTensorInput; y: Int32Array };
  /** Changes a training batch's pixels in place (training batches only). */
  augment?: (batch: Float32Array, count: number) => void;
  onEpoch?: (report: EpochReport) => void;
  /** `batchesTotal` counts every epoch's batches. */
  onBatch?: (batchesDone: number, batchesTotal: number) => void;
}

export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  patience: number;
  seed: number;
  classCount: number;
  /** Pixels are multiplied by this before they reach the network. */
  inputScale: number;
  learningRate: number;
  lrSchedule: 'constant' | 'cosine';
  labelSmoothing: number;
  /** The compiled model's optimizer, whose learning rate the schedule moves batch by batch. */
  optimizer: TF.Optimizer;
}

export interface TrainingOutcome {
  history: EpochReport[];
  bestEpoch: number | null;
  stoppedEarly: string | null;
}

/** Prediction batch size: large enough to keep kernels busy, small enough to bound memory. */
const PREDICT_BATCH = 256;
/** Probabilities are clipped like tf's cross-entropy does, so validation loss matches training loss. */
const EPSILON = 1e-7;

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error) throw reason;
  const error = new Error(typeof reason === 'string' && reason ? reason : 'Training was cancelled.');
  error.name = 'AbortError';
  throw error;
}

export function imageSize(x: ImageTensorInput): number {
  return x.height * x.width * x.channels;
}

/** Copies the chosen images into a fresh array; some backends keep the array a tensor was made from. */
function gatherImages(x: ImageTensorInput, rows: ArrayLike<number>, start: number, count: number): Float32Array {
  const size = imageSize(x);
  const batch = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const from = rows[start + i] * size;
    batch.set(x.data.subarray(from, from + size), i * size);
  }
  return batch;
}

function scaleInPlace(values: Float32Array, scale: number): void {
  if (scale === 1) return;
  for (let i = 0; i < values.length; i++) values[i] *= scale;
}

/** Targets for one batch; label smoothing moves `smoothing` of each target evenly onto all classes. */
function oneHot(y: Int32Array, rows: ArrayLike<number>, start: number, count: number, classCount: number, smoothing = 0): TF.Tensor2D {
  const values = new Float32Array(count * classCount).fill(smoothing / classCount);
  for (let i = 0; i < count; i++) values[i * classCount + y[rows[start + i]]] += 1 - smoothing;
  return tf.tensor2d(values, [count, classCount]);
}

/**
 * Learning rate for the epoch after `done` of `total` epochs. Cosine eases from the full rate
 * towards 0, so late epochs take small steps and settle instead of bouncing around good weights.
 * It moves once per epoch rather than per batch so that short runs still get full-size steps early.
 */
export function scheduledLearningRate(base: number, schedule: 'constant' | 'cosine', done: number, total: number): number {
  if (schedule === 'constant' || total <= 0) return base;
  return base * 0.5 * (1 + Math.cos((Math.PI * Math.min(done, total)) / total));
}

/** SGD with momentum keeps its rate in a cached scalar, so it must be told; the others read the field. */
export function setLearningRate(optimizer: TF.Optimizer, rate: number): void {
  const withSetter = optimizer as TF.Optimizer & { setLearningRate?: (rate: number) => void; learningRate?: number };
  if (typeof withSetter.setLearningRate === 'function') withSetter.setLearningRate(rate);
  else withSetter.learningRate = rate;
}

/** Runs a model over all images without gradients; returns count × outputWidth values. */
export function runInBatches(model: TF.LayersModel, x: ImageTensorInput, scale: number, outputWidth: number): Float32Array {
  const out = new Float32Array(x.count * outputWidth);
  const size = imageSize(x);
  for (let start = 0; start < x.count; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, x.count - start);
    const batch = x.data.slice(start * size, (start + count) * size);
    scaleInPlace(batch, scale);
    const values = tf.tidy(() => {
      const result = model.predict(tf.tensor4d(batch, [count, x.height, x.width, x.channels])) as TF.Tensor;
      return result.dataSync();
    });
    out.set(values, start * outputWidth);
  }
  return out;
}

function evaluate(model: TF.LayersModel, x: ImageTensorInput, y: Int32Array, settings: TrainingSettings): { loss: number; accuracy: number } {
  const k = settings.classCount;
  const proba = runInBatches(model, x, settings.inputScale, k);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < x.count; i++) {
    const p = Math.min(Math.max(proba[i * k + y[i]], EPSILON), 1 - EPSILON);
    loss -= Math.log(p);
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    if (best === y[i]) correct++;
  }
  return { loss: loss / x.count, accuracy: correct / x.count };
}

function shuffle(order: Int32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

interface EpochContext {
  model: TF.LayersModel;
  x: ImageTensorInput;
  y: Int32Array;
  settings: TrainingSettings;
  options: ConvNetFitOptions;
  order: Int32Array;
  random: () => number;
  pause: () => Promise<void>;
  batchesDone: number;
  batchesTotal: number;
}

/** One pass over the shuffled training images; returns mean loss and accuracy over the images. */
async function trainEpoch(ctx: EpochContext): Promise<{ loss: number; accuracy: number }> {
  const { model, x, y, settings, options, order } = ctx;
  shuffle(order, ctx.random);
  let lossSum = 0;
  let accuracySum = 0;
  for (let start = 0; start < x.count; start += settings.batchSize) {
    const count = Math.min(settings.batchSize, x.count - start);
    const batch = gatherImages(x, order, start, count);
    options.augment?.(batch, count);
    scaleInPlace(batch, settings.inputScale);
    const xs = tf.tensor4d(batch, [count, x.height, x.width, x.channels]);
    const ys = oneHot(y, order, start, count, settings.classCount, settings.labelSmoothing);
    try {
      const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
      lossSum += loss * count;
      accuracySum += accuracy * count;
    } finally {
      tf.dispose([xs, ys]);
    }
    ctx.batchesDone++;
    options.onBatch?.(ctx.batchesDone, ctx.batchesTotal);
    const epoch = Math.ceil((ctx.batchesDone * settings.epochs) / ctx.batchesTotal);
    options.onProgress?.(ctx.batchesDone / ctx.batchesTotal, `Epoch ${epoch} of ${settings.epochs}`);
    throwIfAborted(options.signal);
    await ctx.pause();
    throwIfAborted(options.signal);
  }
  return { loss: lossSum / x.count, accuracy: accuracySum / x.count };
}

/** Keeps the weights of the epoch with the lowest validation loss, as plain arrays. */
class BestWeights {
  loss = Infinity;
  epoch: number | null = null;
  private values: Float32Array[] = [];

  async offer(model: TF.LayersModel, epoch: number, loss: number): Promise<boolean> {
    if (!(loss < this.loss)) return false;
    this.loss = loss;
    this.epoch = epoch;
    this.values = await Promise.all(model.getWeights().map(async (w) => (await w.data()).slice() as Float32Array));
    return true;
  }

  restore(model: TF.LayersModel): void {
    const shapes = model.getWeights().map((w) => w.shape);
    const tensors = this.values.map((v, i) => tf.tensor(v, shapes[i]));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
}

/**
 * Trains a compiled model (loss: categorical cross-entropy, metrics: accuracy). With validation
 * and patience > 0, stops once validation loss has not improved for `patience` epochs and leaves
 * the model with the best epoch's weights.
 */
export async function trainNetwork(
  model: TF.LayersModel,
  x: ImageTensorInput,
  y: Int32Array,
  settings: TrainingSettings,
  options: ConvNetFitOptions,
): Promise<TrainingOutcome> {
  const order = Int32Array.from({ length: x.count }, (_, i) => i);
  const batchesPerEpoch = Math.ceil(x.count / settings.batchSize);
  const ctx: EpochContext = {
    ...{ model, x, y, settings, options, order },
    random: seededRandom(settings.seed),
    pause: createYielder(),
    batchesDone: 0,
    batchesTotal: batchesPerEpoch * settings.epochs,
  };
  const validation = options.validation && options.validation.x.count > 0 ? options.validation : null;
  const watch = validation && settings.patience > 0 ? new BestWeights() : null;
  const history: EpochReport[] = [];
  let stoppedEarly: string | null = null;
  throwIfAborted(options.signal);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    setLearningRate(settings.optimizer, scheduledLearningRate(settings.learningRate, settings.lrSchedule, epoch - 1, settings.epochs));
    const train = await trainEpoch(ctx);
    const trainSeconds = (performance.now() - started) / 1000;
    const val = validation ? evaluate(model, validation.x, validation.y, settings) : null;
    const report: EpochReport = {
      ...{ epoch, loss: train.loss, accuracy: train.accuracy },
      valLoss: val ? val.loss : null,
      valAccuracy: val ? val.accuracy : null,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: x.count / Math.max(trainSeconds, 1e-9),
    };
    history.push(report);
    options.onEpoch?.(report);
    if (watch && val) {
      await watch.offer(model, epoch, val.loss);
      if (epoch - watch.epoch! >= settings.patience && epoch < settings.epochs) {
        stoppedEarly = `validation loss stopped improving after epoch ${watch.epoch}`;
        break;
      }
    }
  }
  if (watch && watch.epoch !== history.length) watch.restore(model);
  return { history, bestEpoch: watch?.epoch ?? null, stoppedEarly };
}
