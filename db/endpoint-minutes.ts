import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from './client';
import { tables } from './schema';

const { endpointMinutes } = tables;

export type EndpointMinuteRow = typeof endpointMinutes.$inferSelect;

/** Writes one process's running count of a minute; a later write of the same minute by the same process replaces it. */
export async function saveEndpointMinute(db: Db, row: EndpointMinuteRow): Promise<void> {
  const { endpointId: _endpoint, minute: _minute, writer: _writer, ...figures } = row;
  await db
    .insert(endpointMinutes)
    .values(row)
    .onConflictDoUpdate({ target: [endpointMinutes.endpointId, endpointMinutes.minute, endpointMinutes.writer], set: figures });
}

/** Every process's minutes of an endpoint from `since` to `until` (milliseconds), oldest first. */
export async function endpointMinutesBetween(db: Db, endpointId: string, since: number, until: number): Promise<EndpointMinuteRow[]> {
  return db
    .select()
    .from(endpointMinutes)
    .where(and(eq(endpointMinutes.endpointId, endpointId), gte(endpointMinutes.minute, since), lte(endpointMinutes.minute, until)))
    .orderBy(asc(endpointMinutes.minute));
}
