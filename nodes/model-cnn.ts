import { z } from 'zod';
import { ConvNet, defaultConvNetOptions as defaults, type EpochReport } from '../models/cnn/cnn';
import { trainTestSplit } from '../models/split';
import { defineNode, NodeInputError, type NodeContext } from './define';
import { kFoldIndices } from '../models/evaluation/cross-validation';
import { describeSize, maxPixelValue, requirePixels, subsetImageSet } from './lib/image-sets';
import { photoAugmenter, scoreNetworkTry, type PhotoTrials } from './lib/network-trials';
import { searchSpaceOf, withSearchSettings, type SearchDeclaration, type SearchSettings } from './lib/search-settings';
import { planSearch, runSearch, scoringInThreads, searchSummary, SEARCH_SEED, type SearchThreadOptions } from './lib/tuning';
import { networkThreads, tuningThreads } from './lib/tuning-threads';
import type { Candidate } from '../models/search/parameter-space';
import { LIMITS } from '../models/limits';
import { storeModelFile } from './lib/model-node';
import { choice } from './lib/params';
import type { ModelPreview, TrainingCurves, TrainingPreview, TuningLeaderboard } from './preview';
import type { ImageSetValue, ModelValue } from './values';
import { tensorFlowReady } from './lib/tf-backends';

const TITLE = 'Convolutional network';

const cnnParams = z.object({
  convBlocks: z.number().int().min(1).max(4).default(defaults.convBlocks).meta({
    title: 'Pattern-finding blocks (convolution)',
    description: 'Each block looks for patterns (edges, then shapes, then parts) and halves the picture. 2 suits small photos.',
  }),
  filters: z.number().int().min(4).max(128).default(defaults.filters).meta({
    title: 'Patterns looked for in the first block (filters)',
    description: 'How many patterns the first block looks for; each later block looks for twice as many.',
  }),
  kernelSize: z.number().int().min(2).max(7).default(defaults.kernelSize).meta({
    title: 'Pattern size in pixels (kernel)',
    description: 'Width of the square each filter looks at. 3 is usual.',
  }),
  pooling: choice(
    { max: 'Maximum', average: 'Average' },
    {
      default: defaults.pooling,
      title: 'How each block shrinks the picture (pooling)',
      description: 'Keep the strongest signal of each small square of the picture, or its average.',
    },
  ),
  dropout: z.number().min(0).max(0.8).default(defaults.dropout).meta({
    title: 'Random switch-off while training (dropout)',
    description: 'Share of signals switched off at random while training, so the network cannot just memorise the photos.',
  }),
  blockDropout: z.number().min(0).max(0.5).default(defaults.blockDropout).meta({
    title: 'Random switch-off after each block (dropout)',
    description: 'Share of the pattern maps switched off at random after each block while training, so no single pattern is relied on. 0 turns it off.',
  }),
  head: choice(
    { flatten: 'Keep positions (flatten)', globalAverage: 'Average over the picture' },
    {
      default: defaults.head,
      title: 'Summing up the patterns',
      description:
        'How the patterns found are passed on: keep where in the picture each one was (many weights, can memorise small sets), or only how strongly each appears overall (few weights, works with fewer photos).',
    },
  ),
  denseUnits: z.number().int().min(0).max(1024).default(defaults.denseUnits).meta({
    title: 'Size of the combining layer (dense units)',
    description: 'Size of the layer that combines the patterns before the answer. 0 leaves it out.',
  }),
  epochs: z.number().int().min(1).max(200).default(defaults.epochs).meta({
    title: 'Passes over the training photos (epochs)',
    description: 'How many times training goes through all training photos.',
  }),
  batchSize: z.number().int().min(4).max(512).default(defaults.batchSize).meta({
    title: 'Photos per learning step (batch size)',
    description: 'How many photos the network looks at before each change of its weights. Larger batches run faster but take fewer, steadier steps.',
  }),
  learningRate: z.number().min(0.00001).max(1).default(defaults.learningRate).meta({
    title: 'Step size (learning rate)',
    description: 'Size of each learning step (at the start, when it shrinks over the epochs). Too high makes training jump around; too low makes it slow.',
  }),
  lrSchedule: choice(
    { constant: 'Constant', cosine: 'Shrink gradually (cosine)' },
    {
      default: defaults.lrSchedule,
      title: 'Step size over time (schedule)',
      description:
        'Keep the same step size throughout, or shrink it smoothly to nothing by the last epoch so training settles on good weights.',
    },
  ),
  weightDecay: z.number().min(0).max(0.1).default(defaults.weightDecay).meta({
    title: 'Prefer small weights (weight decay)',
    description: 'Penalty on large weights, so the network prefers simple explanations over memorising the photos. 0 turns it off; 0.0001–0.001 is usual.',
  }),
  labelSmoothing: z.number().min(0).max(0.5).default(defaults.labelSmoothing).meta({
    title: 'Hold back certainty (label smoothing)',
    description: 'Teaches the network to be a little less than 100% sure of each answer (0.1 = 90%), which makes it less overconfident on new photos. 0 turns it off.',
  }),
  optimizer: choice(
    { adam: 'Adam', sgd: 'Plain gradient descent (SGD)', rmsprop: 'RMSprop' },
    { default: defaults.optimizer, title: 'How weights are adjusted (optimizer)', description: 'The rule that turns each mistake into a change of the weights. Adam works well almost everywhere.' },
  ),
  patience: z.number().int().min(0).max(50).default(defaults.patience).meta({
    title: 'Stop early after (epochs without progress)',
    description: 'Stops when the validation loss has not improved for this many epochs and keeps the best epoch. 0 always trains every epoch.',
  }),
  validationFraction: z.number().min(0).max(0.5).default(0.15).meta({
    title: 'Share of training photos for validation',
    description: 'Held back from training to draw the validation curves and decide when to stop. The test photos stay untouched.',
  }),
  seed: z.number().int().min(0).default(defaults.seed).meta({
    title: 'Random seed',
    description: 'The same seed gives the same starting weights and photo order.',
  }),
});

