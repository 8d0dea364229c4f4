import { toNextJsHandler } from 'better-auth/next-js';
import { serverContext } from '../../../../server/context';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Sign-up, sign-in, sign-out, password changes and sessions, served by the authentication library. */
export const { GET, POST } = toNextJsHandler(async (request: Request) => (await serverContext()).auth.handler(request));
