import { countValue, emptyCounts, mergeCounts, type ColumnCounts, type ColumnProfile } from '../../models/evaluation/drift-profile';
import type { Column, Frame } from '../../models/frame';
import type { TrainingReference } from '../../nodes/lib/training-reference';

/**
 * One endpoint's traffic during one minute, counted in memory: requests, refusals by reason, a latency
 * histogram, and the scored values on the training reference's bins. Stored as it is (see db/endpoint-minutes).
 */
export interface MinuteFigures {
  requests: number;
  refused: number;
  rowsScored: number;
  refusals: Record<string, number>;
  /** Count per logarithmic latency bucket (see latencyBucket). */
  latency: Record<string, number>;
  /** `labels`: a photo API's answered labels with their counts (photos have no columns to profile). */
  columns: { inputs: Record<string, ColumnCounts>; predictions: Record<string, ColumnCounts>; labels?: Record<string, number> };
}

export const MINUTE_MS = 60_000;
/** Reasons kept per minute; the rest are counted under one line so a flood of distinct messages stays small. */
export const MAX_REFUSAL_REASONS = 5;
const OTHER_REASONS = 'Other reasons';
const MAX_REASON_LENGTH = 160;

/** Buckets 10% wide from 0.1 ms: a percentile read from them is within 5% of the true figure. */
const BUCKET_GROWTH = 1.1;
const SMALLEST_MS = 0.1;

export function latencyBucket(ms: number): number {
  return Math.max(0, Math.floor(Math.log(Math.max(ms, SMALLEST_MS) / SMALLEST_MS) / Math.log(BUCKET_GROWTH)));
}

/** The middle (geometric) of a bucket, in milliseconds. */
export function bucketMilliseconds(bucket: number): number {
  return SMALLEST_MS * BUCKET_GROWTH ** (bucket + 0.5);
}

/** The q-th percentile (0..1) of latencies counted in buckets; NaN when nothing was counted. */
export function latencyPercentile(buckets: Record<string, number>, q: number): number {
  const entries = Object.entries(buckets)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return NaN;
  let seen = 0;
  for (const [bucket, count] of entries) {
    seen += count;
    if (seen >= q * total) return bucketMilliseconds(bucket);
  }
  return bucketMilliseconds(entries[entries.length - 1][0]);
}

export function emptyMinute(): MinuteFigures {
  return { requests: 0, refused: 0, rowsScored: 0, refusals: {}, latency: {}, columns: { inputs: {}, predictions: {} } };
}

/** A refusal message without the parts that differ request by request (row numbers, the value sent). */
export function refusalReason(status: number, message: string): string {
  const general = message
    .replace(/^Row \d+, /, '')
    .replace(/, got .*$/, '.')
    .replace(/has [\d,]+ (rows|photos)/, 'has too many $1');
  return `${status}: ${general}`.slice(0, MAX_REASON_LENGTH);
}

function addCount(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function countRefusal(figures: MinuteFigures, reason: string, by: number): void {
  const known = reason in figures.refusals || Object.keys(figures.refusals).length < MAX_REFUSAL_REASONS;
  addCount(figures.refusals, known ? reason : OTHER_REASONS, by);
}

export function recordRefusal(figures: MinuteFigures, reason: string, ms: number): void {
  figures.requests++;
  figures.refused++;
  addCount(figures.latency, String(latencyBucket(ms)));
  countRefusal(figures, reason, 1);
}

function countColumns(into: Record<string, ColumnCounts>, profiles: ColumnProfile[], columns: Column[], rows: number): void {
  for (const profile of profiles) {
    const column = columns.find((c) => c.name === profile.name);
    if (!column || column.type !== (profile.kind === 'number' ? 'number' : 'category')) continue;
    const counts = (into[profile.name] ??= emptyCounts(profile));
    for (let row = 0; row < rows; row++) countValue(profile, counts, column.values[row]);
  }
}

/** Counts an answered request: its latency, its rows, and their values and predictions on the reference's bins. */
export function recordScored(figures: MinuteFigures, reference: TrainingReference | null, frame: Frame, predictions: Column[], ms: number): void {
  figures.requests++;
  figures.rowsScored += frame.rowCount;
  addCount(figures.latency, String(latencyBucket(ms)));
  if (!reference) return;
  countColumns(figures.columns.inputs, reference.columns, frame.columns, frame.rowCount);
  countColumns(figures.columns.predictions, reference.predictions, predictions, frame.rowCount);
}

/**
 * Counts a photo API request: its latency, the photos answered and their labels, and, when some photos were
 * refused, the request as refused with each photo's reason (the photo's name left out, so reasons add up).
 */
export function recordPhotos(figures: MinuteFigures, labels: string[], refusals: string[], ms: number): void {
  figures.requests++;
  figures.rowsScored += labels.length;
  addCount(figures.latency, String(latencyBucket(ms)));
  const counted = (figures.columns.labels ??= {});
  for (const label of labels) addCount(counted, label);
  if (!refusals.length) return;
  figures.refused++;
  for (const reason of refusals) countRefusal(figures, reason.slice(0, MAX_REASON_LENGTH), 1);
}

/** Adds a stored minute into a running total (several minutes, or several processes' rows of one minute). */
export function mergeMinute(into: MinuteFigures, more: MinuteFigures): void {
  into.requests += more.requests;
  into.refused += more.refused;
  into.rowsScored += more.rowsScored;
  for (const [bucket, count] of Object.entries(more.latency)) addCount(into.latency, bucket, count);
  for (const [reason, count] of Object.entries(more.refusals)) addCount(into.refusals, reason, count);
  for (const [label, count] of Object.entries(more.columns.labels ?? {})) addCount((into.columns.labels ??= {}), label, count);
  for (const part of ['inputs', 'predictions'] as const) {
    for (const [name, counts] of Object.entries(more.columns[part] ?? {})) {
      const existing = into.columns[part][name];
      if (existing) mergeCounts(existing, counts);
      else into.columns[part][name] = structuredClone(counts);
    }
  }
}
