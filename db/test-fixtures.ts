import type { Db } from './client';
import { user } from './schema';
import { insertWorkspace } from './workspaces';

/** A person owning a workspace, written straight to the tables (tests that need data in some workspace). */
export function makeWorkspace(db: Db, name = 'Test workspace'): { workspaceId: string; userId: string } {
  const suffix = Math.random().toString(36).slice(2, 10);
  const userId = `user-${suffix}`;
  const workspaceId = `ws-${suffix}`;
  const now = Date.now();
  db.insert(user)
    .values({ id: userId, name: `Owner ${suffix}`, email: `${suffix}@example.test`, createdAt: new Date(now), updatedAt: new Date(now) })
    .run();
  insertWorkspace(db, { id: workspaceId, name, slug: workspaceId, ownerId: userId, now });
  return { workspaceId, userId };
}
