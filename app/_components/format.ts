import type { Headline, RunStatus } from '../../server/api-types';
import { metricLabel } from '../../models/evaluation/metric-vocabulary';

// Metric names, help texts, direction and percent formatting live in the shared vocabulary; the
// pages import them from here beside the UI-only formatting below.
export { bestIndex, formatPercent, isLowerBetter, metricHelp, metricLabel, metricShortLabel } from '../../models/evaluation/metric-vocabulary';

/** "0.42 s", "12.3 s", "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

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

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (abs > 0 && abs < 0.001) return value.toExponential(2);
  return value.toFixed(digits);
}

export function formatHeadline(headline: Headline | null | undefined): string {
  if (!headline) return '';
  return `${metricLabel(headline.name)} ${formatNumber(headline.value)}`;
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
