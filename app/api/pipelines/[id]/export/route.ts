import { z } from 'zod';
import { authorizeRequest } from '../../../../../server/auth/guard';
import { serverContext } from '../../../../../server/context';
import { ServiceError } from '../../../../../server/errors';
import { exportPipelineDownload } from '../../../../../server/teams/export-stream';
import { logActivity } from '../../../../../server/workspaces/activity';
import { pipelineIn } from '../../../../../server/workspaces/scope';
import { LIMITS } from '../../../../../models/limits';
import { plainTextResponse } from '../../../../../server/http/plain-text';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const query = z.object({
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
  bundle: z.enum(['0', '1']).default('0'),
});


/**
 * Downloads a saved pipeline as a file (`?version=N` for an older version, `?bundle=1` with its data
 * files). Exporting hands the pipeline, and with it perhaps its data, outside the workspace: an editor's
 * step. The file is streamed, its bundled files read from disk as it goes.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, auth } = await serverContext();
  const actor = await authorizeRequest(db, auth, request, 'editor');
  if (actor instanceof Response) return actor;
  if (id.length > LIMITS.text.idLength) return plainTextResponse(404, 'This pipeline was not found.');
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return plainTextResponse(400, 'Ask for a version by its number (?version=3) and for data files with ?bundle=1.');
  try {
    const pipeline = await pipelineIn(db, actor, id);
    const bundleFiles = parsed.data.bundle === '1';
    const download = await exportPipelineDownload(db, id, { version: parsed.data.version, bundleFiles });
    await logActivity(db, actor, { action: 'exported', subjectType: 'pipeline', subjectId: id, subjectName: pipeline.name, detail: bundleFiles ? 'with its data' : '' });
    return new Response(download.body, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${download.fileName}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    if (error instanceof ServiceError) return plainTextResponse(error.status, error.message);
    throw error;
  }
}
