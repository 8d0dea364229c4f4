import { serverContext } from '../../../../server/context';
import { EndpointError, predictWithEndpoint } from '../../../../server/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The bearer token of the published API is the permission: it is checked against the stored hash, in the endpoint's workspace. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'The request body is not JSON.' }, { status: 400 });
  }
  try {
    return Response.json(predictWithEndpoint(serverContext().db, id, request.headers.get('authorization'), body));
  } catch (error) {
    if (error instanceof EndpointError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
