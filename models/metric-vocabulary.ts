// The metric names' vocabulary: which are better when lower, how to pick the best, their labels and
// display order. The metrics themselves are computed in models/metrics.ts.

/** One metric of a run, by name, e.g. { name: 'rocAuc', value: 0.91 } (a run's headline score). */
export interface Headline {
  name: string;
  value: number;
}

/** Error metrics: smaller is better. Every other metric Pipelab reports is better when larger. */
const LOWER_IS_BETTER = new Set(['mae', 'rmse']);

export function isLowerBetter(name: string): boolean {
  return LOWER_IS_BETTER.has(name);
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
export function bestIndex(name: string, values: (number | null | undefined)[]): number | null {
  let best: number | null = null;
  values.forEach((value, i) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    if (best === null || isBetter(name, value, values[best] as number)) best = i;
  });
  return best;
}

const METRIC_LABELS: Record<string, string> = {
  rocAuc: 'ROC AUC',
  balancedAccuracy: 'Balanced accuracy',
  accuracy: 'Accuracy',
  macroF1: 'Macro F1',
  r2: 'R²',
  mae: 'MAE',
  rmse: 'RMSE',
};

/** The name a person reads, e.g. "ROC AUC" for rocAuc. */
export function metricLabel(name: string): string {
  return METRIC_LABELS[name] ?? name;
}

/** Display order: classification metrics, then regression, then the rest alphabetically. */
export function sortMetricNames(names: Iterable<string>): string[] {
  const order = Object.keys(METRIC_LABELS);
  return [...new Set(names)].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    return a.localeCompare(b);
  });
}