/** What a settings search tries: the step size, the patterns looked for and the switch-off share (18 combinations). */
const CNN_SEARCH: SearchDeclaration = {
  learningRate: { min: 0.0003, max: 0.01, scale: 'log', steps: 3 },
  filters: { values: [8, 16, 32] },
  dropout: { values: [0.25, 0.5] },
};

type CnnParams = z.output<typeof cnnParams>;

export const modelCnn = defineNode({
  type: 'model.cnn',
  version: 1,
  title: TITLE,
  category: 'Model',
  help: 'Learns to recognise what is in photos by finding patterns (edges, shapes, parts) itself. Shows its learning curves live while it trains. Train it on the split of a Photos step.',
  inputs: [{ name: 'data', type: 'split', label: 'Train/test photos' }],
  outputs: [{ name: 'model', type: 'model', label: 'Model' }],
  params: withSearchSettings(cnnParams),
  async run({ params: given, inputs, ctx }) {
    const split = inputs.data;
    if (!split.images) {
      throw new NodeInputError('The convolutional network learns from photos, and this split holds table rows. Wire it from a split of a Photos step.');
    }
    const images = split.images.train;
    await tensorFlowReady();
    const search = given.search === 'off' ? null : await searchNetwork(given, images, split.classes, ctx);
    const params = search ? { ...given, ...cnnParams.parse({ ...given, ...search.best }), search: 'off' as const } : given;
    const { fit, validation } = holdOutValidation(images, params.validationFraction, params.seed);
    const network = new ConvNet(params);
    const tracker = trainingTracker(params.epochs, ctx);
    // The node's output is the saved JSON; the tensors are freed however the run ends (done, cancelled, failed).
    try {
      await network.fit(requirePixels(fit, TITLE), labelIndices(fit, split.classes), {
        classCount: split.classes.length,
        validation: validation ? { x: validation.pixels!, y: labelIndices(validation, split.classes) } : undefined,
        signal: ctx.signal,
        augment: photoAugmenter(images.pixels, images.augmentation, maxPixelValue(images), params.seed),
        onEpoch: tracker.onEpoch,
        onBatch: tracker.onBatch,
      });
      const model: ModelValue = {
        modelType: 'model.cnn',
        nodeId: ctx.nodeId,
        params,
        title: TITLE,
        task: 'classification',
        target: split.target,
        features: [],
        classes: split.classes,
        estimator: network.toJSON(),
        preprocessing: split.preprocessing,
        trainRows: fit.items.length,
        imagePreparation: images.preparation ?? undefined,
      };
      const preview = cnnPreview(model, network, tracker.curves(network), fit, validation, storeModelFile(model, ctx), search?.leaderboard);
      return { outputs: { model }, preview };
    } finally {
      network.dispose();
    }
  },
});

