import { serverContext } from '../../../../server/context';
import { answerEndpointRequest } from '../../../../server/endpoints';
import { answerPredictionRequest } from '../../../../server/photo-endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * The bearer token of the published API is the permission: it is checked against the stored hash, in the endpoint's workspace.
 * A photo model's API takes photos (multipart or base64 JSON); every other one takes JSON rows.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return answerEndpointRequest(request, async () => answerPredictionRequest((await serverContext()).db, (await params).id, request));
}
