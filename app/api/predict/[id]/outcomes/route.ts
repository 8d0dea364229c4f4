import { serverContext } from '../../../../../server/context';
import { answerEndpointRequest } from '../../../../../server/endpoints';
import { serveOutcomes } from '../../../../../server/monitoring/outcomes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Real outcomes of earlier predictions, as JSON or a CSV file, with the prediction API's own bearer token.
 * A post whose every entry was refused answers the refusals' 4xx with each entry's reason.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return answerEndpointRequest(request, async () => serveOutcomes((await serverContext()).db, (await params).id, request));
}
