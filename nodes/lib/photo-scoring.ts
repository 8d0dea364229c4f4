import type { Estimator } from '../../models/estimator';
import type { Matrix } from '../../models/frame';
import { decodeImages, prepareImages, type FailedImage } from '../../models/images/decode';
import type { ImageItem, ImagePreparation, PixelBlock } from '../../models/images/types';
import { NodeInputError } from '../define';
import type { ImageSetValue, ModelValue } from '../values';
import { imageInputs } from './image-evaluation';

/**
 * Scoring new photos with a model trained on photos, the way Evaluate scores its test photos: the model's
 * own preparation (size, colours, 0–1 scaling, denoising: `prepareImages`), then its inputs
 * (`imageInputs`: the pixels for a network, the fitted image features for any other model).
 */

/** What a photo model takes, kept with its prediction API so callers and its page can be told. */
export interface PhotoInput {
  target: string;
  classes: string[];
  /** How each photo is prepared before the model sees it; null when training used the photos at their own size. */
  preparation: ImagePreparation | null;
  /** The photo shape the model takes, where it is known. */
  shape: { width: number; height: number; channels: 1 | 3 } | null;
  /** How photos become the model's inputs: the network itself, or an Image features method. */
  inputs: 'network' | 'pixels' | 'histogram' | 'hog' | 'cnn';
}

export type PhotoAnswer =
  | { name: string; label: string; probabilities: Record<string, number> | null }
  | { name: string; error: string; reason: string };

/** A photo model's input description; null for a model trained on table rows. */
export function photoInputOf(model: ModelValue): PhotoInput | null {
  const network = model.modelType === 'model.cnn';
  if (!network && !model.imageFeatures) return null;
  if (model.task !== 'classification') throw new NodeInputError(`${model.title} does not sort photos into classes, so it cannot answer a label.`);
  const prep = model.imagePreparation ?? null;
  const inputShape = network ? (model.estimator as { inputShape?: [number, number, 1 | 3] }).inputShape : undefined;
  const shape = prep
    ? { width: prep.size, height: prep.size, channels: prep.color === 'grayscale' ? (1 as const) : (3 as const) }
    : inputShape
      ? { height: inputShape[0], width: inputShape[1], channels: inputShape[2] }
      : null;
  return { target: model.target, classes: model.classes, preparation: prep, shape, inputs: network ? 'network' : model.imageFeatures!.method };
}

/** The decoders word some reasons without a verb ("not a PNG or JPEG image"); answers read "… is not a PNG or JPEG image". */
const predicate = (reason: string) => (reason.startsWith('not ') ? `is ${reason}` : reason);

/** A photo's refusal: `error` names it, `reason` (what follows its name) is kept for monitoring. */
export function failedAnswer(name: string, reason: string): PhotoAnswer {
  return { name, error: `"${name}" ${predicate(reason)}.`, reason: predicate(reason) };
}

/** The model's answers for the photos, in their order; a photo that cannot be used gets an error naming it, the others are still answered. */
export async function scorePhotos(model: ModelValue, estimator: Estimator, photos: { name: string; bytes: Uint8Array }[]): Promise<PhotoAnswer[]> {
  const items: ImageItem[] = photos.map(({ name, bytes }) => ({ name, bytes, label: '' }));
  const answers: PhotoAnswer[] = new Array(items.length);
  const groups = await pixelGroups(model, items);
  for (const failed of groups.failed) answers[failed.index] = failedAnswer(failed.name, failed.reason);
  for (const group of groups.blocks) {
    let X: Matrix;
    let labels: ArrayLike<number>;
    try {
      X = modelInputs(model, group.block, items);
      // A network checks the shape of its input here.
      labels = estimator.predict(X);
    } catch (error) {
      const reason = `does not fit this model: ${(error as Error).message.replace(/\.$/, '')}`;
      for (const index of group.indices) answers[index] = failedAnswer(items[index].name, reason);
      continue;
    }
    const proba = probabilities(estimator, X);
    const k = model.classes.length;
    group.indices.forEach((index, row) => {
      answers[index] = {
        name: items[index].name,
        label: model.classes[labels[row]],
        probabilities: proba ? Object.fromEntries(model.classes.map((label, c) => [label, Number(proba[row * k + c].toFixed(6))])) : null,
      };
    });
  }
  return answers;
}

/** Models trained without probability estimates (an SVM without them) still answer their label. */
function probabilities(estimator: Estimator, X: Matrix): Float64Array | null {
  try {
    return estimator.predictProba?.(X) ?? null;
  } catch {
    return null;
  }
}

function modelInputs(model: ModelValue, block: PixelBlock, items: ImageItem[]): Matrix {
  const set: ImageSetValue = { items, classes: model.classes, pixels: block, mixed: null, preparation: model.imagePreparation ?? null, augmentation: null, origin: 'request' };
  const X = imageInputs(model, set);
  // A network checks its input shape itself (in predict); other models would score columns of another meaning without a word.
  if (model.modelType !== 'model.cnn' && X.cols !== model.features.length) {
    throw new Error(`it gives ${X.cols} numbers per photo where the model learned from ${model.features.length}; send photos of the training size`);
  }
  return X;
}

interface PixelGroups {
  blocks: { block: PixelBlock; indices: number[] }[];
  failed: (FailedImage & { index: number })[];
}

/** The photos' pixels as training saw them: prepared to one block, or (no Prepare step) decoded at their own size, one block per size. */
async function pixelGroups(model: ModelValue, items: ImageItem[]): Promise<PixelGroups> {
  if (model.imagePreparation) {
    const { block, kept, failed } = await prepareImages(items, model.imagePreparation);
    return { blocks: kept.length ? [{ block, indices: kept }] : [], failed: withIndices(failed, items.length, kept) };
  }
  const { decoded, failed } = await decodeImages(items);
  const byShape = new Map<string, number[]>();
  for (let i = 0; i < decoded.length; i++) {
    const key = `${decoded[i].width}×${decoded[i].height}×${decoded[i].channels}`;
    byShape.set(key, [...(byShape.get(key) ?? []), i]);
  }
  const blocks = [...byShape.values()].map((members) => {
    const { width, height, channels } = decoded[members[0]];
    const size = width * height * channels;
    const data = new Float32Array(members.length * size);
    members.forEach((member, row) => data.set(decoded[member].pixels, row * size));
    return { block: { count: members.length, width, height, channels, data }, indices: members.map((member) => decoded[member].index) };
  });
  return { blocks, failed: withIndices(failed, items.length, decoded.map((image) => image.index)) };
}

/** The decoders list failures in photo order without their positions: they are the positions not kept, in order (names may repeat). */
function withIndices(failed: FailedImage[], count: number, kept: number[]): PixelGroups['failed'] {
  const keptSet = new Set(kept);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !keptSet.has(i));
  return failed.map((f, j) => ({ ...f, index: missing[j] }));
}
