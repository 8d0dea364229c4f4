import { serverContext } from '../../../../../server/context';
import { apiRequestRefusal, withApiHeaders } from '../../../../../server/http/api-guard';
import { EndpointError } from '../../../../../server/endpoints';
import { serveOutcomes } from '../../../../../server/monitoring/outcomes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Real outcomes of earlier predictions, as JSON or a CSV file, with the prediction API's own bearer token.
 * Refusals of the whole request (token, size, shape) are EndpointErrors with their 4xx status; a post whose
 * every entry was refused answers the refusals' 4xx with each entry's reason; anything else is a 500.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refusal = apiRequestRefusal(request);
  if (refusal) return refusal;
  const { id } = await params;
  try {
    const { status, body } = await serveOutcomes((await serverContext()).db, id, request);
    return withApiHeaders(Response.json(body, { status }));
  } catch (error) {
    if (error instanceof EndpointError) return withApiHeaders(Response.json({ error: error.message }, { status: error.status }));
    throw error;
  }
}
