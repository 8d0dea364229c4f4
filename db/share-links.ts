import { and, desc, eq, isNull } from 'drizzle-orm';
import { first, type Db } from './client';
import { tables } from './schema';

const { shareLinks } = tables;

export type ShareLinkRow = typeof shareLinks.$inferSelect;

export async function insertShareLink(db: Db, row: { token: string; pipelineId: string; createdAt: number; createdBy: string | null }): Promise<ShareLinkRow> {
  await db.insert(shareLinks).values(row);
  return { ...row, revokedAt: null };
}

export async function listShareLinks(db: Db, pipelineId: string): Promise<ShareLinkRow[]> {
  return db.select().from(shareLinks).where(eq(shareLinks.pipelineId, pipelineId)).orderBy(desc(shareLinks.createdAt));
}

export async function getShareLink(db: Db, token: string): Promise<ShareLinkRow | undefined> {
  return db.select().from(shareLinks).where(eq(shareLinks.token, token)).then(first);
}

/** The link for a token, only while it is not revoked. */
export async function activeShareLink(db: Db, token: string): Promise<ShareLinkRow | undefined> {
  return db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.token, token), isNull(shareLinks.revokedAt)))
    .then(first);
}

/** Returns false when there is no such link. Revoking twice keeps the first time. */
export async function revokeShareLink(db: Db, token: string, now: number = Date.now()): Promise<boolean> {
  const row = await db.select().from(shareLinks).where(eq(shareLinks.token, token)).then(first);
  if (!row) return false;
  if (row.revokedAt === null) await db.update(shareLinks).set({ revokedAt: now }).where(eq(shareLinks.token, token));
  return true;
}
