import { ConvNet, type ConvNetOptions } from '../../models/cnn/cnn';
import type { Fold } from '../../models/evaluation/cross-validation';
import { augmentBatch, seededRandom } from '../../models/images/augment';
import { pixelMatrix, pixelRows } from '../../models/images/pixels';
import type { AugmentationSpec, PixelBlock } from '../../models/images/types';
import { foldSummary } from './cross-validate';
import { scoreClassifier } from './scoring';

/**
 * What every try of a network's settings search trains and scores on: the training photos' pixels, their
 * classes and the folds, built once per search. A thread is sent it once (its arrays in shared memory) and
 * then only each try's settings. It holds no photo files or names, so this file loads neither the decoder
 * nor the node: a thread scoring tries needs only TensorFlow.js and the network.
 */
export interface PhotoTrials {
  pixels: PixelBlock;
  /** Each photo's class, as its position in `classes`. */
  labels: Int32Array;
  classes: string[];
  /** The photos each fold trains on (`train`) and is scored on (`test`), as rows of `pixels`. */
  folds: Fold[];
  augmentation: AugmentationSpec | null;
  /** Largest pixel value (1 once scaled to 0–1, else 255): augmented brightness stays within it. */
  maxValue: number;
}

/** The settings a try trains with: the node's own, parsed, the searched ones replaced. */
export type NetworkSettings = Partial<ConvNetOptions> & { seed: number };

/**
 * Trains one network per fold with `settings` and scores it on the photos that fold leaves out; mean ± std
 * of each metric over the folds. The same in the run's thread and in a search thread: the same photos, the
 * same seeds, the same backend, hence the same numbers to the last bit.
 */
export async function scoreNetworkTry(
  settings: NetworkSettings,
  photos: PhotoTrials,
  options: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<ReturnType<typeof foldSummary>> {
  const { pixels, labels, classes, folds } = photos;
  const perFold: Record<string, number>[] = [];
  for (const [index, rows] of folds.entries()) {
    options.onProgress?.(index / folds.length, `fold ${index + 1} of ${folds.length}`);
    const fit = pixelRows(pixels, rows.train);
    const heldOut = pixelRows(pixels, rows.test);
    const network = new ConvNet(settings);
    try {
      await network.fit(fit, labelsAt(labels, rows.train), {
        classCount: classes.length,
        signal: options.signal,
        augment: photoAugmenter(fit, photos.augmentation, photos.maxValue, settings.seed),
      });
      perFold.push(scoreClassifier(network, pixelMatrix(heldOut), labelsAt(labels, rows.test), classes).metrics);
    } finally {
      network.dispose();
    }
  }
  return foldSummary(perFold);
}

/**
 * Changes each training batch as the photos' augmentation says, its random draws seeded from the network's
 * seed (+ 1, so they are not the draws that order the photos); undefined when there is nothing to change.
 */
export function photoAugmenter(
  pixels: PixelBlock | null,
  spec: AugmentationSpec | null,
  maxValue: number,
  seed: number,
): ((batch: Float32Array, count: number) => void) | undefined {
  if (!spec || !pixels) return undefined;
  const random = seededRandom(seed + 1);
  return (batch, count) => augmentBatch(batch, count, pixels.height, pixels.width, pixels.channels, spec, random, maxValue);
}

function labelsAt(labels: Int32Array, rows: Int32Array): Int32Array {
  return Int32Array.from(rows, (row) => labels[row]);
}
