import { authorizeRequest } from '../../../../../server/auth/guard';
import { serverContext } from '../../../../../server/context';
import { fileSlug, htmlReportResponse } from '../../../../../server/teams/http';
import { requireRunsIn } from '../../../../../server/workspaces/scope';
import { runReportHtml } from '../../../../../server/teams/service';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** One run as a self-contained HTML file: GET /api/report/run/<runId> */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const { db, auth } = await serverContext();
  const actor = await authorizeRequest(db, auth, request, 'viewer');
  if (actor instanceof Response) return actor;
  return htmlReportResponse(request, { name: `pipelab-run-${fileSlug(runId.slice(0, 8), 'report')}.html` }, async () => {
    await requireRunsIn(db, actor, [runId]);
    return await runReportHtml(db, runId);
  });
}