/**
 * Tries settings of the network, each trained on k - 1 folds of the training photos and scored on the fold
 * left out (stratified, the same folds every run), and returns the best. Every try trains k networks; the
 * tries are trained in a few threads at once where the cores and the photos' size allow (`networkThreads`).
 */
export async function searchNetwork(
  params: CnnParams & SearchSettings,
  images: ImageSetValue,
  classes: string[],
  ctx: Pick<NodeContext, 'signal' | 'progress' | 'title'>,
  options: SearchThreadOptions = {},
) {
  const labels = images.items.map((item) => item.label);
  let folds;
  try {
    folds = kFoldIndices(labels.length, { folds: params.searchFolds, seed: SEARCH_SEED, stratify: labels });
  } catch (error) {
    throw new NodeInputError(`Search for the best settings: ${(error as Error).message}`);
  }
  const photos: PhotoTrials = {
    pixels: requirePixels(images, TITLE),
    labels: labelIndices(images, classes),
    classes,
    folds,
    augmentation: images.augmentation,
    maxValue: maxPixelValue(images),
  };
  const space = searchSpaceOf(cnnParams, CNN_SEARCH);
  const plan = planSearch(space, params);
  const settingsOf = (candidate: Candidate) => cnnParams.parse({ ...params, ...candidate });
  const score = (candidate: Candidate, onProgress: (fraction: number, message: string) => void) =>
    scoreNetworkTry(settingsOf(candidate), photos, { signal: ctx.signal, onProgress });
  // Pixel values the tries train on, every epoch of every fold: a search below the limit is over before threads would have started.
  const trainedValues = photos.pixels.data.length * (folds.length - 1) * params.epochs * plan.candidates.length;
  const worthThreads = options.threads !== undefined || trainedValues >= LIMITS.tuning.networkThreadMinValues;
  const threads = worthThreads ? Math.min(networkThreads(photos.pixels, options.threads ?? tuningThreads()), plan.candidates.length) : 1;
  return runSearch({
    title: ctx.title,
    task: 'classification',
    folds: folds.length,
    plan,
    space,
    signal: ctx.signal,
    progress: (fraction, message, live) => ctx.progress(fraction, message, live),
    score,
    scoreInThreads: scoringInThreads({ nodeType: 'model.cnn', tensorflow: true, title: ctx.title, data: { kind: 'photos', photos }, threads, settingsOf, score }, options),
  });
}

function labelIndices(set: ImageSetValue, classes: string[]): Int32Array {
  return Int32Array.from(set.items, (item) => classes.indexOf(item.label));
}

/** Keeps a share of the training photos aside (same share per class) to watch for overfitting. */
function holdOutValidation(images: ImageSetValue, fraction: number, seed: number): { fit: ImageSetValue; validation: ImageSetValue | null } {
  if (fraction <= 0) return { fit: images, validation: null };
  const labels = images.items.map((item) => item.label);
  try {
    const rows = trainTestSplit(labels.length, { testFraction: fraction, seed, stratify: labels });
    return { fit: subsetImageSet(images, rows.train), validation: subsetImageSet(images, rows.test) };
  } catch (error) {
    throw new NodeInputError(`Not enough training photos to hold some back for validation: ${(error as Error).message} Set the validation share to 0.`);
  }
}

