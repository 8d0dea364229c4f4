import { authorizeRequest } from '../../../../server/auth/guard';
import { serverContext } from '../../../../server/context';
import { storedArtifacts } from '../../../../server/datasets';
import { ServiceError } from '../../../../server/errors';
import { requireFileIn } from '../../../../server/workspaces/scope';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const CONTENT_TYPES: Record<string, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json' };

/** Downloads a file a node produced (scored list, trained model); `name` sets the saved file name. */
export async function GET(request: Request, { params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  const { db, auth } = await serverContext();
  const actor = await authorizeRequest(db, auth, request, 'viewer');
  if (actor instanceof Response) return actor;
  try {
    // A file of another workspace is "not found", like one that does not exist.
    await requireFileIn(db, actor, hash);
  } catch (error) {
    if (error instanceof ServiceError) return new Response(error.message, { status: error.status });
    throw error;
  }
  const name = (new URL(request.url).searchParams.get('name') ?? hash).replace(/[^\w.\- ]+/g, '_');
  let bytes: Uint8Array;
  try {
    bytes = storedArtifacts.read(hash);
  } catch (error) {
    return new Response((error as Error).message, { status: 404 });
  }
  const extension = name.split('.').pop() ?? '';
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-disposition': `attachment; filename="${name}"`,
    },
  });
}
