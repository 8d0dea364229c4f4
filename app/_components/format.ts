import type { Headline, RunStatus } from '../../server/api-types';
import { headlineDetail, headlineSentence } from '../../models/evaluation/metric-vocabulary';

// Metric names, help texts, direction and percent formatting live in the shared vocabulary; the
// pages import them from here beside the UI-only formatting below.
export { bestIndex, formatMetricValue, formatPercent, isLowerBetter, metricHelp, metricLabel, metricShortLabel, metricsBehindHeadline } from '../../models/evaluation/metric-vocabulary';
// Durations, dates and numbers read the same in the app and in the HTML report: one module draws both.
export { formatDate, formatDuration, formatNumber } from '../../charts/format';

/** "just now", "5 min ago", "3 h ago", or a date for anything older than a day. */
export function formatWhen(timestamp: number, now = Date.now()): string {
  const diff = Math.max(0, now - timestamp);
  if (diff < 45_000) return 'just now';
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.round(diff / 3_600_000)} h ago`;
  return new Date(timestamp).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatTime(timestamp: number): string {
  return new Date(timestamp).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** The run's headline as a sentence that fits its task, e.g. "Right 93 times out of 100". */
export function formatHeadline(headline: Headline | null | undefined): string {
  return headline ? headlineSentence(headline) : '';
}

/** The detail beneath a headline ("ROC AUC 0.910"), read from the run's metrics; '' when they lack it. */
export function formatHeadlineDetail(headline: Headline | null | undefined, metrics: Record<string, number> | null | undefined): string {
  return headline ? (headlineDetail(headline, metrics) ?? '') : '';
}

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Waiting',
  running: 'Running',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** "12.3 kB", "4.5 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
