import { z } from 'zod';
import type { Frame } from '../models/frame';
import { fitPreprocessing } from '../models/preprocessing/preprocessing';
import { defineNode, NodeInputError } from './define';
import { featureFrame, fitImageFeatures, computeImageFeatures } from './lib/image-features';
import { maxPixelValue, requirePixels } from './lib/image-sets';
import { choice } from './lib/params';
import { tablePreview } from './lib/summarize';
import type { SplitPreview } from './preview';
import type { ModelValue, SplitValue } from './values';
import { readyForModels } from './lib/tf-backends';

const METHOD_WORDS = {
  hog: 'HOG (edge directions in small cells)',
  histogram: 'colour histogram',
  pixels: 'raw pixel values',
  cnn: "a trained network's second-to-last layer",
} as const;

export const featuresImage = defineNode({
  type: 'features.image',
  version: 1,
  title: 'Image features',
  category: 'Features',
  help: 'Turns each photo into a row of numbers so a decision tree, logistic regression or SVM can learn from photos: shapes and edges (HOG), colours (histogram), the raw pixels, or what a trained network sees. Optionally compressed with PCA, learned from the training photos only.',
  inputs: [
    { name: 'data', type: 'split', label: 'Train/test photos' },
    { name: 'network', type: 'model', label: 'Network (for its features)', optional: true },
  ],
  outputs: [{ name: 'split', type: 'split', label: 'Train/test' }],
  params: z.object({
    method: choice(
      { hog: 'Shapes and edges (HOG)', histogram: 'Colour histogram', pixels: 'Raw pixels', cnn: 'From a trained network' },
      {
        default: 'hog',
        title: 'What to describe',
        description:
          'HOG describes shapes and suits product photos; a colour histogram ignores shape; raw pixels are the simplest; a trained network usually gives the best features (wire one into "Network").',
      },
    ),
    cellSize: z.number().int().min(2).max(32).default(4).meta({
      title: 'Shape detail: cell size in pixels (HOG)',
      description: 'Edges are summarised per square cell of this many pixels. Smaller cells see finer detail and give more columns.',
    }),
    orientations: z.number().int().min(2).max(18).default(9).meta({
      title: 'Edge directions told apart (HOG)',
      description: 'How many edge directions each cell tells apart.',
    }),
    bins: z.number().int().min(2).max(64).default(16).meta({
      title: 'Shades per colour (histogram bins)',
      description: 'How finely the colour histogram splits brightness.',
    }),
    pcaComponents: z.number().int().min(0).max(500).default(0).meta({
      title: 'Compress to this many columns (PCA)',
      description: 'Keeps this many principal components of the features, learned from the training photos. 0 keeps every feature.',
    }),
  }),
  async run({ params, inputs, ctx }) {
    const split = inputs.data;
    const network = inputs.network as ModelValue | undefined;
    await readyForModels([network]);
    if (!split.images) {
      throw new NodeInputError('Image features work on photos, but this split holds table rows. Wire it from a split of a Photos step.');
    }
    const { train: trainImages, test: testImages } = split.images;
    const maxValue = maxPixelValue(trainImages);
    ctx.progress(0.1, `Computing ${METHOD_WORDS[params.method]} for ${trainImages.items.length} training photos`);
    const { fitted, X } = fitImageFeatures(requirePixels(trainImages, 'Image features'), params, maxValue, network);
    ctx.progress(0.6, 'Computing the same features for the test photos');
    const testX = computeImageFeatures(requirePixels(testImages, 'Image features'), fitted, maxValue);
    const labels = (set: typeof trainImages) => set.items.map((item) => item.label);
    const train = featureFrame(X, fitted.columns, split.target, labels(trainImages));
    const test = featureFrame(testX, fitted.columns, split.target, labels(testImages));
    const value: SplitValue = {
      ...split,
      train,
      test,
      preprocessing: fitPreprocessing([], train, split.target).fitted,
      rawTrain: train,
      steps: [],
      imageFeatures: fitted,
    };
    const notes = [
      ...(fitted.columns.length > PREVIEW_COLUMNS ? [`The preview shows the first ${PREVIEW_COLUMNS} of ${fitted.columns.length.toLocaleString('en-US')} columns.`] : []),
      `Each photo became ${fitted.columns.length.toLocaleString('en-US')} numbers: ${METHOD_WORDS[params.method]}` +
        (fitted.pca ? `, compressed with PCA learned from the ${train.rowCount} training photos.` : '.'),
    ];
    const preview: SplitPreview = {
      kind: 'split',
      trainRows: train.rowCount,
      testRows: test.rowCount,
      target: split.target,
      task: split.task,
      train: tablePreview(firstColumns(train, split.target), split.target, 10, notes),
    };
    return { outputs: { split: value }, preview };
  },
});

const PREVIEW_COLUMNS = 12;

/** Hundreds of feature columns do not fit a preview: the first few and the label show what they look like. */
function firstColumns(frame: Frame, target: string): Frame {
  const features = frame.columns.filter((column) => column.name !== target);
  if (features.length <= PREVIEW_COLUMNS) return frame;
  return { ...frame, columns: [...features.slice(0, PREVIEW_COLUMNS), ...frame.columns.filter((column) => column.name === target)] };
}
