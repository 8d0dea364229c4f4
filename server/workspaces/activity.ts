import type { Db, Tx } from '../../db/client';
import { insertActivity } from '../../db/workspaces';
import type { Actor } from '../auth/roles';

/** Who did something, as the guard resolved them. */
export interface ActivityActor {
  workspaceId: string;
  userId: string | null;
  actorName: string;
}

export type ActivityAction =
  | 'created'
  | 'changed'
  | 'restored'
  | 'deleted'
  | 'ran'
  | 'cancelled'
  | 'imported'
  | 'exported'
  | 'uploaded'
  | 'shared'
  | 'unshared'
  | 'published'
  | 'unpublished'
  | 'invited'
  | 'joined'
  | 'removed'
  | 'role changed'
  | 'renamed';

export interface ActivityEntry {
  action: ActivityAction;
  subjectType: 'pipeline' | 'run' | 'file' | 'share link' | 'prediction API' | 'member' | 'invitation' | 'workspace';
  subjectId?: string | null;
  subjectName?: string;
  detail?: string;
}

/** Appends one line to the workspace's activity log. */
export async function recordActivity(db: Db | Tx, actor: ActivityActor, entry: ActivityEntry, at = Date.now()): Promise<void> {
  await insertActivity(db, {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    actorName: actor.actorName,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    subjectName: (entry.subjectName ?? '').slice(0, 300),
    detail: (entry.detail ?? '').slice(0, 500),
    at,
  });
}

/** One line in the workspace's activity log, by the person the guard resolved. */
export async function logActivity(db: Db, actor: Actor, entry: ActivityEntry): Promise<void> {
  await recordActivity(db, { workspaceId: actor.workspaceId, userId: actor.userId, actorName: actor.name }, entry);
}
