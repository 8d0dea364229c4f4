import type { Matrix } from '../../models/frame';
import { NodeInputError } from '../define';
import type { MisclassifiedImage, ModelEvaluation } from '../preview';
import type { ImageSetValue, ModelValue, SplitValue } from '../values';
import { computeImageFeatures } from './image-features';
import { imageDataUrl, maxPixelValue, pixelMatrix, requirePixels } from './image-sets';
import { classIndices } from './model-data';
import { classificationSummary, scoreClassifier } from './scoring';
import { restoreEstimator } from './trainers';

const GALLERY_SIZE = 24;

/** What a model takes as input for these photos: the pixels for a network, else the features it was trained on. */
function inputsFor(model: ModelValue, test: ImageSetValue): Matrix {
  const block = requirePixels(test, 'Evaluate');
  if (model.modelType === 'model.cnn') return pixelMatrix(block);
  if (model.imageFeatures) return computeImageFeatures(block, model.imageFeatures, maxPixelValue(test));
  throw new NodeInputError(`${model.title} (${model.nodeId}) was trained on table rows, so it cannot be tested on photos.`);
}

/** Scores one model on the test photos, with a gallery of the photos it got wrong. */
export async function evaluateOnImages(model: ModelValue, split: SplitValue): Promise<ModelEvaluation> {
  const test = split.images!.test;
  const estimator = restoreEstimator(model.estimator);
  try {
    const X = inputsFor(model, test);
    const yTrue = classIndices(split.test, split.target, model.classes);
    const { result, metrics, yPred, proba } = scoreClassifier(estimator, X, yTrue, model.classes);
    return {
      model: `${model.title} (${model.nodeId})`,
      nodeId: model.nodeId,
      metrics,
      summary: classificationSummary(metrics, result, yTrue, model.classes).map((line) => line.replace(/test rows/g, 'test photos')),
      perClass: result.perClass,
      confusion: result.confusion,
      misclassified: await misclassified(test, yTrue, yPred, proba, model.classes),
    };
  } finally {
    estimator.dispose?.();
  }
}

async function misclassified(
  test: ImageSetValue,
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: Float64Array | null,
  classes: string[],
): Promise<MisclassifiedImage[]> {
  const k = classes.length;
  const wrong = Array.from(yTrue.keys())
    .filter((i) => yTrue[i] !== yPred[i])
    .map((i) => ({ row: i, confidence: proba ? proba[i * k + yPred[i]] : 1 }))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, GALLERY_SIZE);
  const block = requirePixels(test, 'Evaluate');
  return Promise.all(
    wrong.map(async ({ row, confidence }) => ({
      src: await imageDataUrl(block, row, maxPixelValue(test)),
      name: test.items[row].name,
      trueLabel: classes[yTrue[row]],
      predicted: classes[yPred[row]],
      confidence,
    })),
  );
}
