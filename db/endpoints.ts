import { desc, eq, sql } from 'drizzle-orm';
import { first, type Db } from './client';
import { tables } from './schema';

const { endpoints } = tables;

export type EndpointRow = typeof endpoints.$inferSelect;

export async function insertEndpoint(db: Db, row: typeof endpoints.$inferInsert): Promise<void> {
  await db.insert(endpoints).values(row);
}

export async function getEndpoint(db: Db, id: string): Promise<EndpointRow | undefined> {
  return db.select().from(endpoints).where(eq(endpoints.id, id)).then(first);
}

export async function listEndpoints(db: Db, workspaceId: string): Promise<EndpointRow[]> {
  return db.select().from(endpoints).where(eq(endpoints.workspaceId, workspaceId)).orderBy(desc(endpoints.createdAt));
}

export async function revokeEndpoint(db: Db, id: string): Promise<void> {
  await db.update(endpoints).set({ revokedAt: Date.now() }).where(eq(endpoints.id, id));
}

export async function countEndpointRequest(db: Db, id: string): Promise<void> {
  await db.update(endpoints)
    .set({ requestCount: sql`${endpoints.requestCount} + 1` })
    .where(eq(endpoints.id, id))
    ;
}
