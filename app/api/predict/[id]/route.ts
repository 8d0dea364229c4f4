import { serverContext } from '../../../../server/context';
import { apiRequestRefusal, withApiHeaders } from '../../../../server/http/api-guard';
import { EndpointError, servePrediction } from '../../../../server/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * The bearer token of the published API is the permission: it is checked against the stored hash, in the endpoint's workspace.
 * Every refusal caused by the request is an EndpointError with its 4xx status; anything else is a server fault and stays a 500.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refusal = apiRequestRefusal(request);
  if (refusal) return refusal;
  const { id } = await params;
  try {
    return withApiHeaders(Response.json(await servePrediction((await serverContext()).db, id, request)));
  } catch (error) {
    if (error instanceof EndpointError) return withApiHeaders(Response.json({ error: error.message }, { status: error.status }));
    throw error;
  }
}
