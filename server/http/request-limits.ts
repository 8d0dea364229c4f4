import { formatBytes, LIMITS, sizeRefusal } from '../../models/limits';

/** A request refused for its size: the HTTP status and the plain-words reason. */
export class RequestLimitError extends Error {
  constructor(
    public readonly status: 400 | 413 | 414 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'RequestLimitError';
  }
}

/**
 * Reads a request body into memory, refusing it as soon as it passes `maxBytes` (the declared length is
 * checked first, but a body sent in chunks is counted as it arrives, so a false length does not help).
 */
export async function readBodyCapped(request: Request, maxBytes: number, what = 'This request'): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw new RequestLimitError(413, sizeRefusal(what, declared, maxBytes));
  const refuse = () => new RequestLimitError(413, `${what} is larger than ${formatBytes(maxBytes)}, the limit.`);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw refuse();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The URL's path and query, refused when too long or when its percent-encoding is broken ("/api/artifacts/%"). */
export function checkUrl(url: string): void {
  const { pathname, search } = new URL(url);
  if (pathname.length + search.length > LIMITS.http.urlLength) {
    throw new RequestLimitError(414, `This address is ${formatBytes(pathname.length + search.length)} long; the limit is ${formatBytes(LIMITS.http.urlLength)}.`);
  }
  try {
    decodeURIComponent(pathname);
    for (const part of search.slice(1).split('&')) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new RequestLimitError(400, 'This address is not valid: it has a "%" that is not followed by two hexadecimal digits.');
  }
}
