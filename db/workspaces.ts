import { and, asc, count, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { activity, endpoints, invitation, member, organization, pipelines, runs, session, user, workspaceFiles } from './schema';

export interface WorkspaceMembership {
  id: string;
  name: string;
  role: string;
}

export function countUsers(db: Db | Tx): number {
  return db.select({ n: count() }).from(user).get()?.n ?? 0;
}

/** A pending, unexpired invitation for this address (addresses compare without case). */
export function hasPendingInvitation(db: Db, email: string, now = Date.now()): boolean {
  return !!db
    .select({ id: invitation.id })
    .from(invitation)
    .where(and(sql`lower(${invitation.email}) = ${email.toLowerCase()}`, eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now))))
    .get();
}

export function workspacesOf(db: Db, userId: string): WorkspaceMembership[] {
  return db
    .select({ id: organization.id, name: organization.name, role: member.role })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(member.createdAt), asc(organization.name))
    .all();
}

/** The workspace a person joined first, where a new session opens. */
export function firstWorkspaceOf(db: Db, userId: string): string | undefined {
  return workspacesOf(db, userId)[0]?.id;
}

export function memberRole(db: Db, workspaceId: string, userId: string): string | undefined {
  return db
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, workspaceId), eq(member.userId, userId)))
    .get()?.role;
}

export function getWorkspace(db: Db, workspaceId: string) {
  return db.select().from(organization).where(eq(organization.id, workspaceId)).get();
}

export function insertWorkspace(db: Db | Tx, row: { id: string; name: string; slug: string; ownerId: string; now: number }): void {
  db.insert(organization).values({ id: row.id, name: row.name, slug: row.slug, createdAt: new Date(row.now) }).run();
  db.insert(member)
    .values({ id: `${row.id}-${row.ownerId}`.slice(0, 64), organizationId: row.id, userId: row.ownerId, role: 'owner', createdAt: new Date(row.now) })
    .run();
}

/** Rows written before accounts existed (or by the command line before the first account) join this workspace. */
export function adoptUnownedRows(db: Db | Tx, workspaceId: string): { pipelines: number; runs: number } {
  const movedPipelines = db.update(pipelines).set({ workspaceId }).where(isNull(pipelines.workspaceId)).run().changes;
  const movedRuns = db.update(runs).set({ workspaceId }).where(isNull(runs.workspaceId)).run().changes;
  db.update(endpoints).set({ workspaceId }).where(isNull(endpoints.workspaceId)).run();
  return { pipelines: movedPipelines, runs: movedRuns };
}

export function listMembers(db: Db, workspaceId: string) {
  return db
    .select({ memberId: member.id, userId: user.id, name: user.name, email: user.email, role: member.role, joinedAt: member.createdAt })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, workspaceId))
    .orderBy(asc(member.createdAt))
    .all()
    .map((row) => ({ ...row, joinedAt: row.joinedAt.getTime() }));
}

export function listPendingInvitations(db: Db, workspaceId: string, now = Date.now()) {
  return db
    .select({ id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt, createdAt: invitation.createdAt })
    .from(invitation)
    .where(and(eq(invitation.organizationId, workspaceId), eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now))))
    .orderBy(desc(invitation.createdAt))
    .all()
    .map((row) => ({ ...row, expiresAt: row.expiresAt.getTime(), createdAt: row.createdAt.getTime() }));
}

/** What an invitation link shows before anyone signs in. */
export function invitationSummary(db: Db, invitationId: string) {
  const row = db
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
    .get();
  return row ? { ...row, expiresAt: row.expiresAt.getTime(), accountExists: !!userByEmail(db, row.email) } : undefined;
}

export function userByEmail(db: Db, email: string) {
  return db
    .select({ id: user.id, name: user.name })
    .from(user)
    .where(sql`lower(${user.email}) = ${email.toLowerCase()}`)
    .get();
}

/** Signs a person out everywhere. */
export function deleteSessionsOf(db: Db, userId: string): number {
  return db.delete(session).where(eq(session.userId, userId)).run().changes;
}

/** Lets a workspace read a stored file (by content hash). */
export function grantFile(db: Db | Tx, workspaceId: string, hash: string, now = Date.now()): void {
  db.insert(workspaceFiles).values({ workspaceId, hash, createdAt: now }).onConflictDoNothing().run();
}

export function fileGranted(db: Db, workspaceId: string, hash: string): boolean {
  return !!db
    .select({ hash: workspaceFiles.hash })
    .from(workspaceFiles)
    .where(and(eq(workspaceFiles.workspaceId, workspaceId), eq(workspaceFiles.hash, hash)))
    .get();
}

export function grantedHashes(db: Db, workspaceId: string): Set<string> {
  return new Set(
    db
      .select({ hash: workspaceFiles.hash })
      .from(workspaceFiles)
      .where(eq(workspaceFiles.workspaceId, workspaceId))
      .all()
      .map((row) => row.hash),
  );
}

export type ActivityRow = typeof activity.$inferSelect;

export function insertActivity(db: Db | Tx, row: Omit<typeof activity.$inferInsert, 'id'>): void {
  db.insert(activity).values(row).run();
}

export const ACTIVITY_PAGE = 100;

/** Newest first; `before` pages back by the id of the last line seen. */
export function listActivity(db: Db, workspaceId: string, options: { userId?: string; before?: number; limit?: number } = {}): ActivityRow[] {
  const conditions = [eq(activity.workspaceId, workspaceId)];
  if (options.userId) conditions.push(eq(activity.userId, options.userId));
  if (options.before !== undefined) conditions.push(lt(activity.id, options.before));
  return db
    .select()
    .from(activity)
    .where(and(...conditions))
    .orderBy(desc(activity.id))
    .limit(options.limit ?? ACTIVITY_PAGE)
    .all();
}

/** Every workspace, oldest first (for the command line, which runs on the server's own machine). */
export function allWorkspaces(db: Db): { id: string; name: string }[] {
  return db.select({ id: organization.id, name: organization.name }).from(organization).orderBy(asc(organization.createdAt)).all();
}

/** The longest-standing owner of a workspace: the person command-line runs are recorded as. */
export function firstOwnerOf(db: Db, workspaceId: string): { id: string; name: string } | undefined {
  return db
    .select({ id: user.id, name: user.name })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(member.organizationId, workspaceId), eq(member.role, 'owner')))
    .orderBy(asc(member.createdAt))
    .get();
}
