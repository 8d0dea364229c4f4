import { and, asc, count, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { first, type Db, type Tx } from './client';
import { tables } from './schema';

const { activity, endpoints, invitation, member, organization, pipelines, runs, session, user, workspaceFiles } = tables;

export interface WorkspaceMembership {
  id: string;
  name: string;
  role: string;
}

export async function countUsers(db: Db | Tx): Promise<number> {
  return (await db.select({ n: count() }).from(user).then(first))?.n ?? 0;
}

/** A pending, unexpired invitation for this address (addresses compare without case). */
export async function hasPendingInvitation(db: Db, email: string, now = Date.now()): Promise<boolean> {
  return !!(await db
    .select({ id: invitation.id })
    .from(invitation)
    .where(and(sql`lower(${invitation.email}) = ${email.toLowerCase()}`, eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now))))
    .then(first));
}

export async function workspacesOf(db: Db, userId: string): Promise<WorkspaceMembership[]> {
  return db
    .select({ id: organization.id, name: organization.name, role: member.role })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(member.createdAt), asc(organization.name));
}

/** The workspace a person joined first, where a new session opens. */
export async function firstWorkspaceOf(db: Db, userId: string): Promise<string | undefined> {
  return (await workspacesOf(db, userId))[0]?.id;
}

export async function memberRole(db: Db, workspaceId: string, userId: string): Promise<string | undefined> {
  const row = await db
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, workspaceId), eq(member.userId, userId)))
    .then(first);
  return row?.role;
}

export async function getWorkspace(db: Db, workspaceId: string) {
  return db.select().from(organization).where(eq(organization.id, workspaceId)).then(first);
}

export async function insertWorkspace(db: Db | Tx, row: { id: string; name: string; slug: string; ownerId: string; now: number }): Promise<void> {
  await db.insert(organization).values({ id: row.id, name: row.name, slug: row.slug, createdAt: new Date(row.now) });
  await db.insert(member)
    .values({ id: `${row.id}-${row.ownerId}`.slice(0, 64), organizationId: row.id, userId: row.ownerId, role: 'owner', createdAt: new Date(row.now) })
    ;
}

/** Rows written before accounts existed (or by the command line before the first account) join this workspace. */
export async function adoptUnownedRows(db: Db | Tx, workspaceId: string): Promise<{ pipelines: number; runs: number }> {
  const movedPipelines = (await db.update(pipelines).set({ workspaceId }).where(isNull(pipelines.workspaceId)).returning({ id: pipelines.id })).length;
  const movedRuns = (await db.update(runs).set({ workspaceId }).where(isNull(runs.workspaceId)).returning({ id: runs.id })).length;
  await db.update(endpoints).set({ workspaceId }).where(isNull(endpoints.workspaceId));
  return { pipelines: movedPipelines, runs: movedRuns };
}

export async function listMembers(db: Db, workspaceId: string) {
  const rows = await db
    .select({ memberId: member.id, userId: user.id, name: user.name, email: user.email, role: member.role, joinedAt: member.createdAt })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, workspaceId))
    .orderBy(asc(member.createdAt));
  return rows.map((row) => ({ ...row, joinedAt: row.joinedAt.getTime() }));
}

export async function listPendingInvitations(db: Db, workspaceId: string, now = Date.now()) {
  const rows = await db
    .select({ id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt, createdAt: invitation.createdAt })
    .from(invitation)
    .where(and(eq(invitation.organizationId, workspaceId), eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now))))
    .orderBy(desc(invitation.createdAt));
  return rows.map((row) => ({ ...row, expiresAt: row.expiresAt.getTime(), createdAt: row.createdAt.getTime() }));
}

/** What an invitation link shows before anyone signs in. */
export async function invitationSummary(db: Db, invitationId: string) {
  const row = await db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      workspaceName: organization.name,
      inviterName: user.name,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .innerJoin(user, eq(user.id, invitation.inviterId))
    .where(eq(invitation.id, invitationId))
    .then(first);
  return row ? { ...row, expiresAt: row.expiresAt.getTime(), accountExists: !!(await userByEmail(db, row.email)) } : undefined;
}

export async function userByEmail(db: Db, email: string) {
  return db
    .select({ id: user.id, name: user.name })
    .from(user)
    .where(sql`lower(${user.email}) = ${email.toLowerCase()}`)
    .then(first);
}

/** Signs a person out everywhere. */
export async function deleteSessionsOf(db: Db, userId: string): Promise<number> {
  return (await db.delete(session).where(eq(session.userId, userId)).returning({ id: session.id })).length;
}

/** Lets a workspace read a stored file (by content hash). */
export async function grantFile(db: Db | Tx, workspaceId: string, hash: string, now = Date.now()): Promise<void> {
  await db.insert(workspaceFiles).values({ workspaceId, hash, createdAt: now }).onConflictDoNothing();
}

export async function fileGranted(db: Db, workspaceId: string, hash: string): Promise<boolean> {
  return !!(await db
    .select({ hash: workspaceFiles.hash })
    .from(workspaceFiles)
    .where(and(eq(workspaceFiles.workspaceId, workspaceId), eq(workspaceFiles.hash, hash)))
    .then(first));
}

export async function grantedHashes(db: Db, workspaceId: string): Promise<Set<string>> {
  const rows = await db.select({ hash: workspaceFiles.hash }).from(workspaceFiles).where(eq(workspaceFiles.workspaceId, workspaceId));
  return new Set(rows.map((row) => row.hash));
}

export type ActivityRow = typeof activity.$inferSelect;

export async function insertActivity(db: Db | Tx, row: Omit<typeof activity.$inferInsert, 'id'>): Promise<void> {
  await db.insert(activity).values(row);
}

export const ACTIVITY_PAGE = 100;

/** Newest first; `before` pages back by the id of the last line seen. */
export async function listActivity(db: Db, workspaceId: string, options: { userId?: string; before?: number; limit?: number } = {}): Promise<ActivityRow[]> {
  const conditions = [eq(activity.workspaceId, workspaceId)];
  if (options.userId) conditions.push(eq(activity.userId, options.userId));
  if (options.before !== undefined) conditions.push(lt(activity.id, options.before));
  return db
    .select()
    .from(activity)
    .where(and(...conditions))
    .orderBy(desc(activity.id))
    .limit(options.limit ?? ACTIVITY_PAGE);
}

/** Every workspace, oldest first (for the command line, which runs on the server's own machine). */
export async function allWorkspaces(db: Db): Promise<{ id: string; name: string }[]> {
  return db.select({ id: organization.id, name: organization.name }).from(organization).orderBy(asc(organization.createdAt));
}

/** The longest-standing owner of a workspace: the person command-line runs are recorded as. */
export async function firstOwnerOf(db: Db, workspaceId: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .select({ id: user.id, name: user.name })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(member.organizationId, workspaceId), eq(member.role, 'owner')))
    .orderBy(asc(member.createdAt))
    .then(first);
}
