import type { Headline, RunStatus } from '../../server/api-types';

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

const METRIC_LABELS: Record<string, string> = {
  accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy',
  balanced_accuracy: 'Balanced accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1 score',
  macroF1: 'Macro F1',
  rocAuc: 'ROC AUC',
  roc_auc: 'ROC AUC',
  auc: 'ROC AUC',
  logLoss: 'Log loss',
  r2: 'R²',
  mae: 'Mean absolute error (MAE)',
  mse: 'Mean squared error (MSE)',
  rmse: 'Root mean squared error (RMSE)',
};

const METRIC_HELP: Record<string, string> = {
  accuracy: 'Share of test rows the model got right.',
  balancedAccuracy: 'Accuracy averaged over the classes, so a rare class counts as much as a common one.',
  precision: 'Of the rows the model flagged, the share that really were that class.',
  recall: 'Of the rows that really were that class, the share the model found.',
  f1: 'A single score balancing precision and recall (1 is perfect).',
  macroF1: 'F1 score averaged over the classes: balances precision and recall for each answer (1 is perfect).',
  rocAuc: 'How well the model ranks positives above negatives: 0.5 is guessing, 1 is perfect.',
  auc: 'How well the model ranks positives above negatives: 0.5 is guessing, 1 is perfect.',
  r2: 'Share of the variation in the target the model explains: 1 is perfect, 0 is no better than the average.',
  mae: 'Average size of a prediction error, in the units of the target.',
  mse: 'Average squared prediction error.',
  rmse: 'Typical size of a prediction error, in the units of the target (big misses weigh more).',
  logLoss: 'How far the predicted probabilities were from the real answers: lower is better.',
};

/** Short column headers for tables that compare models side by side. */
const METRIC_SHORT_LABELS: Record<string, string> = {
  mae: 'MAE',
  mse: 'MSE',
  rmse: 'RMSE',
  f1: 'F1',
};

/** Metrics where a smaller value is better (errors and losses). */
const LOWER_IS_BETTER = new Set(['mae', 'mse', 'rmse', 'logLoss', 'log_loss']);

function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? humanize(key);
}

export function metricShortLabel(key: string): string {
  return METRIC_SHORT_LABELS[key] ?? metricLabel(key);
}

export function lowerIsBetter(key: string): boolean {
  return LOWER_IS_BETTER.has(key);
}

export function metricHelp(key: string): string | undefined {
  return METRIC_HELP[key] ?? METRIC_HELP[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
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

/** "12.5%" for a fraction. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}
