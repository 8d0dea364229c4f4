import { desc, eq, getTableColumns, sql } from 'drizzle-orm';
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

/** What answering a prediction needs of an endpoint: every column but its training profile, read once per model (endpointTrainingReference). */
export type ServingEndpoint = Omit<EndpointRow, 'trainingReference'>;

export async function getServingEndpoint(db: Db, id: string): Promise<ServingEndpoint | undefined> {
  const { trainingReference: _profile, ...columns } = getTableColumns(endpoints);
  return db.select(columns).from(endpoints).where(eq(endpoints.id, id)).then(first);
}

export async function endpointTrainingReference(db: Db, id: string): Promise<unknown> {
  const row = await db.select({ trainingReference: endpoints.trainingReference }).from(endpoints).where(eq(endpoints.id, id)).then(first);
  return row?.trainingReference ?? null;
}

export async function listEndpoints(db: Db, workspaceId: string): Promise<EndpointRow[]> {
  return db.select().from(endpoints).where(eq(endpoints.workspaceId, workspaceId)).orderBy(desc(endpoints.createdAt));
}

export async function revokeEndpoint(db: Db, id: string): Promise<void> {
  await db.update(endpoints).set({ revokedAt: Date.now() }).where(eq(endpoints.id, id));
}

/** Adds answered requests to the endpoint's stored count (the prediction path counts them in memory first). */
export async function countEndpointRequests(db: Db, id: string, requests: number): Promise<void> {
  await db.update(endpoints)
    .set({ requestCount: sql`${endpoints.requestCount} + ${requests}` })
    .where(eq(endpoints.id, id));
}
