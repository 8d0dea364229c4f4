import { serverContext } from '../../../../server/context';
import { handleTrpcRequest } from '../../../../server/http/trpc-handler';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function handler(request: Request) {
  return handleTrpcRequest(request, await serverContext());
}

export { handler as GET, handler as POST };
