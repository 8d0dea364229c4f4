// The one metrics vocabulary: for each metric Pipelab reports, its label, plain-language help,
// direction, format and the tasks it suits; the headline order per task; and the small functions
// derived from them (labels, direction, sorting, the headline pick, value formatting). The engine,
// the evaluate node, runs search, compare, the HTML report and the pages all read it from here.
// The metrics themselves are computed in models/evaluation/metrics.ts.

/**
 * One metric of a run, by name, e.g. { name: 'captureAt20', value: 0.62, subject: 'yes' } (a run's
 * headline score). `subject` is what the sentence speaks of: the answer a yes/no model looks for,
 * or the column a number model predicts (its units).
 */
export interface Headline {
  name: string;
  value: number;
  subject?: string | null;
}

export type MetricTask = 'classification' | 'regression';

/** Which way is better: 'lower' for errors and losses, 'higher' for every score. */
export type MetricDirection = 'higher' | 'lower';

/**
 * How a value reads in a sentence: 'percent' a share of rows (0.912 → "91.2%"), 'ratio' a unitless
 * score shown as a number (0.912), 'units' in the units of the target (3.41).
 */
export type MetricFormat = 'percent' | 'ratio' | 'units';

export interface MetricInfo {
  /** The name a person reads, e.g. "Mean absolute error (MAE)". */
  label: string;
  /** A column header for tables that compare models side by side, e.g. "MAE". */
  shortLabel: string;
  /** One plain sentence: what the number means. */
  help: string;
  /**
   * The headline sentence for this metric, from its value and the headline's subject
   * ("Right 93 times out of 100"); metrics without one read as "label value".
   */
  sentence?: (value: number, subject?: string | null) => string;
  /** The metric shown as a detail beneath this one when it is the headline. */
  detail?: string;
  direction: MetricDirection;
  format: MetricFormat;
  tasks: readonly MetricTask[];
}

/** The share of scored rows the yes/no headline calls ("call the top 20%"): captureAt20 is measured there. */
export const CALLED_SHARE = 0.2;

const classification = ['classification'] as const;
const regression = ['regression'] as const;

/**
 * Every metric by key, in display order: classification metrics, then regression ones
 * (sortMetricNames puts unknown names after these, alphabetically).
 */
export const METRICS = {
  captureAt20: {
    label: 'Found in the top 20%',
    shortLabel: 'Found in top 20%',
    help: 'Of the rows that really are the answer looked for ("yes"), the share among the 20% the model scores most likely: who you reach by calling only the top fifth.',
    sentence: (value, subject) =>
      `Finds ${formatPercent(value, 0)} of the customers who will say ${subject ? `“${subject}”` : 'yes'} if you call the top ${formatPercent(CALLED_SHARE, 0)}`,
    detail: 'rocAuc',
    direction: 'higher',
    format: 'percent',
    tasks: classification,
  },
  accuracy: {
    label: 'Accuracy',
    shortLabel: 'Accuracy',
    help: 'Share of test rows the model got right.',
    sentence: (value) => `Right ${Math.round(value * 100)} times out of 100`,
    detail: 'balancedAccuracy',
    direction: 'higher',
    format: 'percent',
    tasks: classification,
  },
  balancedAccuracy: {
    label: 'Balanced accuracy',
    shortLabel: 'Balanced accuracy',
    help: 'Accuracy averaged over the classes, so a rare class counts as much as a common one.',
    direction: 'higher',
    format: 'percent',
    tasks: classification,
  },
  rocAuc: {
    label: 'ROC AUC',
    shortLabel: 'ROC AUC',
    help: 'How well the model ranks positives above negatives: 0.5 is guessing, 1 is perfect.',
    direction: 'higher',
    format: 'ratio',
    tasks: classification,
  },
  macroF1: {
    label: 'Macro F1',
    shortLabel: 'Macro F1',
    help: 'F1 score averaged over the classes: balances precision and recall for each answer (1 is perfect).',
    direction: 'higher',
    format: 'ratio',
    tasks: classification,
  },
  precision: {
    label: 'Precision',
    shortLabel: 'Precision',
    help: 'Of the rows the model flagged, the share that really were that class.',
    direction: 'higher',
    format: 'percent',
    tasks: classification,
  },
  recall: {
    label: 'Recall',
    shortLabel: 'Recall',
    help: 'Of the rows that really were that class, the share the model found.',
    direction: 'higher',
    format: 'percent',
    tasks: classification,
  },
  f1: {
    label: 'F1 score',
    shortLabel: 'F1',
    help: 'A single score balancing precision and recall (1 is perfect).',
    direction: 'higher',
    format: 'ratio',
    tasks: classification,
  },
  logLoss: {
    label: 'Log loss',
    shortLabel: 'Log loss',
    help: 'How far the predicted probabilities were from the real answers: lower is better.',
    direction: 'lower',
    format: 'ratio',
    tasks: classification,
  },
  mae: {
    label: 'Mean absolute error (MAE)',
    shortLabel: 'MAE',
    help: 'Average size of a prediction error, in the units of the target.',
    sentence: (value, subject) => `Typically off by ±${formatUnits(value)}${subject ? ` (in units of ${subject})` : ''}`,
    detail: 'r2',
    direction: 'lower',
    format: 'units',
    tasks: regression,
  },
  r2: {
    label: 'R²',
    shortLabel: 'R²',
    help: 'Share of the variation in the target the model explains: 1 is perfect, 0 is no better than the average.',
    direction: 'higher',
    format: 'ratio',
    tasks: regression,
  },
  mse: {
    label: 'Mean squared error (MSE)',
    shortLabel: 'MSE',
    help: 'Average squared prediction error.',
    direction: 'lower',
    format: 'units',
    tasks: regression,
  },
  rmse: {
    label: 'Root mean squared error (RMSE)',
    shortLabel: 'RMSE',
    help: 'Typical size of a prediction error, in the units of the target (big misses weigh more).',
    direction: 'lower',
    format: 'units',
    tasks: regression,
  },
} as const satisfies Record<string, MetricInfo>;

