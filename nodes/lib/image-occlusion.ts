import type { Estimator } from '../../models/estimator';
import { occlusionMap } from '../../models/explain/occlusion';
import type { PixelBlock } from '../../models/images/types';
import { LIMITS } from '../../models/limits';
import type { OcclusionMap } from '../preview';
import type { ImageSetValue, ModelValue } from '../values';
import { computeImageFeatures } from './image-features';
import { imageDataUrl, maxPixelValue, pixelCount, pixelMatrix, requirePixels } from './image-sets';

/** The first test photo of each label in turn, so the maps show several kinds of photo rather than one folder's first few. */
function photosToMap(test: ImageSetValue, count: number): number[] {
  const seen = new Set<string>();
  const firsts = test.items.flatMap((item, row) => (seen.has(item.label) ? [] : (seen.add(item.label), [row])));
  const rest = test.items.map((_, row) => row).filter((row) => !firsts.includes(row));
  return [...firsts, ...rest].slice(0, count);
}

/**
 * Occlusion maps of a few test photos (one per label first): which parts, greyed out, lower the chance of the
 * label the model predicted. Bounded by LIMITS.explain (photos, grid positions): one batch of
 * grid² + 1 copies per photo.
 */
export async function occlusionMaps(model: ModelValue, estimator: Estimator, test: ImageSetValue, yPred: Int32Array, proba: Float64Array | null): Promise<OcclusionMap[]> {
  if (!estimator.predictProba || !proba) return [];
  const block = requirePixels(test, 'Evaluate');
  const maxValue = maxPixelValue(test);
  const K = model.classes.length;
  const inputs = (batch: PixelBlock) => (model.imageFeatures ? computeImageFeatures(batch, model.imageFeatures, maxValue) : pixelMatrix(batch));
  const size = pixelCount(block);
  const maps: OcclusionMap[] = [];
  for (const row of photosToMap(test, LIMITS.explain.occlusionPhotos)) {
    const photo: PixelBlock = { ...block, count: 1, data: block.data.slice(row * size, (row + 1) * size) };
    const label = yPred[row];
    const { drops } = await occlusionMap(photo, (batch) => estimator.predictProba!(inputs(batch)), { grid: LIMITS.explain.occlusionGrid, grey: maxValue / 2, label });
    maps.push({
      src: await imageDataUrl(block, row, maxValue),
      name: test.items[row].name,
      predicted: model.classes[label],
      confidence: proba[row * K + label],
      grid: LIMITS.explain.occlusionGrid,
      drops,
    });
  }
  return maps;
}
