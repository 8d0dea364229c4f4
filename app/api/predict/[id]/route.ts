import { serverContext } from '../../../../server/context';
import { apiRequestRefusal, withApiHeaders } from '../../../../server/http/api-guard';
import { EndpointError, servePrediction } from '../../../../server/endpoints';
import { photoEndpointAnswer } from '../../../../server/photo-endpoints';

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
    const { db } = await serverContext();
    // A photo model's API takes photos (multipart or base64 JSON); every other one takes JSON rows.
    const photos = await photoEndpointAnswer(db, id, request);
    if (photos) return withApiHeaders(Response.json(photos.body, { status: photos.status }));
    return withApiHeaders(Response.json(await servePrediction(db, id, request)));
  } catch (error) {
    if (error instanceof EndpointError) return withApiHeaders(Response.json({ error: error.message }, { status: error.status }));
    throw error;
  }
}
