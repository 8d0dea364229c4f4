import type { Matrix } from '../../models/frame';
import { NodeInputError } from '../define';
import type { MisclassifiedImage } from '../preview';
import type { ImageSetValue, ModelValue } from '../values';
import { computeImageFeatures } from './image-features';
import { imageDataUrl, maxPixelValue, pixelMatrix, requirePixels } from './image-sets';

const GALLERY_SIZE = 24;

/** What a model takes as input for these photos: the pixels for a network, else the features it was trained on. */
export function imageInputs(model: ModelValue, test: ImageSetValue): Matrix {
  const block = requirePixels(test, 'Evaluate');
  if (model.modelType === 'model.cnn') return pixelMatrix(block);
  if (model.imageFeatures) return computeImageFeatures(block, model.imageFeatures, maxPixelValue(test));
  throw new NodeInputError(`${model.title} was trained on table rows, so it cannot be tested on photos.`);
}

/** Up to 24 test photos the model got wrong, most confident first, as pictures for the gallery. */
export async function misclassifiedPhotos(
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
