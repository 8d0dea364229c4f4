/**
 * Options and architecture of the convolutional image classifier: checking what a person typed,
 * building the tf.layers network, and describing it layer by layer in plain words.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tensorflow';
import { seededRandom } from '../split';

export interface ConvNetOptions {
  /** 1–4; block i = conv2d(filters·2^i, kernelSize, 'same', relu) → 2×2 pooling. */
  convBlocks: number;
  /** Filters of the first block; each later block doubles them. */
  filters: number;
  kernelSize: number;
  pooling: 'max' | 'average';
  /** 0–0.8, applied after flatten (or global pooling) and after the dense layer. */
  dropout: number;
  /** 0–0.5, applied to the pattern maps after each block's pooling; 0 = off. */
  blockDropout: number;
  /**
   * How the last maps become one vector: 'flatten' keeps every position (many weights in the next
   * layer), 'globalAverage' averages each map over the picture (few weights, less memorising).
   */
  head: 'flatten' | 'globalAverage';
  /** Units of the hidden dense layer; 0 = none. */
  denseUnits: number;
  epochs: number;
  batchSize: number;
  /** The starting learning rate; with the cosine schedule it eases to 0 by the last epoch. */
  learningRate: number;
  lrSchedule: 'constant' | 'cosine';
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  /** L2 penalty on conv and dense weights (0 = off): keeps weights small so the network generalises. */
  weightDecay: number;
  /** 0–0.5: share of each target spread over all classes, so the network does not grow overconfident. */
  labelSmoothing: number;
  /** Stop when validation loss has not improved for this many epochs and keep the best epoch's weights; 0 = off. */
  patience: number;
  seed: number;
}

export const defaultConvNetOptions: ConvNetOptions = {
  convBlocks: 2,
  filters: 32,
  kernelSize: 3,
  pooling: 'max',
  dropout: 0.25,
  blockDropout: 0,
  head: 'flatten',
  denseUnits: 128,
  epochs: 15,
  batchSize: 32,
  learningRate: 0.001,
  // Cosine over 20 epochs gained only about a point on the product photos sample (within chance)
  // and leaves short runs of a few epochs clearly weaker, so the rate stays constant unless asked.
  lrSchedule: 'constant',
  optimizer: 'adam',
  weightDecay: 0,
  labelSmoothing: 0,
  patience: 5,
  seed: 42,
};

export type InputShape = [height: number, width: number, channels: number];

function requireWhole(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    throw new Error(`${what} must be ${range} (got ${value}).`);
  }
}

function requireChoice(value: string, choices: string[], what: string): void {
  if (!choices.includes(value)) {
    throw new Error(`${what} must be ${choices.map((c) => `"${c}"`).join(' or ')} (got "${String(value)}").`);
  }
}

export function checkedOptions(options: Partial<ConvNetOptions>): ConvNetOptions {
  const merged = { ...defaultConvNetOptions, ...options };
  requireWhole(merged.convBlocks, 1, 4, 'The number of convolution blocks');
  requireWhole(merged.filters, 1, 1024, 'The number of filters');
  requireWhole(merged.kernelSize, 1, 11, 'The filter size');
  requireWhole(merged.denseUnits, 0, 8192, 'The number of dense units');
  requireWhole(merged.epochs, 1, 10_000, 'The number of epochs');
  requireWhole(merged.batchSize, 1, 100_000, 'The batch size');
  requireWhole(merged.patience, 0, 10_000, 'Patience');
  if (!Number.isFinite(merged.seed)) throw new Error(`The random seed must be a number (got ${merged.seed}).`);
  if (!(merged.dropout >= 0 && merged.dropout <= 0.8)) {
    throw new Error(`Dropout must be between 0 and 0.8 (got ${merged.dropout}).`);
  }
  if (!(merged.learningRate > 0 && merged.learningRate <= 10)) {
    throw new Error(`The learning rate must be above 0 and at most 10 (got ${merged.learningRate}).`);
  }
  if (!(merged.blockDropout >= 0 && merged.blockDropout <= 0.5)) {
    throw new Error(`Dropout after each block must be between 0 and 0.5 (got ${merged.blockDropout}).`);
  }
  if (!(merged.weightDecay >= 0 && merged.weightDecay <= 1)) {
    throw new Error(`Weight decay must be between 0 and 1 (got ${merged.weightDecay}).`);
  }
  if (!(merged.labelSmoothing >= 0 && merged.labelSmoothing <= 0.5)) {
    throw new Error(`Label smoothing must be between 0 and 0.5 (got ${merged.labelSmoothing}).`);
  }
  requireChoice(merged.head, ['flatten', 'globalAverage'], 'The head');
  requireChoice(merged.lrSchedule, ['constant', 'cosine'], 'The learning-rate schedule');
  if (merged.pooling !== 'max' && merged.pooling !== 'average') {
    throw new Error(`Pooling must be "max" or "average" (got "${String(merged.pooling)}").`);
  }
  if (!['adam', 'sgd', 'rmsprop'].includes(merged.optimizer)) {
    throw new Error(`The optimizer must be "adam", "sgd" or "rmsprop" (got "${String(merged.optimizer)}").`);
  }
  return merged;
}

