import { z } from 'zod';
import { defaultConvNetOptions, type ConvNetOptions } from '../../models/cnn/cnn';
import { formatCount, LIMITS } from '../../models/limits';
import { count, finite, listOf, messageText, plural, problem, whole } from './model-file-parts';

/**
 * The schema of a saved convolutional network. Its weights are only checked against the layer
 * sizes its settings imply: those are worked out here without building the network, so a small
 * file whose settings ask for a huge network is refused before TensorFlow allocates anything.
 */

const { arrayLength } = LIMITS.modelFile;

// Each option as checkedOptions accepts it; a missing one takes its default or legacy value in fromJSON.
const options = z.object({
  convBlocks: whole.min(1).max(4).optional(),
  filters: whole.min(1).max(1024).optional(),
  kernelSize: whole.min(1).max(11).optional(),
  pooling: z.enum(['max', 'average']).optional(),
  dropout: finite.min(0).max(0.8).optional(),
  blockDropout: finite.min(0).max(0.5).optional(),
  head: z.enum(['flatten', 'globalAverage']).optional(),
  denseUnits: whole.min(0).max(8192).optional(),
  epochs: whole.min(1).max(10_000).optional(),
  batchSize: whole.min(1).max(100_000).optional(),
  learningRate: finite.positive().max(10).optional(),
  lrSchedule: z.enum(['constant', 'cosine']).optional(),
  optimizer: z.enum(['adam', 'sgd', 'rmsprop']).optional(),
  weightDecay: finite.min(0).max(1).optional(),
  labelSmoothing: finite.min(0).max(0.5).optional(),
  patience: whole.min(0).max(10_000).optional(),
  seed: finite.optional(),
});

const epochReport = z.object({
  epoch: count,
  // A diverging epoch's NaN loss is saved as null.
  loss: finite.nullable(),
  accuracy: finite.nullable(),
  valLoss: finite.nullable(),
  valAccuracy: finite.nullable(),
  seconds: finite.nullable(),
  imagesPerSecond: finite.nullable(),
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const savedWeight = z.object({ shape: listOf(count), data: z.string() });

const networkShape = z.object({
  kind: z.literal('convNet'),
  options,
  inputShape: z.tuple([whole.min(1), whole.min(1), z.literal([1, 3])]),
  classCount: whole.min(2),
  inputScale: finite.positive().optional(),
  weights: listOf(savedWeight),
  history: listOf(epochReport),
  bestEpoch: whole.min(1).nullable(),
  stoppedEarly: messageText.nullable(),
});

type SavedNetwork = z.output<typeof networkShape>;

/** The tensor shapes tf's getWeights() gives for these settings, in its order, and the width of the last hidden layer. */
export function networkLayout(json: SavedNetwork): { shapes: number[][]; hidden: number } | { field: (string | number)[]; message: string } {
  // The same legacy values as ConvNet.fromJSON: files from before these options existed were trained this way.
  const legacy: Partial<ConvNetOptions> = { head: 'flatten', blockDropout: 0, lrSchedule: 'constant', weightDecay: 0, labelSmoothing: 0 };
  const settings: ConvNetOptions = { ...defaultConvNetOptions, ...legacy, ...json.options };
  let [height, width, channels]: number[] = json.inputShape;
  const tooBig = (field: (string | number)[], what: string, size: number) => ({
    field,
    message: `makes ${what} of ${formatCount(size)} numbers; the limit is ${formatCount(arrayLength)}.`,
  });
  if (height * width * channels > arrayLength) return tooBig(['inputShape'], 'images', height * width * channels);
  if (Math.floor(Math.min(height, width) / 2 ** settings.convBlocks) < 1) {
    return { field: ['inputShape'], message: `is ${height}×${width}, too small for ${plural(settings.convBlocks, 'convolution block')}.` };
  }
  const shapes: number[][] = [];
  for (let block = 0; block < settings.convBlocks; block++) {
    const filters = settings.filters * 2 ** block;
    // 'same' padding keeps the picture's size through the convolution; pooling then halves it.
    if (height * width * filters > arrayLength) return tooBig(['options'], `pattern maps in block ${block + 1}`, height * width * filters);
    shapes.push([settings.kernelSize, settings.kernelSize, channels, filters], [filters]);
    [height, width, channels] = [Math.floor(height / 2), Math.floor(width / 2), filters];
  }
  const flat = settings.head === 'flatten' ? height * width * channels : channels;
  let hidden = flat;
  if (settings.denseUnits > 0) {
    if (flat * settings.denseUnits > arrayLength) return tooBig(['options'], 'a dense layer', flat * settings.denseUnits);
    shapes.push([flat, settings.denseUnits], [settings.denseUnits]);
    hidden = settings.denseUnits;
  }
  if (hidden * json.classCount > arrayLength) return tooBig(['classCount'], 'an output layer', hidden * json.classCount);
  shapes.push([hidden, json.classCount], [json.classCount]);
  return { shapes, hidden };
}

const shapeText = (shape: readonly number[]) => shape.join('×') || 'a single number';

/** The float32 values a base64 text holds, or null when it is not base64 of whole float32 values. */
function float32Count(data: string): number | null {
  if (data.length % 4 !== 0 || !BASE64.test(data)) return null;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const bytes = (data.length / 4) * 3 - padding;
  return bytes % 4 === 0 ? bytes / 4 : null;
}

function firstNonFinite(data: string): number {
  const bytes = Buffer.from(data, 'base64');
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  // Node's pooled buffers can start at an offset float32 cannot read from; copy when they do.
  const aligned = bytes.byteOffset % 4 === 0 ? values : new Float32Array(Uint8Array.from(bytes).buffer);
  return aligned.findIndex((v) => !Number.isFinite(v));
}

export const convNetJson = networkShape.superRefine((json, ctx) => {
  const layout = networkLayout(json);
  if ('field' in layout) return problem(ctx, layout.field, layout.message);
  const { shapes } = layout;
  if (json.weights.length !== shapes.length) {
    return problem(ctx, ['weights'], `has ${plural(json.weights.length, 'weight array')} but the network's settings make ${shapes.length}.`);
  }
  for (let i = 0; i < shapes.length; i++) {
    const { shape, data } = json.weights[i];
    if (shapeText(shape) !== shapeText(shapes[i])) {
      return problem(ctx, ['weights', i, 'shape'], `is ${shapeText(shape)} but the network's settings make ${shapeText(shapes[i])}.`);
    }
    const expected = shapes[i].reduce((a, b) => a * b, 1);
    const held = float32Count(data);
    if (held === null) return problem(ctx, ['weights', i, 'data'], 'is not base64 text of float32 numbers.');
    if (held !== expected) return problem(ctx, ['weights', i, 'data'], `holds ${plural(held, 'number')} but the shape ${shapeText(shapes[i])} needs ${formatCount(expected)}.`);
    const bad = firstNonFinite(data);
    if (bad >= 0) return problem(ctx, ['weights', i, 'data'], `holds a missing or infinite number (number ${formatCount(bad + 1)}).`);
  }
});
