import { htmlReportResponse } from '../../../../../server/teams/http';
import { sharedReportPage } from '../../../../../server/teams/service';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** A shared pipeline as one self-contained page: GET /api/report/shared/<token>[?download=1]. The token is the permission (read-only). */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return htmlReportResponse(request, { name: 'pipelab-shared-pipeline.html', inline: true }, async () => await sharedReportPage(token));
}
