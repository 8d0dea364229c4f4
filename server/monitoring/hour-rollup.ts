import type { Db } from '../../db/client';
import { endpointHoursBetween, endpointMinutesBetween, saveEndpointHours } from '../../db/endpoint-minutes';
import { emptyMinute, mergeMinute, MINUTE_MS, type MinuteFigures } from './traffic-minute';

export const HOUR_MS = 60 * MINUTE_MS;
/**
 * A process rewrites its minute until a few seconds after the minute ends (it flushes every 5 s), so an hour is
 * added up only once it has been over for this long; until then its minutes are read one by one.
 */
const CLOSED_AFTER_MS = 2 * MINUTE_MS;

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
  const endOfClosed = Math.floor((now - CLOSED_AFTER_MS) / HOUR_MS) * HOUR_MS;
  if (endOfClosed <= firstHour) return (await endpointMinutesBetween(db, endpointId, since, now)).map((row) => ({ at: row.minute, figures: figuresOf(row) }));
  const stored = await endpointHoursBetween(db, endpointId, firstHour, endOfClosed - HOUR_MS);
  const hours = new Map(stored.map((row) => [row.hour, figuresOf(row)]));
  const missing: number[] = [];
  for (let hour = firstHour; hour < endOfClosed; hour += HOUR_MS) if (!hours.has(hour)) missing.push(hour);
  if (missing.length) {
    const added = new Map(missing.map((hour) => [hour, emptyMinute()]));
    for (const row of await endpointMinutesBetween(db, endpointId, missing[0], missing.at(-1)! + HOUR_MS - 1)) {
      const into = added.get(row.minute - (row.minute % HOUR_MS));
      if (into) mergeMinute(into, figuresOf(row));
    }
    await saveEndpointHours(db, [...added].map(([hour, figures]) => ({ endpointId, hour, ...figures })));
    for (const [hour, figures] of added) hours.set(hour, figures);
  }
  const before = firstHour > since ? await endpointMinutesBetween(db, endpointId, since, firstHour - 1) : [];
  const after = await endpointMinutesBetween(db, endpointId, endOfClosed, now);
  return [
    ...before.map((row) => ({ at: row.minute, figures: figuresOf(row) })),
    ...[...hours].sort(([a], [b]) => a - b).map(([at, figures]) => ({ at, figures })),
    ...after.map((row) => ({ at: row.minute, figures: figuresOf(row) })),
  ];
}
