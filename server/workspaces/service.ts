import { randomBytes } from 'node:crypto';
import { inTransaction, type Db } from '../../db/client';
import { listDatasets } from '../../db/datasets';
import {
  adoptUnownedRows,
  allWorkspaces,
  countUsers,
  deleteSessionsOf,
  firstOwnerOf,
  grantFile,
  insertWorkspace,
  invitationSummary,
  listActivity,
  listMembers,
  listPendingInvitations,
  memberRole,
  workspacesOf,
} from '../../db/workspaces';
import type { Actor, SessionInfo } from '../auth/roles';
import { storedFileHashes } from '../datasets';
import { ServiceError } from '../errors';
import { recordActivity } from './activity';

export function newWorkspaceId(): string {
  return randomBytes(12).toString('base64url');
}

/** Makes a workspace owned by one person. */
export async function createWorkspace(db: Db, owner: { id: string; name: string }, name: string, now = Date.now()): Promise<{ id: string; name: string }> {
  const id = newWorkspaceId();
  await inTransaction(db, async (tx) => {
    await insertWorkspace(tx, { id, name, slug: id.toLowerCase(), ownerId: owner.id, now });
    await recordActivity(tx, { workspaceId: id, userId: owner.id, actorName: owner.name }, { action: 'created', subjectType: 'workspace', subjectId: id, subjectName: name }, now);
  });
  return { id, name };
}

/**
 * The first account's workspace. Everything saved before accounts existed (pipelines, runs, uploads,
 * trained models, prediction APIs) moves into it, so upgrading loses nothing.
 */
export async function setUpFirstWorkspace(db: Db, owner: { id: string; name: string }, now = Date.now()): Promise<{ id: string; name: string }> {
  if ((await countUsers(db)) !== 1) throw new Error('The first workspace is made for the first account only.');
  const workspace = await createWorkspace(db, owner, `${owner.name}'s workspace`, now);
  const hashes = new Set([...(await listDatasets(db)).map((d) => d.hash), ...storedFileHashes()]);
  await inTransaction(db, async (tx) => {
    const moved = await adoptUnownedRows(tx, workspace.id);
    for (const hash of hashes) await grantFile(tx, workspace.id, hash, now);
    if (moved.pipelines || moved.runs) {
      await recordActivity(
        tx,
        { workspaceId: workspace.id, userId: owner.id, actorName: owner.name },
        { action: 'imported', subjectType: 'workspace', subjectId: workspace.id, subjectName: workspace.name, detail: `${moved.pipelines} pipelines and ${moved.runs} runs saved before accounts` },
        now,
      );
    }
  });
  return workspace;
}

/** Whether the app still needs its first (owner) account. */
export async function needsOwner(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** What an invitation link shows before signing in: workspace, role, address, whether it still works. */
export async function invitationPreview(db: Db, invitationId: string, now = Date.now()) {
  const found = await invitationSummary(db, invitationId);
  if (!found) throw new ServiceError('NOT_FOUND', 'This invitation link is not valid. Ask for a new one.');
  return { ...found, usable: found.status === 'pending' && found.expiresAt > now };
}

/** The signed-in person, their workspaces and the active one with their role there. */
export async function accountOf(db: Db, person: SessionInfo) {
  const workspaces = await workspacesOf(db, person.userId);
  const active = workspaces.find((w) => w.id === person.activeWorkspaceId) ?? workspaces[0] ?? null;
  return { user: { id: person.userId, name: person.name, email: person.email }, workspaces, active };
}

export async function requireMembership(db: Db, workspaceId: string, userId: string): Promise<void> {
  if (!(await memberRole(db, workspaceId, userId))) throw new ServiceError('FORBIDDEN', 'You are not a member of that workspace.');
}

/** The Members page: the workspace, the actor, its members and (for owners) its pending invitations. */
export async function membersOverview(db: Db, actor: Actor) {
  return {
    workspace: { id: actor.workspaceId, name: actor.workspaceName },
    you: { userId: actor.userId, role: actor.role },
    members: await listMembers(db, actor.workspaceId),
    invitations: actor.role === 'owner' ? await listPendingInvitations(db, actor.workspaceId) : [],
  };
}

export async function pendingInvitationIn(db: Db, workspaceId: string, invitationId: string) {
  const pending = (await listPendingInvitations(db, workspaceId)).find((i) => i.id === invitationId);
  if (!pending) throw new ServiceError('NOT_FOUND', 'This invitation is not pending in this workspace.');
  return pending;
}

/**
 * The member whose role changes or who leaves, read once with everyone else. A workspace always keeps
 * at least one owner, so the only owner cannot stop being one.
 */
export async function memberToChange(db: Db, workspaceId: string, userId: string, staysOwner: boolean) {
  const members = await listMembers(db, workspaceId);
  const target = members.find((m) => m.userId === userId);
  if (!target) throw new ServiceError('NOT_FOUND', 'This person is not a member of this workspace.');
  const owners = members.filter((m) => m.role === 'owner');
  if (!staysOwner && owners.length === 1 && owners[0].userId === userId) {
    throw new ServiceError('BAD_REQUEST', 'A workspace needs at least one owner. Make someone else an owner first.');
  }
  return target;
}

/** A removed member's sessions end at once, so an open tab stops working on its next request; the actor's own stay. */
export async function endSessionsOfRemovedMember(db: Db, actor: Actor, userId: string): Promise<void> {
  if (userId !== actor.userId) await deleteSessionsOf(db, userId);
}

/** A page of the workspace's activity log, and its members to filter it by. */
export async function activityPage(db: Db, actor: Actor, options: { userId?: string; before?: number }) {
  return {
    items: await listActivity(db, actor.workspaceId, options),
    people: (await listMembers(db, actor.workspaceId)).map((m) => ({ id: m.userId, name: m.name })),
  };
}

/** Lets a workspace read a stored file (by content hash), as a file the command line stores for one of its runs. */
export async function grantFileTo(db: Db, workspaceId: string, hash: string): Promise<void> {
  await grantFile(db, workspaceId, hash);
}

/** Every workspace, oldest first: the command line, run on the server's own machine, may record in any. */
export async function everyWorkspace(db: Db): Promise<{ id: string; name: string }[]> {
  return allWorkspaces(db);
}

/** The longest-standing owner of a workspace: the person command-line runs are recorded as. */
export async function commandLineActorIn(db: Db, workspaceId: string): Promise<{ id: string; name: string } | undefined> {
  return firstOwnerOf(db, workspaceId);
}
