import type { Db } from '../../db/client';
import { endpointMinutesBetween, type EndpointMinuteRow } from '../../db/endpoint-minutes';
import { getEndpoint } from '../../db/endpoints';
import { compareColumn, type ColumnDrift, type ColumnProfile } from '../../models/evaluation/drift-profile';
import type { TrainingReference } from '../../nodes/lib/training-reference';
import type { Actor } from '../auth/guard';
import { ServiceError } from '../errors';
import { liveAccuracy } from './accuracy';
import { emptyMinute, latencyPercentile, mergeMinute, MINUTE_MS, type MinuteFigures } from './traffic-minute';
import { HOUR_MS, trafficByHour, type TrafficPeriod } from './hour-rollup';

/** The windows the monitoring page offers, with the width of one point of its charts (about 60–100 points each). */
export const MONITORING_WINDOWS = {
  hour: { ms: 60 * MINUTE_MS, pointMs: MINUTE_MS },
  day: { ms: 24 * 60 * MINUTE_MS, pointMs: 15 * MINUTE_MS },
  week: { ms: 7 * 24 * 60 * MINUTE_MS, pointMs: 2 * 60 * MINUTE_MS },
  month: { ms: 30 * 24 * 60 * MINUTE_MS, pointMs: 8 * 60 * MINUTE_MS },
} as const;
export type MonitoringWindow = keyof typeof MONITORING_WINDOWS;

/** Reasons listed on the page; the rest are added up in the refused total. */
const REASONS_SHOWN = 10;

export interface TrafficPoint {
  at: number;
  requestsPerMinute: number;
  refusedPerMinute: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

const percentileOrNull = (figures: MinuteFigures, q: number) => {
  const value = latencyPercentile(figures.latency, q);
  return Number.isFinite(value) ? Number(value.toFixed(2)) : null;
};

function asFigures(row: EndpointMinuteRow): MinuteFigures {
  return row as unknown as MinuteFigures;
}

/** Minutes added up into chart points of the window's width, every point present (an idle stretch is a zero). */
function trafficSeries(periods: TrafficPeriod[], since: number, now: number, pointMs: number): TrafficPoint[] {
  const start = since - (since % pointMs);
  const points = new Map<number, MinuteFigures>();
  for (let at = start; at <= now; at += pointMs) points.set(at, emptyMinute());
  for (const period of periods) {
    const at = period.at - ((period.at - start) % pointMs);
    const point = points.get(at);
    if (point) mergeMinute(point, period.figures);
  }
  const minutesPerPoint = pointMs / MINUTE_MS;
  return [...points].map(([at, figures]) => ({
    at,
    requestsPerMinute: figures.requests / minutesPerPoint,
    refusedPerMinute: figures.refused / minutesPerPoint,
    p50Ms: percentileOrNull(figures, 0.5),
    p99Ms: percentileOrNull(figures, 0.99),
  }));
}

function driftOf(profiles: ColumnProfile[], counted: MinuteFigures['columns']['inputs']): ColumnDrift[] {
  return profiles.filter((profile) => counted[profile.name]).map((profile) => compareColumn(profile, counted[profile.name]));
}

/**
 * A prediction API's traffic over a window, for members of its workspace: requests, latency, refusals with
 * their reasons, and per column how far the scored rows are from the rows the model learned from.
 */
export async function monitoringReport(db: Db, actor: Actor, endpointId: string, window: MonitoringWindow, now = Date.now()) {
  const endpoint = await getEndpoint(db, endpointId);
  if (!endpoint || endpoint.workspaceId !== actor.workspaceId) throw new ServiceError('NOT_FOUND', 'This prediction API was not found.');
  const { ms, pointMs } = MONITORING_WINDOWS[window];
  const since = now - ms;
  const from = since - (since % MINUTE_MS);
  // Charts whose points are whole hours (week, month) read closed hours added up, not every minute.
  const periods =
    pointMs % HOUR_MS === 0
      ? await trafficByHour(db, endpointId, from, now)
      : (await endpointMinutesBetween(db, endpointId, from, now)).map((row) => ({ at: row.minute, figures: asFigures(row) }));
  const total = emptyMinute();
  for (const period of periods) mergeMinute(total, period.figures);
  const reference = endpoint.trainingReference as TrainingReference | null;
  return {
    endpoint: { id: endpoint.id, name: endpoint.name, modelTitle: endpoint.modelTitle, revokedAt: endpoint.revokedAt, takesPhotos: endpoint.photoInput !== null },
    window,
    totals: {
      requests: total.requests,
      refused: total.refused,
      rowsScored: total.rowsScored,
      p50Ms: percentileOrNull(total, 0.5),
      p99Ms: percentileOrNull(total, 0.99),
    },
    refusals: Object.entries(total.refusals)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, REASONS_SHOWN),
    series: trafficSeries(periods, since, now, pointMs),
    hasReference: reference !== null,
    trainingRows: reference?.rows ?? null,
    drift: reference ? driftOf(reference.columns, total.columns.inputs) : [],
    predictionDrift: reference ? driftOf(reference.predictions, total.columns.predictions) : [],
    /** A photo API's answered labels, most frequent first. */
    predictedLabels: Object.entries(total.columns.labels ?? {})
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count),
    accuracy: await liveAccuracy(db, endpoint, window, since, now, pointMs),
  };
}
