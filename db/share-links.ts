import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from './client';
import { shareLinks } from './schema';

export type ShareLinkRow = typeof shareLinks.$inferSelect;

export function insertShareLink(db: Db, row: { token: string; pipelineId: string; createdAt: number; createdBy: string | null }): ShareLinkRow {
  db.insert(shareLinks).values(row).run();
  return { ...row, revokedAt: null };
}

export function listShareLinks(db: Db, pipelineId: string): ShareLinkRow[] {
  return db.select().from(shareLinks).where(eq(shareLinks.pipelineId, pipelineId)).orderBy(desc(shareLinks.createdAt)).all();
}

export function getShareLink(db: Db, token: string): ShareLinkRow | undefined {
  return db.select().from(shareLinks).where(eq(shareLinks.token, token)).get();
}

/** The link for a token, only while it is not revoked. */
export function activeShareLink(db: Db, token: string): ShareLinkRow | undefined {
  return db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.token, token), isNull(shareLinks.revokedAt)))
    .get();
}

/** Returns false when there is no such link. Revoking twice keeps the first time. */
export function revokeShareLink(db: Db, token: string, now: number = Date.now()): boolean {
  const row = db.select().from(shareLinks).where(eq(shareLinks.token, token)).get();
  if (!row) return false;
  if (row.revokedAt === null) db.update(shareLinks).set({ revokedAt: now }).where(eq(shareLinks.token, token)).run();
  return true;
}
