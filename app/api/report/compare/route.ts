import { authorizeRequest } from '../../../../server/auth/guard';
import { serverContext } from '../../../../server/context';
import { fileSlug, htmlReportResponse } from '../../../../server/teams/http';
import { requireRunsIn } from '../../../../server/workspaces/scope';
import { comparisonReportHtml } from '../../../../server/teams/service';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Runs side by side as a self-contained HTML file: GET /api/report/compare?runs=<id>,<id>,… */
export async function GET(request: Request) {
  const { db, auth } = await serverContext();
  const actor = await authorizeRequest(db, auth, request, 'viewer');
  if (actor instanceof Response) return actor;
  const value = new URL(request.url).searchParams.getAll('runs').join(',');
  const runIds = [...new Set(value.split(',').map((id) => id.trim()).filter(Boolean))];
  const name = `pipelab-compare-${runIds.map((id) => fileSlug(id.slice(0, 8), 'run')).slice(0, 3).join('-')}${runIds.length > 3 ? `-and-${runIds.length - 3}-more` : ''}.html`;
  return htmlReportResponse(request, { name }, async () => {
    await requireRunsIn(db, actor, runIds);
    return await comparisonReportHtml(db, runIds);
  });
}
