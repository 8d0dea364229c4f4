import { z } from 'zod';
import { formatBytes, formatCount, LIMITS } from '../models/limits';
import { EndpointError, readEndpointBody } from './endpoints';

/**
 * The photos of a photo API request, as a multipart form (one file per photo) or as JSON
 * {"images": [{"name", "data": base64}]}. Whole-request problems (size, count, shape) throw an EndpointError;
 * a photo that is too large or not base64 is refused on its own, so the other photos are still answered.
 */

export interface SentPhoto {
  name: string;
  bytes: Uint8Array;
}
export interface RefusedPhoto {
  name: string;
  reason: string;
}
/** Each photo in the order sent: its bytes, or why it was refused before decoding. */
export type PhotoEntry = SentPhoto | RefusedPhoto;

const limits = LIMITS.photoPredict;
const SHAPE_ADVICE =
  'Send photos as files of a multipart form (curl -F image=@photo.jpg), or JSON like {"images": [{"name": "photo.jpg", "data": "<base64>"}]}.';

export async function readPhotoRequest(request: Request): Promise<PhotoEntry[]> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  if (!multipart && !type.includes('json')) {
    throw new EndpointError(415, `This API takes photos, sent as multipart/form-data or application/json. ${SHAPE_ADVICE}`);
  }
  const body = await readEndpointBody(request, limits.bodyBytes);
  const entries = multipart ? await formPhotos(body, request.headers.get('content-type')!) : jsonPhotos(body);
  if (entries.length === 0) throw new EndpointError(400, `This request holds no photos. ${SHAPE_ADVICE}`);
  return entries;
}

function checkCount(count: number): void {
  if (count > limits.images) {
    throw new EndpointError(413, `This request has ${formatCount(count)} photos; the limit is ${formatCount(limits.images)} photos per request.`);
  }
}

const tooLarge = (bytes: number) => `is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.imageBytes)} per photo`;
const photoName = (name: string | undefined, index: number) => (name?.trim() || `image ${index + 1}`).slice(0, LIMITS.text.nameLength);

/** The files of a multipart form, read by the web platform's own parser from a body already capped in size. */
async function formPhotos(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<PhotoEntry[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new EndpointError(400, `The multipart form could not be read. ${SHAPE_ADVICE}`);
  }
  const files = [...form.values()].filter((value): value is File => typeof value !== 'string');
  checkCount(files.length);
  return Promise.all(
    files.map(async (file, index): Promise<PhotoEntry> => {
      const name = photoName(file.name, index);
      if (file.size > limits.imageBytes) return { name, reason: tooLarge(file.size) };
      return { name, bytes: new Uint8Array(await file.arrayBuffer()) };
    }),
  );
}

const jsonShape = z.object({
  images: z.array(z.object({ name: z.string().max(LIMITS.text.nameLength).optional(), data: z.string() })),
});

// Standard base64; line breaks (as `base64` wraps its output) and a data: URL prefix are allowed.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,/i;

function jsonPhotos(body: Uint8Array): PhotoEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new EndpointError(400, `The request body is not JSON. ${SHAPE_ADVICE}`);
  }
  const images = (json as { images?: unknown } | null)?.images;
  if (Array.isArray(images)) checkCount(images.length);
  const parsed = jsonShape.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path;
    const which = typeof where?.[1] === 'number' ? `Image ${where[1] + 1} is not {"name": text, "data": base64 text}. ` : '';
    throw new EndpointError(400, `${which}${SHAPE_ADVICE}`);
  }
  return parsed.data.images.map(({ name, data }, index) => decodeBase64(photoName(name, index), data));
}

function decodeBase64(name: string, data: string): PhotoEntry {
  const text = data.replace(DATA_URL, '').replace(/\s+/g, '');
  // Three bytes per four characters: the size is known before anything is decoded.
  const bytes = Math.floor((text.length * 3) / 4);
  if (bytes > limits.imageBytes) return { name, reason: tooLarge(bytes) };
  if (!text || text.length % 4 !== 0 || !BASE64.test(text)) return { name, reason: 'is not base64 text of a photo file' };
  return { name, bytes: new Uint8Array(Buffer.from(text, 'base64')) };
}
