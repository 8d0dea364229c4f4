import type { UploadAnswers } from '../../server/api-types';

/**
 * Sends a file as the raw body of POST /api/uploads/<kind>: the server streams it to disk and checks it
 * in a worker thread, so neither side holds it as text. Refusals arrive as `{ error }` (or plain text
 * from the sign-in guard) and are thrown with that message.
 */
export async function uploadFile<K extends keyof UploadAnswers>(kind: K, file: File): Promise<UploadAnswers[K]> {
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
