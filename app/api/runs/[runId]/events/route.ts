import { authorizeRequest } from '../../../../../server/auth/guard';
import { serverContext } from '../../../../../server/context';
import { ServiceError } from '../../../../../server/errors';
import { runEventStream } from '../../../../../server/runs/live-stream';
import { requireRunsIn } from '../../../../../server/workspaces/scope';
import { LIMITS } from '../../../../../models/limits';
import { plainTextResponse } from '../../../../../server/http/plain-text';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';


/**
 * A run's live events, as Server-Sent Events: GET /api/runs/<runId>/events. The first message is the
 * run's status, then one per recorded change; the stream ends with the run (see server/runs/live-stream.ts).
 */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const { db, auth, events } = await serverContext();
  const actor = await authorizeRequest(db, auth, request, 'viewer');
  if (actor instanceof Response) return actor;
  if (runId.length > LIMITS.text.idLength) return plainTextResponse(404, 'This run was not found.');
  try {
    await requireRunsIn(db, actor, [runId]);
  } catch (error) {
    if (error instanceof ServiceError) return plainTextResponse(error.status, error.message);
    throw error;
  }
  return runEventStream({ db, events, runId, signal: request.signal });
}
