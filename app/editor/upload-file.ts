import { LIMITS, sizeRefusal } from '../../models/limits';
import type { UploadAnswers } from '../../server/api-types';

const LIMIT: Record<keyof UploadAnswers, number> = {
  dataset: LIMITS.upload.datasetBytes,
  imageArchive: LIMITS.upload.imageArchiveBytes,
  model: LIMITS.upload.modelBytes,
};

/**
 * Sends a file as the raw body of POST /api/uploads/<kind>: the server streams it to disk and checks it
 * in a worker thread, so neither side holds it as text. A file over its kind's limit is refused here, with the
 * server's words, before anything is sent. Refusals arrive as `{ error }` (or plain text
 * from the sign-in guard) and are thrown with that message.
 */
export async function uploadFile<K extends keyof UploadAnswers>(kind: K, file: File): Promise<UploadAnswers[K]> {
  // Said before sending: the server refuses it by its declared size too, but a browser still sending
  // gigabytes may report a broken connection instead of reading that answer.
  if (file.size > LIMIT[kind]) throw new Error(sizeRefusal(`"${file.name}"`, file.size, LIMIT[kind]));
  const response = await fetch(`/api/uploads/${kind}?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as UploadAnswers[K];
  let message = text;
  try {
    message = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // Plain text already.
  }
  throw new Error(message || `The upload failed (${response.status}).`);
}
