import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { endpoints } from './schema';

export type EndpointRow = typeof endpoints.$inferSelect;

export function insertEndpoint(db: Db, row: typeof endpoints.$inferInsert): void {
  db.insert(endpoints).values(row).run();
}

export function getEndpoint(db: Db, id: string): EndpointRow | undefined {
  return db.select().from(endpoints).where(eq(endpoints.id, id)).get();
}

export function listEndpoints(db: Db, workspaceId: string): EndpointRow[] {
  return db.select().from(endpoints).where(eq(endpoints.workspaceId, workspaceId)).orderBy(desc(endpoints.createdAt)).all();
}

export function revokeEndpoint(db: Db, id: string): void {
  db.update(endpoints).set({ revokedAt: Date.now() }).where(eq(endpoints.id, id)).run();
}

export function countEndpointRequest(db: Db, id: string): void {
  db.update(endpoints)
    .set({ requestCount: sql`${endpoints.requestCount} + 1` })
    .where(eq(endpoints.id, id))
    .run();
}