/** Each 2×2 pooling halves the image (rounding down), so the smaller side must survive every block. */
export function checkImageSize(shape: InputShape, convBlocks: number): void {
  const [height, width] = shape;
  if (Math.floor(Math.min(height, width) / 2 ** convBlocks) < 1) {
    throw new Error(
      `Images of ${height}×${width} pixels are too small for ${convBlocks} convolution block${convBlocks === 1 ? '' : 's'}; ` +
        'use fewer blocks or a larger image size.',
    );
  }
}

/**
 * Dropout whose masks follow a seed, so the same seed trains the same network. tf's own Dropout
 * layer, given a seed, would draw the same mask for every batch. The class extends one of TensorFlow.js's,
 * so it is defined when a network is first built, not when this file is imported (models/tensorflow.ts).
 */
function seededDropoutClass() {
  return class SeededDropout extends tf.layers.Layer {
    static readonly className = 'SeededDropout';
    private readonly random: () => number;

    constructor(
      private readonly rate: number,
      seed: number,
      name: string,
    ) {
      super({ name });
      this.random = seededRandom(seed);
    }

    override call(inputs: TF.Tensor | TF.Tensor[], kwargs: Record<string, unknown>): TF.Tensor {
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      if (kwargs['training'] !== true || this.rate <= 0) return input;
      // tf treats a seed of 0 as "no seed".
      const seed = Math.floor(this.random() * 2 ** 31) + 1;
      return tf.tidy(() => tf.dropout(input, this.rate, undefined, seed));
    }
  };
}

let SeededDropoutClass: ReturnType<typeof seededDropoutClass> | null = null;

function seededDropout(rate: number, seed: number, name: string) {
  SeededDropoutClass ??= seededDropoutClass();
  return new SeededDropoutClass(rate, seed, name);
}

export interface Network {
  /** Images → class probabilities. */
  model: TF.LayersModel;
  /** Images → last hidden activations; shares its layers (and weights) with `model`. */
  features: TF.LayersModel;
}

