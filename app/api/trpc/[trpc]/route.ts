import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { requestContext, serverContext } from '../../../../server/context';
import { appRouter } from '../../../../server/routers/app';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => requestContext(serverContext(), req.headers),
  });
}

export { handler as GET, handler as POST };
