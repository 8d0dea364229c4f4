import { TRPCError } from '@trpc/server';
import { isAPIError } from 'better-auth/api';
import { z } from 'zod';
import { ROLE_DESCRIPTIONS, ROLES } from '../auth/roles';
import { ownerProcedure, publicProcedure, router, signedInProcedure, viewerProcedure } from '../trpc';
import { logActivity } from '../workspaces/activity';
import {
  accountOf,
  activityPage,
  createWorkspace,
  endSessionsOfRemovedMember,
  invitationPreview,
  memberToChange,
  membersOverview,
  needsOwner,
  pendingInvitationIn,
  requireMembership,
} from '../workspaces/service';

const id = z.string().min(1).max(200);
const workspaceName = z.string().trim().min(1, 'Give the workspace a name.').max(100);
const role = z.enum(ROLES);

/** Calls the authentication library, turning its refusals into the matching tRPC errors with its message. */
async function library<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAPIError(error)) {
      const status = Number(error.statusCode);
      const code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 429 ? 'TOO_MANY_REQUESTS' : 'BAD_REQUEST';
      throw new TRPCError({ code, message: error.message || error.body?.message || 'The request was refused.' });
    }
    throw error;
  }
}

export const setupRouter = router({
  /** Whether the app still needs its first (owner) account; nothing else is revealed. */
  status: publicProcedure.query(async ({ ctx }) => ({ needsOwner: await needsOwner(ctx.db) })),
});

export const invitationsRouter = router({
  /** What an invitation link shows before signing in: workspace, role, address, whether it still works. */
  preview: publicProcedure.input(z.object({ id })).query(async ({ ctx, input }) => await invitationPreview(ctx.db, input.id)),
  accept: signedInProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const accepted = await library(() => ctx.auth.api.acceptInvitation({ headers: ctx.headers, body: { invitationId: input.id } }));
    const workspaceId = accepted?.member.organizationId;
    if (workspaceId) await library(() => ctx.auth.api.setActiveOrganization({ headers: ctx.headers, body: { organizationId: workspaceId } }));
    return { workspaceId };
  }),
});

export const accountRouter = router({
  /** The signed-in person, their workspaces and the active one with their role there. */
  me: signedInProcedure.query(async ({ ctx }) => await accountOf(ctx.db, ctx.person)),
});

export const workspacesRouter = router({
  /** Opens another workspace the person belongs to. */
  switch: signedInProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await requireMembership(ctx.db, input.id, ctx.person.userId);
    await library(() => ctx.auth.api.setActiveOrganization({ headers: ctx.headers, body: { organizationId: input.id } }));
    return { ok: true };
  }),
  /** A new, empty workspace owned by the person who makes it. */
  create: signedInProcedure.input(z.object({ name: workspaceName })).mutation(async ({ ctx, input }) => {
    const workspace = await createWorkspace(ctx.db, { id: ctx.person.userId, name: ctx.person.name }, input.name);
    await library(() => ctx.auth.api.setActiveOrganization({ headers: ctx.headers, body: { organizationId: workspace.id } }));
    return workspace;
  }),
  rename: ownerProcedure.input(z.object({ name: workspaceName })).mutation(async ({ ctx, input }) => {
    await library(() =>
      ctx.auth.api.updateOrganization({ headers: ctx.headers, body: { organizationId: ctx.actor.workspaceId, data: { name: input.name } } }),
    );
    await logActivity(ctx.db, ctx.actor, { action: 'renamed', subjectType: 'workspace', subjectId: ctx.actor.workspaceId, subjectName: input.name, detail: `was "${ctx.actor.workspaceName}"` });
    return { ok: true };
  }),
  /** Deletes the workspace and everything in it. The name must be typed back, as a marketer would expect. */
  delete: ownerProcedure.input(z.object({ confirmName: z.string().max(100) })).mutation(async ({ ctx, input }) => {
    if (input.confirmName.trim() !== ctx.actor.workspaceName) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `Type the workspace's name, "${ctx.actor.workspaceName}", to delete it.` });
    }
    await library(() => ctx.auth.api.deleteOrganization({ headers: ctx.headers, body: { organizationId: ctx.actor.workspaceId } }));
    return { ok: true };
  }),
});

export const membersRouter = router({
  /** The role table in plain words, for the Members page. */
  roles: viewerProcedure.query(async () => ROLES.map((name) => ({ name, description: ROLE_DESCRIPTIONS[name] }))),
  list: viewerProcedure.query(async ({ ctx }) => await membersOverview(ctx.db, ctx.actor)),
  /** An invitation link to copy: whoever signs in (or signs up) with this address joins with the role. */
  invite: ownerProcedure
    .input(z.object({ email: z.string().trim().toLowerCase().email('Enter an email address.').max(254), role }))
    .mutation(async ({ ctx, input }) => {
      const invitation = await library(() =>
        ctx.auth.api.createInvitation({
          headers: ctx.headers,
          body: { email: input.email, role: input.role, organizationId: ctx.actor.workspaceId, resend: true },
        }),
      );
      await logActivity(ctx.db, ctx.actor, { action: 'invited', subjectType: 'invitation', subjectId: invitation.id, subjectName: input.email, detail: `as ${input.role}` });
      return { id: invitation.id, path: `/invite/${invitation.id}`, expiresAt: new Date(invitation.expiresAt).getTime() };
    }),
  revokeInvitation: ownerProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const pending = await pendingInvitationIn(ctx.db, ctx.actor.workspaceId, input.id);
    await library(() => ctx.auth.api.cancelInvitation({ headers: ctx.headers, body: { invitationId: input.id } }));
    await logActivity(ctx.db, ctx.actor, { action: 'removed', subjectType: 'invitation', subjectId: input.id, subjectName: pending.email });
    return { ok: true };
  }),
  setRole: ownerProcedure.input(z.object({ userId: id, role })).mutation(async ({ ctx, input }) => {
    const target = await memberToChange(ctx.db, ctx.actor.workspaceId, input.userId, input.role === 'owner');
    await library(() =>
      ctx.auth.api.updateMemberRole({
        headers: ctx.headers,
        body: { memberId: target.memberId, role: input.role, organizationId: ctx.actor.workspaceId },
      }),
    );
    await logActivity(ctx.db, ctx.actor, { action: 'role changed', subjectType: 'member', subjectId: input.userId, subjectName: target.name, detail: `${target.role} → ${input.role}` });
    return { ok: true };
  }),
  /** Removes a member; their sessions end at once, so an open tab stops working on its next request. */
  remove: ownerProcedure.input(z.object({ userId: id })).mutation(async ({ ctx, input }) => {
    const target = await memberToChange(ctx.db, ctx.actor.workspaceId, input.userId, false);
    await library(() =>
      ctx.auth.api.removeMember({ headers: ctx.headers, body: { memberIdOrEmail: target.email, organizationId: ctx.actor.workspaceId } }),
    );
    await endSessionsOfRemovedMember(ctx.db, ctx.actor, input.userId);
    await logActivity(ctx.db, ctx.actor, { action: 'removed', subjectType: 'member', subjectId: input.userId, subjectName: target.name });
    return { ok: true };
  }),
});

export const activityRouter = router({
  list: viewerProcedure
    .input(z.object({ userId: id.optional(), before: z.number().int().positive().optional() }).default({}))
    .query(async ({ ctx, input }) => await activityPage(ctx.db, ctx.actor, input)),
});