export type MetricKey = keyof typeof METRICS;

export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];

/** Other names for a metric ("auc"); snake_case spellings such as "roc_auc" or "log_loss" are read as camelCase. */
const ALIASES: Record<string, MetricKey> = { auc: 'rocAuc' };

/** The metrics the evaluate node reports per task, in display order; the first ranks the models. */
export const REPORTED_METRICS: Record<MetricTask, readonly MetricKey[]> = {
  classification: ['captureAt20', 'accuracy', 'balancedAccuracy', 'rocAuc', 'macroF1'],
  regression: ['mae', 'r2', 'rmse'],
};

/**
 * A run's headline: the first of these its evaluate node reports. Yes/no answers with probabilities
 * get captureAt20 (who you reach by calling the top fifth); several answers, or models without
 * probabilities, get accuracy; numbers get the typical error in the target's units.
 */
export const HEADLINE_ORDER: Record<MetricTask, readonly MetricKey[]> = {
  classification: ['captureAt20', 'accuracy', 'balancedAccuracy'],
  regression: ['mae', 'r2'],
};

/**
 * The headline order when the task is not known: the tasks' orders interleaved by rank
 * (rocAuc, r2, balancedAccuracy, accuracy). A node's metrics belong to one task, so this picks
 * what that task's own order would.
 */
const ANY_TASK_HEADLINE_ORDER: readonly MetricKey[] = (() => {
  const orders = Object.values(HEADLINE_ORDER);
  const longest = Math.max(...orders.map((order) => order.length));
  return Array.from({ length: longest }, (_, rank) => orders.flatMap((order) => (rank < order.length ? [order[rank]] : [])));
})().flat();

function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The table's entry for a key or one of its other spellings; undefined for a metric it doesn't know. */
export function metricInfo(name: string): MetricInfo | undefined {
  if (Object.hasOwn(METRICS, name)) return METRICS[name as MetricKey];
  const key = ALIASES[name] ?? camelCase(name);
  return Object.hasOwn(METRICS, key) ? METRICS[key as MetricKey] : undefined;
}

export function isLowerBetter(name: string): boolean {
  return metricInfo(name)?.direction === 'lower';
}

/** True when `candidate` beats `current` for this metric. */
export function isBetter(name: string, candidate: number, current: number): boolean {
  return isLowerBetter(name) ? candidate < current : candidate > current;
}

