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

const { endpointHours } = tables;

export type EndpointHourRow = typeof endpointHours.$inferSelect;

/** The stored hours of an endpoint from `since` to `until` (hour starts, milliseconds), oldest first. */
export async function endpointHoursBetween(db: Db, endpointId: string, since: number, until: number): Promise<EndpointHourRow[]> {
  return db
    .select()
    .from(endpointHours)
    .where(and(eq(endpointHours.endpointId, endpointId), gte(endpointHours.hour, since), lte(endpointHours.hour, until)))
    .orderBy(asc(endpointHours.hour));
}

/** Stores closed hours; an hour another process stored first is kept (both added up the same minutes). */
export async function saveEndpointHours(db: Db, rows: EndpointHourRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await db.insert(endpointHours).values(rows.slice(start, start + 200)).onConflictDoNothing();
  }
}