/** Builds the layers with initialisers seeded one by one, so the same seed starts from the same weights. */
export function buildNetwork(options: ConvNetOptions, inputShape: InputShape, classCount: number): Network {
  // tf treats a seed of 0 as "no seed", hence the + 1.
  let nextSeed = (Math.trunc(options.seed) >>> 0) * 64 + 1;
  const regularizer = options.weightDecay > 0 ? tf.regularizers.l2({ l2: options.weightDecay }) : undefined;
  const seeded = () => ({
    kernelInitializer: tf.initializers.heNormal({ seed: nextSeed++ }),
    biasInitializer: 'zeros' as const,
    kernelRegularizer: regularizer,
  });
  const input = tf.input({ shape: inputShape, name: 'images' });
  let x = input;
  for (let block = 0; block < options.convBlocks; block++) {
    const filters = options.filters * 2 ** block;
    const conv = tf.layers.conv2d({
      filters,
      kernelSize: options.kernelSize,
      padding: 'same',
      activation: 'relu',
      name: `conv${block + 1}`,
      ...seeded(),
    });
    const poolArgs = { poolSize: 2, strides: 2, name: `pool${block + 1}` };
    const pool = options.pooling === 'max' ? tf.layers.maxPooling2d(poolArgs) : tf.layers.averagePooling2d(poolArgs);
    x = pool.apply(conv.apply(x)) as TF.SymbolicTensor;
    if (options.blockDropout > 0) {
      x = seededDropout(options.blockDropout, nextSeed++, `blockDropout${block + 1}`).apply(x) as TF.SymbolicTensor;
    }
  }
  const head =
    options.head === 'globalAverage' ? tf.layers.globalAveragePooling2d({ name: 'globalPool' }) : tf.layers.flatten({ name: 'flatten' });
  let hidden = head.apply(x) as TF.SymbolicTensor;
  x = hidden;
  if (options.dropout > 0) x = seededDropout(options.dropout, nextSeed++, 'dropout1').apply(x) as TF.SymbolicTensor;
  if (options.denseUnits > 0) {
    const dense = tf.layers.dense({ units: options.denseUnits, activation: 'relu', name: 'dense', ...seeded() });
    hidden = dense.apply(x) as TF.SymbolicTensor;
    x = hidden;
    if (options.dropout > 0) x = seededDropout(options.dropout, nextSeed++, 'dropout2').apply(x) as TF.SymbolicTensor;
  }
  const outputLayer = tf.layers.dense({
    units: classCount,
    activation: 'softmax',
    name: 'output',
    kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed++ }),
    kernelRegularizer: regularizer,
  });
  const output = outputLayer.apply(x) as TF.SymbolicTensor;
  return {
    model: tf.model({ inputs: input, outputs: output }),
    features: tf.model({ inputs: input, outputs: hidden }),
  };
}

/** SGD gets momentum because plain SGD at Adam-sized learning rates barely moves in a few epochs. */
export function createOptimizer(options: ConvNetOptions): TF.Optimizer {
  if (options.optimizer === 'sgd') return tf.train.momentum(options.learningRate, 0.9);
  if (options.optimizer === 'rmsprop') return tf.train.rmsprop(options.learningRate);
  return tf.train.adam(options.learningRate);
}

export interface LayerSummary {
  name: string;
  outputShape: string;
  params: number;
}

function describeLayer(layer: TF.layers.Layer, options: ConvNetOptions, classCount: number): string {
  const digits = /\d+$/.exec(layer.name)?.[0] ?? '';
  const k = options.kernelSize;
  if (layer.name.startsWith('conv')) {
    const filters = options.filters * 2 ** (Number(digits) - 1);
    return `Convolution ${digits} (${filters} filters ${k}×${k})`;
  }
  if (layer.name.startsWith('pool')) return `${options.pooling === 'max' ? 'Max' : 'Average'} pooling ${digits} (2×2)`;
  if (layer.name === 'flatten') return 'Flatten';
  if (layer.name === 'globalPool') return 'Average of each map';
  if (layer.name.startsWith('blockDropout')) return `Dropout after block ${digits} (${Math.round(options.blockDropout * 100)}%)`;
  if (layer.name.startsWith('dropout')) return `Dropout ${digits} (${Math.round(options.dropout * 100)}%)`;
  if (layer.name === 'dense') return `Dense (${options.denseUnits} units)`;
  if (layer.name === 'output') return `Output (${classCount} classes)`;
  return layer.name;
}

export function summarize(model: TF.LayersModel, options: ConvNetOptions, classCount: number): LayerSummary[] {
  return model.layers
    .filter((layer) => layer.name !== 'images')
    .map((layer) => {
      const shape = layer.outputShape as (number | null)[];
      return {
        name: describeLayer(layer, options, classCount),
        outputShape: shape.slice(1).join('×'),
        params: layer.countParams(),
      };
    });
}