/**
 * Folds one evaluate node's metrics into a run's: per name, the better value wins.
 * Values that are not finite numbers are ignored.
 */
export function mergeBestMetrics(into: Record<string, number>, metrics: Record<string, number> | null | undefined): Record<string, number> {
  if (!metrics) return into;
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const current = into[name];
    if (current === undefined || isBetter(name, value, current)) into[name] = value;
  }
  return into;
}

/** Index of the best value (ties go to the first); null when there is none. */
export function bestIndex(name: string, values: readonly (number | null | undefined)[]): number | null {
  let best: number | null = null;
  values.forEach((value, i) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    if (best === null || isBetter(name, value, values[best] as number)) best = i;
  });
  return best;
}

function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The name a person reads, e.g. "ROC AUC" for rocAuc; an unknown key is spelled out ("myScore" → "My score"). */
export function metricLabel(name: string): string {
  return metricInfo(name)?.label ?? humanize(name);
}

/** A compact column header, e.g. "MAE" for mae; the full label where there is no shorter one. */
export function metricShortLabel(name: string): string {
  return metricInfo(name)?.shortLabel ?? metricLabel(name);
}

/** One plain sentence about what the metric means; undefined for a metric the table doesn't know. */
export function metricHelp(name: string): string | undefined {
  return metricInfo(name)?.help;
}

/** Display order: the table's order (classification metrics, then regression), then the rest alphabetically. */
export function sortMetricNames(names: Iterable<string>): string[] {
  const order: readonly string[] = METRIC_KEYS;
  return [...new Set(names)].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    return a.localeCompare(b);
  });
}

/**
 * A run's headline from one evaluate node's metrics: the first finite value in the task's headline
 * order (any task's when `task` is not given); null when there is none.
 */
export function headlineOf(metrics: Record<string, number>, task?: MetricTask): Headline | null {
  for (const name of task ? HEADLINE_ORDER[task] : ANY_TASK_HEADLINE_ORDER) {
    const value = metrics[name];
    if (typeof value === 'number' && Number.isFinite(value)) return { name, value };
  }
  return null;
}

/**
 * The headline as a sentence a marketer reads: "Finds 62% of the customers who will say “yes” if
 * you call the top 20%", "Right 93 times out of 100", "Typically off by ±1.2 (in units of Sales)";
 * "label value" for a metric without a sentence of its own.
 */
export function headlineSentence(headline: Headline): string {
  const info = metricInfo(headline.name);
  if (info?.sentence) return info.sentence(headline.value, headline.subject);
  return `${metricLabel(headline.name)} ${formatMetricValue(headline.name, headline.value)}`;
}

/** The detail beneath a headline, e.g. "ROC AUC 0.910" under the top-20% capture; null when the metrics lack it. */
export function headlineDetail(headline: Headline, metrics: Record<string, number> | null | undefined): string | null {
  const detail = metricInfo(headline.name)?.detail;
  const value = detail ? metrics?.[detail] : undefined;
  if (!detail || value === undefined || !Number.isFinite(value)) return null;
  return `${metricLabel(detail)} ${formatMetricValue(detail, value)}`;
}

/** Of several evaluate steps' metrics, the ones the headline was taken from (for its detail); null when none match. */
export function metricsBehindHeadline(
  headline: Headline | null | undefined,
  candidates: Iterable<Record<string, number> | null | undefined>,
): Record<string, number> | null {
  if (!headline) return null;
  for (const metrics of candidates) if (metrics?.[headline.name] === headline.value) return metrics;
  return null;
}

/** A value in the target's units, to two significant figures (1.0, 0.48, 12) and whole from 100 up (1,235). */
export function formatUnits(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(2);
}

/** "12.5%" for 0.125. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A value as a sentence reads it, by the metric's format: "91.2%" (percent), "0.912" (ratio), "3.41" (units). */
export function formatMetricValue(name: string, value: number): string {
  switch (metricInfo(name)?.format) {
    case 'percent':
      return formatPercent(value);
    case 'units':
      return value.toPrecision(3);
    default:
      return value.toFixed(3);
  }
}
