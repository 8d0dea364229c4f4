/**
 * A configurable convolutional image classifier on tf.layers: blocks of convolution + 2×2
 * pooling, an optional dense layer, dropout, softmax. Trains on whatever TensorFlow.js backend is
 * active.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tensorflow';
import { classCountOf, type Estimator } from '../estimator';
import type { Matrix } from '../frame';
import {
  buildNetwork,
  checkImageSize,
  checkedOptions,
  createOptimizer,
  summarize,
  type ConvNetOptions,
  type InputShape,
  type LayerSummary,
  type Network,
} from './cnn-network';
import {
  imageSize,
  runInBatches,
  trainNetwork,
  type ConvNetFitOptions,
  type EpochReport,
  type ImageTensorInput,
} from './cnn-training';

export { defaultConvNetOptions, type ConvNetOptions, type LayerSummary } from './cnn-network';
export type { ConvNetFitOptions, EpochReport, ImageTensorInput } from './cnn-training';

export interface ConvNetJSON {
  kind: 'convNet';
  options: ConvNetOptions;
  inputShape: InputShape;
  classCount: number;
  /** Pixels are multiplied by this before they reach the network (1 unless trained on 0–255 values). */
  inputScale?: number;
  /** In the order of tf's `getWeights()`; data is base64 of little-endian float32. */
  weights: { shape: number[]; data: string }[];
  history: EpochReport[];
  bestEpoch: number | null;
  stoppedEarly: string | null;
}

interface Fitted {
  network: Network;
  inputShape: InputShape;
  classCount: number;
  inputScale: number;
}

export class ConvNet implements Estimator {
  readonly options: ConvNetOptions;
  stoppedEarly: string | null = null;
  private fitted: Fitted | null = null;
  private epochs: EpochReport[] = [];
  private best: number | null = null;

  constructor(options: Partial<ConvNetOptions> = {}) {
    this.options = checkedOptions(options);
  }

  get history(): EpochReport[] {
    return this.epochs;
  }

  /** 1-based epoch whose weights were kept, when patience > 0 and validation was given. */
  get bestEpoch(): number | null {
    return this.best;
  }

  /** Trains on images, or on Matrix rows of flattened HWC images when `options.imageShape` says their shape. */
  async fit(images: ImageTensorInput | Matrix, y: Int32Array, options: ConvNetFitOptions = {}): Promise<this> {
    const x = 'rows' in images ? imagesFromRows(images, options.imageShape) : images;
    const classCount = classCountOf(y, options);
    const inputShape = checkTrainingData(x, y, classCount, this.options);
    if (options.validation) checkValidation(options.validation, inputShape, classCount);
    const inputScale = pixelScale(x.data);
    const network = buildNetwork(this.options, inputShape, classCount);
    const optimizer = createOptimizer(this.options);
    network.model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    try {
      const { epochs, batchSize, patience, seed, learningRate, lrSchedule, labelSmoothing } = this.options;
      const settings = { epochs, batchSize, patience, seed, classCount, inputScale, learningRate, lrSchedule, labelSmoothing, optimizer };
      const outcome = await trainNetwork(network.model, x, y, settings, options);
      // A failed or cancelled fit leaves the previously trained network in place.
      this.dispose();
      this.epochs = outcome.history;
      this.best = outcome.bestEpoch;
      this.stoppedEarly = outcome.stoppedEarly;
      this.fitted = { network, inputShape, classCount, inputScale };
      return this;
    } catch (error) {
      network.model.dispose();
      throw error;
    } finally {
      // The trained model never trains again, and tf.layers does not free an optimizer it was handed.
      optimizer.dispose();
    }
  }

  /** Class probabilities, row-major count × classCount. A Matrix row is one flattened HWC image. */
  predictProba(x: Matrix | ImageTensorInput): Float64Array {
    const fitted = this.requireFitted();
    const images = this.asImages(x);
    return Float64Array.from(runInBatches(fitted.network.model, images, fitted.inputScale, fitted.classCount));
  }

  predict(x: Matrix | ImageTensorInput): Int32Array {
    const k = this.requireFitted().classCount;
    const proba = this.predictProba(x);
    const labels = new Int32Array(proba.length / k);
    for (let i = 0; i < labels.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
      labels[i] = best;
    }
    return labels;
  }

  /** Activations of the last hidden layer (dense, or flatten when denseUnits = 0): features for other models. */
  embed(x: Matrix | ImageTensorInput): Matrix {
    const fitted = this.requireFitted();
    const images = this.asImages(x);
    const features = fitted.network.features;
    const cols = (features.outputs[0].shape as number[]).slice(1).reduce((a, b) => a * b, 1);
    const values = runInBatches(features, images, fitted.inputScale, cols);
    return { data: Float64Array.from(values), rows: images.count, cols };
  }

  summary(): LayerSummary[] {
    const fitted = this.requireFitted();
    return summarize(fitted.network.model, this.options, fitted.classCount);
  }

  /** Frees the network's tensors; the model cannot predict afterwards. */
  dispose(): void {
    // The feature model shares the layers, so disposing the main model frees everything.
    this.fitted?.network.model.dispose();
    this.fitted = null;
  }

  toJSON(): ConvNetJSON {
    const fitted = this.requireFitted();
    const weights = fitted.network.model.getWeights().map((w) => ({
      shape: [...w.shape],
      data: encodeFloat32(w.dataSync() as Float32Array),
    }));
    return {
      kind: 'convNet',
      options: { ...this.options },
      inputShape: [...fitted.inputShape],
      classCount: fitted.classCount,
      inputScale: fitted.inputScale,
      weights,
      history: this.epochs.map((r) => ({ ...r })),
      bestEpoch: this.best,
      stoppedEarly: this.stoppedEarly,
    };
  }

