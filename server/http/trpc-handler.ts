import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { formatBytes, formatCount, LIMITS } from '../../models/limits';
import { requestContext, type ServerContext } from '../context';
import { appRouter } from '../routers/app';
import { apiRequestRefusal, withApiHeaders } from './api-guard';
import { readBodyCapped, RequestLimitError } from './request-limits';

export const TRPC_ENDPOINT = '/api/trpc';

type RefusalCode = 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_REQUESTS';
const CODE_OF_STATUS: Record<RequestLimitError['status'], RefusalCode> = {
  400: 'BAD_REQUEST',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
};

/** The calls a request carries: `/api/trpc/a,b,c?batch=1` is three. */
function callsIn(url: URL): string[] {
  const path = url.pathname.slice(TRPC_ENDPOINT.length + 1);
  return url.searchParams.get('batch') === '1' ? path.split(',') : [path];
}

/** A refusal in tRPC's own answer shape (one entry per call of a batch), so the client shows the message. */
function refusal(url: URL, error: RequestLimitError): Response {
  const code = CODE_OF_STATUS[error.status];
  const envelope = {
    error: { message: error.message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: error.status } },
  };
  const calls = callsIn(url);
  const body = url.searchParams.get('batch') === '1' ? calls.map(() => envelope) : envelope;
  return Response.json(body, { status: error.status });
}

/**
 * Serves tRPC within the limits of models/limits.ts: calls per batch, request body and answer size.
 * The body is read with a cap before tRPC parses it, and an answer too large to send is replaced by a
 * refusal (large files travel through the streaming download routes instead).
 */
export async function handleTrpcRequest(request: Request, server: ServerContext): Promise<Response> {
  const refused = apiRequestRefusal(request);
  if (refused) return refused;
  return withApiHeaders(await answer(request, server));
}

async function answer(request: Request, server: ServerContext): Promise<Response> {
  const url = new URL(request.url);
  try {
    const calls = callsIn(url).length;
    if (calls > LIMITS.http.batchCalls) {
      throw new RequestLimitError(413, `This request asks for ${formatCount(calls)} things at once; the limit is ${LIMITS.http.batchCalls}.`);
    }
    let req = request;
    if (request.method === 'POST') {
      const body = await readBodyCapped(request, LIMITS.http.trpcBodyBytes);
      req = new Request(request.url, { method: 'POST', headers: request.headers, body });
    }
    const response = await fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req,
      router: appRouter,
      maxBatchSize: LIMITS.http.batchCalls,
      createContext: () => requestContext(server, request.headers),
    });
    const text = await response.text();
    const bytes = Buffer.byteLength(text);
    if (bytes > LIMITS.http.responseBytes) {
      throw new RequestLimitError(413, `The answer would be ${formatBytes(bytes)}; the limit is ${formatBytes(LIMITS.http.responseBytes)}. Ask for less at once.`);
    }
    return new Response(text, { status: response.status, headers: response.headers });
  } catch (error) {
    if (error instanceof RequestLimitError) return refusal(url, error);
    throw error;
  }
}
