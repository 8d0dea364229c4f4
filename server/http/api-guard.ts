import { baseSecurityHeaders, isAllowedHost, refusalMessage, type NetworkEnv } from './network-guard';
import { checkUrl, RequestLimitError } from './request-limits';
import { plainTextResponse } from './plain-text';

/**
 * The checks every request gets before anything else, answered as plain text: the Host it is addressed
 * to (DNS rebinding), then the URL's length and percent-encoding. proxy.ts makes them for pages and most
 * routes; the routes it skips make them through apiRequestRefusal.
 */
export function requestRefusal(host: string | null, url: string, env: NetworkEnv = process.env): Response | null {
  if (!isAllowedHost(host, env)) return plainText(421, refusalMessage(env));
  try {
    checkUrl(url);
  } catch (error) {
    if (error instanceof RequestLimitError) return plainText(error.status, error.message);
    throw error;
  }
  return null;
}

/**
 * API routes that take a request body (tRPC, uploads, the prediction API) are left out of proxy.ts: Next
 * copies the whole body of every request its proxy sees into memory, and cuts it at 10 MB. These routes
 * make the proxy's checks themselves: the Host check, the URL check, and the API headers.
 */
export function apiRequestRefusal(request: Request, env: NetworkEnv = process.env): Response | null {
  // Next builds request.url from the Host header; a Request made in-process has only the URL.
  return requestRefusal(request.headers.get('host') ?? new URL(request.url).host, request.url, env);
}

/** The headers every API answer carries (the proxy adds them to the routes it runs on). */
export function withApiHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(baseSecurityHeaders())) response.headers.set(name, value);
  return response;
}

function plainText(status: number, message: string): Response {
  return withApiHeaders(plainTextResponse(status, message));
}
