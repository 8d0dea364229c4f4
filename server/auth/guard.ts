import type { Db } from '../../db/client';
import { firstWorkspaceOf, getWorkspace, memberRole } from '../../db/workspaces';
import type { Auth } from './auth';
import { isRole, roleAllows, type Actor, type Role, type SessionInfo } from './roles';
import { plainTextResponse } from '../http/plain-text';

export type { Actor, SessionInfo } from './roles';

/** 401: nobody is signed in; 403: signed in, but not allowed. */
export class AccessError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

export const SIGN_IN_MESSAGE = 'Sign in to continue.';

export async function sessionFrom(auth: Auth, headers: Headers): Promise<SessionInfo | null> {
  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  return {
    userId: found.user.id,
    name: found.user.name,
    email: found.user.email,
    activeWorkspaceId: (found.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null,
  };
}

/**
 * The one check every procedure and route passes through: who is asking, in which workspace, with
 * which role, and whether that role allows what `needed` names. The workspace is the session's active
 * one while the person is still a member of it, else the first they belong to.
 */
export async function authorize(db: Db, session: SessionInfo | null, needed: Role): Promise<Actor> {
  if (!session) throw new AccessError(401, SIGN_IN_MESSAGE);
  let workspaceId = session.activeWorkspaceId;
  let role = workspaceId ? await memberRole(db, workspaceId, session.userId) : undefined;
  if (!role) {
    workspaceId = (await firstWorkspaceOf(db, session.userId)) ?? null;
    role = workspaceId ? await memberRole(db, workspaceId, session.userId) : undefined;
  }
  const workspace = workspaceId ? await getWorkspace(db, workspaceId) : undefined;
  if (!workspace || !isRole(role)) {
    throw new AccessError(403, 'You are not a member of any workspace. Ask a workspace owner for an invitation link.');
  }
  if (!roleAllows(role, needed)) {
    throw new AccessError(
      403,
      `This needs the ${needed} role in "${workspace.name}"; you are a ${role}. Ask an owner of the workspace if you need more.`,
    );
  }
  return { userId: session.userId, name: session.name, email: session.email, workspaceId: workspace.id, workspaceName: workspace.name, role };
}

/** For route handlers: the actor, or the plain-text 401/403 response to send instead. */
export async function authorizeRequest(db: Db, auth: Auth, request: Request, needed: Role): Promise<Actor | Response> {
  try {
    return await authorize(db, await sessionFrom(auth, request.headers), needed);
  } catch (error) {
    if (error instanceof AccessError) {
      return plainTextResponse(error.status, error.message);
    }
    throw error;
  }
}