/** Turns the network's reports into progress with a time estimate, and a live chart after every epoch. */
function trainingTracker(totalEpochs: number, ctx: NodeContext) {
  const epochs: EpochReport[] = [];
  const started = performance.now();
  let eta: number | undefined;
  const curvesSoFar = (): TrainingCurves => ({
    epochs: epochs.map(({ imagesPerSecond: _rate, ...stats }) => stats),
    totalEpochs,
    imagesPerSecond: epochs.at(-1)?.imagesPerSecond,
    etaSeconds: eta,
  });
  return {
    onBatch(done: number, total: number) {
      const elapsed = (performance.now() - started) / 1000;
      eta = done > 0 ? (elapsed / done) * (total - done) : undefined;
      const epoch = Math.min(totalEpochs, Math.floor((done / total) * totalEpochs) + 1);
      ctx.progress(done / total, `Epoch ${epoch} of ${totalEpochs}${eta !== undefined ? `, about ${Math.ceil(eta)} s left` : ''}`);
    },
    onEpoch(report: EpochReport) {
      epochs.push(report);
      const live: TrainingPreview = { kind: 'training', model: TITLE, curves: curvesSoFar(), summary: [epochSentence(report, totalEpochs)] };
      ctx.progress(report.epoch / totalEpochs, `Epoch ${report.epoch} of ${totalEpochs} done`, live);
    },
    curves(network: ConvNet): TrainingCurves {
      const { etaSeconds: _eta, ...curves } = curvesSoFar();
      return { ...curves, bestEpoch: network.bestEpoch ?? undefined, stoppedEarly: network.stoppedEarly ?? undefined };
    },
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function epochSentence(report: EpochReport, total: number): string {
  const validation = report.valAccuracy !== null ? `, ${percent(report.valAccuracy)} on the validation photos` : '';
  return `Epoch ${report.epoch} of ${total}: right on ${percent(report.accuracy)} of the training photos${validation}.`;
}

function cnnPreview(
  model: ModelValue,
  network: ConvNet,
  training: TrainingCurves,
  fit: ImageSetValue,
  validation: ImageSetValue | null,
  download: ModelPreview['download'],
  tuning?: TuningLeaderboard,
): ModelPreview {
  const last = training.epochs.at(-1);
  const kept = training.bestEpoch ? training.epochs.find((e) => e.epoch === training.bestEpoch) : last;
  const layers = network.summary();
  const weights = layers.reduce((sum, layer) => sum + layer.params, 0);
  const summary = [
    `Trained on ${fit.items.length.toLocaleString('en-US')} photos (${describeSize(fit.pixels!)}) to tell ${model.classes.length} classes apart, ` +
      `with ${validation ? `${validation.items.length.toLocaleString('en-US')} more held back for validation` : 'no validation photos'}.`,
    `${layers.length} layers, ${weights.toLocaleString('en-US')} weights; ${training.epochs.length} epochs at about ${Math.round(training.imagesPerSecond ?? 0).toLocaleString('en-US')} photos per second.`,
  ];
  if (kept?.valAccuracy != null) summary.push(`Kept the weights of epoch ${kept.epoch}: right on ${percent(kept.valAccuracy)} of the validation photos.`);
  if (training.stoppedEarly) summary.push(`Stopped early: ${training.stoppedEarly}.`);
  if (tuning) summary.unshift(...searchSummary(tuning));
  return {
    kind: 'model',
    model: TITLE,
    task: 'classification',
    target: model.target,
    trainRows: model.trainRows,
    features: [],
    classes: model.classes,
    summary,
    download,
    nodeId: model.nodeId,
    training,
    layers,
    tuning,
  };
}
