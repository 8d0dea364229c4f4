import { getDb } from '../../../../../db/client';
import { fileSlug, htmlReportResponse } from '../../../../../server/teams/http';
import { runReportHtml } from '../../../../../server/teams/service';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** One run as a self-contained HTML file: GET /api/report/run/<runId> */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return htmlReportResponse(request, { name: `pipelab-run-${fileSlug(runId.slice(0, 8), 'report')}.html` }, () => runReportHtml(getDb(), runId));
}
