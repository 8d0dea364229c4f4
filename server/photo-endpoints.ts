import { readImageHeader } from '../models/images/decode';
import { formatCount, LIMITS } from '../models/limits';
import { failedAnswer, scorePhotos, type PhotoAnswer } from '../nodes/lib/photo-scoring';
import type { Db } from '../db/client';
import type { ServingEndpoint } from '../db/endpoints';
import { authorize, EndpointError, loadModel, servePrediction } from './endpoints';
import { countAnsweredRequest, currentMinute } from './monitoring/recorder';
import { servingEndpoint } from './serving-endpoints';
import { recordPhotos, recordRefusal, refusalReason } from './monitoring/traffic-minute';
import { readPhotoRequest, type PhotoEntry, type SentPhoto } from './photo-request';
import { initServingBackend } from './tf-backend';

/**
 * The prediction API of a model trained on photos (a convolutional network, or a model on image features):
 * each photo is checked (bytes, format, pixel size from its header) before it is decoded, prepared exactly
 * as in training (nodes/lib/photo-scoring.ts), and answered with its label and the class probabilities.
 *
 * Status: 200 when every photo is answered; 400 when any photo is refused, with that photo's error naming
 * it and the other photos still answered in the same list. A problem with the whole request (token, body
 * size, photo count, shape) refuses it all with its own status, as the table API does.
 */

export interface PhotoPredictionAnswer {
  status: 200 | 400;
  body: {
    model: string;
    target: string;
    answered: number;
    refused: number;
    predictions: ({ name: string; label: string; probabilities: Record<string, number> | null } | { name: string; error: string })[];
  };
}

/** POST /api/predict/<id>: the endpoint is read once; a photo model's API takes photos, every other one JSON rows. */
export async function answerPredictionRequest(db: Db, id: string, request: Request): Promise<{ status: number; body: unknown }> {
  const row = await servingEndpoint(db, id);
  if (row?.photoInput) return photoEndpointAnswer(db, row, request);
  return { status: 200, body: await servePrediction(db, id, request, row ?? null) };
}

/** Answers a request to a photo model's API whose row was read. */
async function photoEndpointAnswer(db: Db, row: ServingEndpoint, request: Request): Promise<PhotoPredictionAnswer> {
  const id = row.id;
  const started = performance.now();
  try {
    const endpoint = authorize(row, request.headers.get('authorization'));
    const entries = await readPhotoRequest(request);
    // Networks run 10–20 times faster on WebAssembly than on TensorFlow.js's JavaScript backend (docs/benchmarks.md).
    await initServingBackend();
    const { model, estimator } = await loadModel(db, endpoint);
    const answers = await answerPhotos(entries, (photos) => scorePhotos(model, estimator, photos));
    const labels = answers.flatMap((answer) => ('label' in answer ? [answer.label] : []));
    const reasons = answers.flatMap((answer) => ('reason' in answer ? [monitoredReason(answer.reason)] : []));
    recordPhotos(currentMinute(db, id), labels, reasons, performance.now() - started);
    countAnsweredRequest(db, id);
    return {
      status: reasons.length ? 400 : 200,
      body: {
        model: endpoint.modelTitle,
        target: model.target,
        answered: labels.length,
        refused: reasons.length,
        predictions: answers.map((answer) => ('reason' in answer ? { name: answer.name, error: answer.error } : answer)),
      },
    };
  } catch (error) {
    // Unpublished (404) is not counted, as for the table API.
    if (error instanceof EndpointError && error.status !== 404) {
      recordRefusal(currentMinute(db, id), refusalReason(error.status, error.message), performance.now() - started);
    }
    throw error;
  }
}

/** Checks every photo's header, scores the ones that pass, and returns one answer per photo in the order sent. */
export async function answerPhotos(entries: PhotoEntry[], score: (photos: SentPhoto[]) => Promise<PhotoAnswer[]>): Promise<PhotoAnswer[]> {
  const answers: PhotoAnswer[] = new Array(entries.length);
  const accepted: { index: number; photo: SentPhoto }[] = [];
  await Promise.all(
    entries.map(async (entry, index) => {
      const problem = 'reason' in entry ? entry.reason : await headerProblem(entry.bytes);
      if (problem) answers[index] = failedAnswer(entry.name, problem);
      else accepted.push({ index, photo: entry as SentPhoto });
    }),
  );
  accepted.sort((a, b) => a.index - b.index);
  if (accepted.length) {
    const scored = await score(accepted.map(({ photo }) => photo));
    accepted.forEach(({ index }, i) => (answers[index] = scored[i]));
  }
  return answers;
}

const ACCEPTED_FORMATS = new Set(['png', 'jpeg']);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const startsLike = (bytes: Uint8Array, signature: number[]) => bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

/** Why a photo is refused before decoding (format, pixel count, side), from its header alone; null when it may be decoded. */
async function headerProblem(bytes: Uint8Array): Promise<string | null> {
  // Known by its first bytes, so libvips never parses other formats (an SVG's XML, a TIFF's many pages) from a stranger.
  if (!startsLike(bytes, PNG_SIGNATURE) && !startsLike(bytes, JPEG_SIGNATURE)) return 'not a PNG or JPEG image';
  let header;
  try {
    header = await readImageHeader(bytes);
  } catch (error) {
    return (error as Error).message;
  }
  const { pixels, side } = LIMITS.photoPredict;
  if (!ACCEPTED_FORMATS.has(header.format)) return `is a ${header.format.toUpperCase()} file; send PNG or JPEG photos`;
  const size = `${formatCount(header.width)}×${formatCount(header.height)} pixels`;
  if (header.width * header.height > pixels) return `is ${size}; the limit is ${formatCount(pixels)} pixels per photo`;
  if (Math.max(header.width, header.height) > side) return `is ${size}; the limit is ${formatCount(side)} pixels on a side`;
  return null;
}

/** A refusal reason as monitoring counts it: what differs photo by photo (sizes, the decoder's own detail) left out, so reasons add up. */
function monitoredReason(reason: string): string {
  const general = reason
    .replace(/ \(.*$/s, '')
    .replace(/:.*$/s, '')
    .replace(/^is [\d.,]+ (bytes?|KB|MB|GB);/, 'is too large;')
    .replace(/^is [\d,]+×[\d,]+ pixels;/, 'has too many pixels;');
  return `400: photo ${general}`;
}
