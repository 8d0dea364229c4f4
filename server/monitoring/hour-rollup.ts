import type { Db } from '../../db/client';
import { endpointHoursBetween, endpointMinutesBetween, saveEndpointHours } from '../../db/endpoint-minutes';
import { emptyMinute, mergeMinute, MINUTE_MS, type MinuteFigures } from './traffic-minute';

export const HOUR_MS = 60 * MINUTE_MS;
/**
 * A process rewrites its minute until a few seconds after the minute ends (it flushes every 5 s), so an hour is
 * added up only once it has been over for this long; until then its minutes are read one by one.
 */
const CLOSED_AFTER_MS = 2 * MINUTE_MS;

/** The end of the hours that are over for good at `now` (the start of the first one that is not). */
export const closedHoursEnd = (now: number) => Math.floor((now - CLOSED_AFTER_MS) / HOUR_MS) * HOUR_MS;

/** A stretch of traffic (a minute, or a closed hour) with its figures. */
export interface TrafficPeriod {
  at: number;
  figures: MinuteFigures;
}

const figuresOf = (row: object) => row as unknown as MinuteFigures;

/**
 * An endpoint's traffic from `since` to `now`, as whole hours where they are closed and minutes at the edges:
 * 720 hours and at most a few dozen minutes for a month, instead of 43,200 minutes. Closed hours not added up
 * yet are added up from their minutes here, and stored, so that only the first look at them pays for it.
 */
export async function trafficByHour(db: Db, endpointId: string, since: number, now: number): Promise<TrafficPeriod[]> {
  const firstHour = Math.ceil(since / HOUR_MS) * HOUR_MS;
  const endOfClosed = closedHoursEnd(now);
  if (endOfClosed <= firstHour) return (await endpointMinutesBetween(db, endpointId, since, now)).map((row) => ({ at: row.minute, figures: figuresOf(row) }));
  const hours = await closedHours(db, endpointId, firstHour, endOfClosed);
  const before = firstHour > since ? await endpointMinutesBetween(db, endpointId, since, firstHour - 1) : [];
  const after = await endpointMinutesBetween(db, endpointId, endOfClosed, now);
  return [
    ...before.map((row) => ({ at: row.minute, figures: figuresOf(row) })),
    ...hours,
    ...after.map((row) => ({ at: row.minute, figures: figuresOf(row) })),
  ];
}

/** The hours from `from` to `to` (hour starts, `to` excluded), added up from their minutes where not stored yet, and stored. */
async function closedHours(db: Db, endpointId: string, from: number, to: number): Promise<TrafficPeriod[]> {
  const stored = await endpointHoursBetween(db, endpointId, from, to - HOUR_MS);
  const hours = new Map(stored.map((row) => [row.hour, figuresOf(row)]));
  const missing: number[] = [];
  for (let hour = from; hour < to; hour += HOUR_MS) if (!hours.has(hour)) missing.push(hour);
  if (missing.length) {
    const added = new Map(missing.map((hour) => [hour, emptyMinute()]));
    for (const row of await endpointMinutesBetween(db, endpointId, missing[0], missing.at(-1)! + HOUR_MS - 1)) {
      const into = added.get(row.minute - (row.minute % HOUR_MS));
      if (into) mergeMinute(into, figuresOf(row));
    }
    await saveEndpointHours(db, [...added].map(([hour, figures]) => ({ endpointId, hour, ...figures })));
    for (const [hour, figures] of added) hours.set(hour, figures);
  }
  return [...hours].sort(([a], [b]) => a - b).map(([at, figures]) => ({ at, figures }));
}

/**
 * Adds up the endpoint's last closed hour (and any before it since `after`), so that a busy API's week and
 * month charts find their hours ready. The recorder calls it as traffic comes in; the report fills any gap.
 */
export async function rollUpClosedHours(db: Db, endpointId: string, after: number | undefined, now: number): Promise<number> {
  const endOfClosed = closedHoursEnd(now);
  const from = Math.max(after ?? endOfClosed - HOUR_MS, endOfClosed - 24 * HOUR_MS);
  if (from < endOfClosed) await closedHours(db, endpointId, from, endOfClosed);
  return endOfClosed;
}
