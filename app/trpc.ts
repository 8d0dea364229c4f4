import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { LIMITS } from '../models/limits';
import type { AppRouter } from '../server/routers/app';

/** Typed hooks for the API: `useTRPC()` returns query/mutation option factories. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The tRPC error code of a failed call ("UNAUTHORIZED", "FORBIDDEN", …), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: unknown } | undefined;
    return typeof data?.code === 'string' ? data.code : undefined;
  }
  return undefined;
}

/** Nobody is signed in (or the session ended: signed out elsewhere, or removed from the workspace). */
export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === 'UNAUTHORIZED';
}

/** Watches every call, whether made through React Query or directly, and reports a 401. */
function unauthorizedLink(onUnauthorized: () => void): TRPCLink<AppRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            if (isUnauthorized(error)) onUnauthorized();
            observer.error(error);
          },
          complete: () => observer.complete(),
        }),
      );
}

export function makeTRPCClient(onUnauthorized: () => void = () => {}) {
  return createTRPCClient<AppRouter>({
    links: [unauthorizedLink(onUnauthorized), httpBatchLink({ url: '/api/trpc', maxItems: LIMITS.http.batchCalls })],
  });
}

/** The message to show for a failed call: the server's plain-language message when there is one. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return error.message || 'Something went wrong.';
  }
  return 'Something went wrong.';
}
