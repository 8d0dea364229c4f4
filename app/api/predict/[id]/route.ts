import { serverContext } from '../../../../server/context';
import { answerEndpointRequest, servePrediction } from '../../../../server/endpoints';
import { photoEndpointAnswer } from '../../../../server/photo-endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * The bearer token of the published API is the permission: it is checked against the stored hash, in the endpoint's workspace.
 * A photo model's API takes photos (multipart or base64 JSON); every other one takes JSON rows.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return answerEndpointRequest(request, async () => {
    const { id } = await params;
    const { db } = await serverContext();
    return (await photoEndpointAnswer(db, id, request)) ?? { status: 200, body: await servePrediction(db, id, request) };
  });
}