  static fromJSON(json: ConvNetJSON): ConvNet {
    if (json.kind !== 'convNet') throw new Error(`Expected a convolutional network model, got "${json.kind}".`);
    // Models saved before these options existed were built and trained this way, whatever today's defaults are.
    const legacy: Partial<ConvNetOptions> = { head: 'flatten', blockDropout: 0, lrSchedule: 'constant', weightDecay: 0, labelSmoothing: 0 };
    const net = new ConvNet({ ...legacy, ...json.options });
    const inputShape: InputShape = [json.inputShape[0], json.inputShape[1], json.inputShape[2]];
    const network = buildNetwork(net.options, inputShape, json.classCount);
    const expected = network.model.getWeights().map((w) => w.shape.join('×'));
    const given = json.weights.map((w) => w.shape.join('×'));
    if (expected.join(',') !== given.join(',')) {
      network.model.dispose();
      throw new Error('The saved network weights do not match its settings; the saved model is damaged.');
    }
    const tensors = json.weights.map((w) => tf.tensor(decodeFloat32(w.data), w.shape));
    network.model.setWeights(tensors);
    tf.dispose(tensors);
    net.fitted = { network, inputShape, classCount: json.classCount, inputScale: json.inputScale ?? 1 };
    net.epochs = json.history.map((r) => ({ ...r }));
    net.best = json.bestEpoch;
    net.stoppedEarly = json.stoppedEarly;
    return net;
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw new Error('The convolutional network has not been trained yet.');
    return this.fitted;
  }

  private asImages(x: Matrix | ImageTensorInput): ImageTensorInput {
    const [height, width, channels] = this.requireFitted().inputShape;
    const expected = height * width * channels;
    if ('rows' in x) {
      if (x.cols !== expected) {
        throw new Error(
          `The network was trained on ${describeShape(height, width, channels)} images (${expected} values each), ` +
            `but each row here has ${x.cols} values.`,
        );
      }
      return { data: Float32Array.from(x.data), count: x.rows, height, width, channels };
    }
    if (x.height !== height || x.width !== width || x.channels !== channels) {
      throw new Error(
        `The network was trained on ${describeShape(height, width, channels)} images, ` +
          `but these are ${describeShape(x.height, x.width, x.channels)}; prepare them the same way as the training images.`,
      );
    }
    checkImageData(x, 'The images');
    return x;
  }
}

function describeShape(height: number, width: number, channels: number): string {
  const color = channels === 1 ? 'grayscale' : channels === 3 ? 'color' : `${channels}-channel`;
  return `${height}×${width} ${color}`;
}

function imagesFromRows(rows: Matrix, shape: InputShape | undefined): ImageTensorInput {
  if (!shape) {
    throw new Error('Training images given as table rows need their image shape (height, width, channels).');
  }
  const [height, width, channels] = shape;
  if (rows.cols !== height * width * channels) {
    throw new Error(
      `Each row should hold one ${describeShape(height, width, channels)} image (${height * width * channels} values), ` +
        `but holds ${rows.cols} values.`,
    );
  }
  return { data: Float32Array.from(rows.data), count: rows.rows, height, width, channels };
}

function checkImageData(x: ImageTensorInput, what: string): void {
  for (const [name, v] of [['height', x.height], ['width', x.width], ['channels', x.channels], ['count', x.count]] as const) {
    if (!Number.isInteger(v) || v < (name === 'count' ? 0 : 1)) throw new Error(`${what} have an invalid ${name} (${v}).`);
  }
  if (x.data.length !== x.count * imageSize(x)) {
    throw new Error(`${what} should hold ${x.count * imageSize(x)} pixel values but hold ${x.data.length}.`);
  }
}

function checkLabels(y: Int32Array, count: number, classCount: number, what: string): void {
  if (y.length !== count) throw new Error(`${what}: ${count} images but ${y.length} labels.`);
  for (const label of y) {
    if (!(label >= 0 && label < classCount)) throw new Error(`${what}: label index ${label} is outside 0..${classCount - 1}.`);
  }
}

function checkTrainingData(x: ImageTensorInput, y: Int32Array, classCount: number, options: ConvNetOptions): InputShape {
  if (!Number.isInteger(classCount) || classCount < 2) {
    throw new Error('Classification needs at least two classes of images; add images of another class.');
  }
  checkImageData(x, 'The training images');
  if (x.count === 0) throw new Error('There are no training images.');
  checkLabels(y, x.count, classCount, 'Training images');
  const shape: InputShape = [x.height, x.width, x.channels];
  checkImageSize(shape, options.convBlocks);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) throw new Error(`The training images contain a missing or infinite pixel value (image ${Math.floor(i / imageSize(x)) + 1}).`);
  }
  return shape;
}

function checkValidation(validation: { x: ImageTensorInput; y: Int32Array }, shape: InputShape, classCount: number): void {
  const { x, y } = validation;
  checkImageData(x, 'The validation images');
  if (x.height !== shape[0] || x.width !== shape[1] || x.channels !== shape[2]) {
    throw new Error(
      `The validation images are ${describeShape(x.height, x.width, x.channels)} but the training images are ` +
        `${describeShape(...shape)}; prepare both the same way.`,
    );
  }
  checkLabels(y, x.count, classCount, 'Validation images');
}

/** Pixels left at 0–255 would make training crawl, so they are brought to about 0–1. */
function pixelScale(data: Float32Array): number {
  let largest = 0;
  for (let i = 0; i < data.length; i++) largest = Math.max(largest, Math.abs(data[i]));
  return largest > 1.5 ? 1 / largest : 1;
}

function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return Buffer.from(bytes).toString('base64');
}

function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copy into a fresh buffer: Node's pooled buffers may start at offsets float32 cannot read from.
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
