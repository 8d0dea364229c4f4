import { authorizeRequest } from '../../../../server/auth/guard';
import { serverContext } from '../../../../server/context';
import { apiRequestRefusal, withApiHeaders } from '../../../../server/http/api-guard';
import { ServiceError } from '../../../../server/errors';
import { receiveUpload, UPLOAD_KINDS } from '../../../../server/files/uploads';
import type { UploadKind } from '../../../../server/files/checks';
import { LIMITS } from '../../../../models/limits';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const refuse = (status: number, error: string) => withApiHeaders(Response.json({ error }, { status, headers: { 'cache-control': 'no-store' } }));

/**
 * Receives a CSV (`dataset`), a zip of photos (`imageArchive`) or a trained model file (`model`) as the raw
 * request body, named by `?name=`. The body must be sent as application/octet-stream: a form on another
 * site cannot send that type without the browser asking first, so this cookie-authenticated POST is not
 * open to cross-site requests.
 */
export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  const refusal = apiRequestRefusal(request);
  if (refusal) return refusal;
  const { kind } = await params;
  if (!UPLOAD_KINDS.includes(kind as UploadKind)) return refuse(404, 'There is no such kind of upload.');
  const { db, auth } = await serverContext();
  const actor = await authorizeRequest(db, auth, request, 'editor');
  if (actor instanceof Response) return withApiHeaders(actor);
  if (request.headers.get('content-type')?.split(';')[0].trim() !== 'application/octet-stream') {
    return refuse(415, 'Send the file as application/octet-stream.');
  }
  const name = new URL(request.url).searchParams.get('name')?.trim() ?? '';
  if (!name) return refuse(400, 'Give the file a name (?name=).');
  if (name.length > LIMITS.text.nameLength) return refuse(400, `The file name is longer than ${LIMITS.text.nameLength} characters.`);
  const declared = request.headers.get('content-length');
  try {
    const answer = await receiveUpload(db, actor, {
      kind: kind as UploadKind,
      name,
      body: request.body,
      declaredBytes: declared === null || !/^\d+$/.test(declared) ? null : Number(declared),
    });
    return withApiHeaders(Response.json(answer, { headers: { 'cache-control': 'no-store' } }));
  } catch (error) {
    if (error instanceof ServiceError) return refuse(error.status, error.message);
    throw error;
  }
}
