import { initTRPC, TRPCError } from '@trpc/server';
import { AccessError, authorize, SIGN_IN_MESSAGE } from './auth/guard';
import type { Role } from './auth/roles';
import { ServiceError } from './errors';
import type { AppContext } from './context';

const t = initTRPC.context<AppContext>().create();

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure reports a service's plain-words refusal as the matching tRPC error. */
const base = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/**
 * Open to anyone, signed in or not. Only procedures that reveal nothing of any workspace may use it
 * (the router test lists them by name).
 */
export const publicProcedure = base;

/** Signed in, in any workspace or none: the person's own account and workspace list. */
export const signedInProcedure = base.use(async ({ ctx, next }) => {
  const session = await ctx.session();
  if (!session) throw new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_MESSAGE });
  return next({ ctx: { person: session } });
});

function requireRole(needed: Role) {
  return base.use(async ({ ctx, next }) => {
    try {
      const actor = await authorize(ctx.db, await ctx.session(), needed);
      return next({ ctx: { actor } });
    } catch (error) {
      if (error instanceof AccessError) {
        throw new TRPCError({ code: error.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: error.message });
      }
      throw error;
    }
  });
}

/** Reads a workspace's pipelines, runs, comparisons and reports. */
export const viewerProcedure = requireRole('viewer');
/** Creates, edits, runs, imports, exports, shares and publishes. */
export const editorProcedure = requireRole('editor');
/** Members, roles, revoking anyone's links and APIs, deleting the workspace. */
export const ownerProcedure = requireRole('owner');
