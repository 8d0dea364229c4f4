import type { Db } from '../../db/client';
import { outcomeMinutesBetween, type OutcomeMinuteRow } from '../../db/endpoint-predictions';
import type { ServingEndpoint } from '../../db/endpoints';
import { getRun } from '../../db/runs';
import { formatUnits } from '../../models/evaluation/metric-vocabulary';
import type { EvaluationPreview } from '../../nodes/preview';
import { loadModel } from '../endpoints';
import { MINUTE_MS } from './traffic-minute';

/**
 * Live accuracy (classifiers: share of outcomes the model got right) or live error (regressors: mean absolute
 * error), from the outcomes posted for an endpoint's predictions, beside the same figure measured on the test
 * rows when the model was trained.
 */
export type LiveMetric = 'accuracy' | 'mae';

export interface OutcomeTotals {
  outcomes: number;
  correct: number;
  absoluteErrorSum: number;
}

export interface AccuracyPoint {
  at: number;
  /** Accuracy (0–1) or mean absolute error of the outcomes of predictions answered then; null without outcomes. */
  value: number | null;
  outcomes: number;
}

export function emptyTotals(): OutcomeTotals {
  return { outcomes: 0, correct: 0, absoluteErrorSum: 0 };
}

export function addTotals(into: OutcomeTotals, more: OutcomeTotals): void {
  into.outcomes += more.outcomes;
  into.correct += more.correct;
  into.absoluteErrorSum += more.absoluteErrorSum;
}

/** Accuracy or mean absolute error of some outcomes; null when there are none. */
export function liveValue(metric: LiveMetric, totals: OutcomeTotals): number | null {
  if (totals.outcomes === 0) return null;
  return metric === 'accuracy' ? totals.correct / totals.outcomes : totals.absoluteErrorSum / totals.outcomes;
}

/** Outcome minutes added up into chart points of `pointMs`, aligned with the traffic chart's points. */
export function accuracySeries(metric: LiveMetric, rows: OutcomeMinuteRow[], since: number, now: number, pointMs: number): AccuracyPoint[] {
  const start = since - (since % pointMs);
  const points = new Map<number, OutcomeTotals>();
  for (let at = start; at <= now; at += pointMs) points.set(at, emptyTotals());
  for (const row of rows) {
    const point = points.get(row.minute - ((row.minute - start) % pointMs));
    if (point) addTotals(point, row);
  }
  return [...points].map(([at, totals]) => ({ at, value: liveValue(metric, totals), outcomes: totals.outcomes }));
}

const trainingMeasures = new Map<string, number | null>();

/**
 * The model's accuracy (classifiers) or mean absolute error (regressors) on the test rows of the run that
 * trained it, from the first evaluation step that scored it; null when the run evaluated it nowhere.
 * A finished run's results never change, so the figure is read once per process.
 */
export async function trainingMeasure(db: Db, runId: string, nodeId: string, metric: LiveMetric): Promise<number | null> {
  const key = `${runId}\n${nodeId}\n${metric}`;
  if (trainingMeasures.has(key)) return trainingMeasures.get(key)!;
  const run = await getRun(db, runId);
  let value: number | null = null;
  for (const node of Object.values(run?.nodes ?? {})) {
    const preview = node.preview as EvaluationPreview | null | undefined;
    if (preview?.kind !== 'evaluation') continue;
    const measured = preview.models.find((m) => m.nodeId === nodeId)?.metrics[metric];
    if (typeof measured === 'number' && Number.isFinite(measured)) {
      value = measured;
      break;
    }
  }
  if (run && run.status !== 'running' && run.status !== 'queued') trainingMeasures.set(key, value);
  return value;
}

const PERIOD_WORDS = { hour: 'in the last hour', day: 'in the last 24 hours', week: 'this week', month: 'in the last 30 days' } as const;
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** Whether the live figure is worse than the one measured at training (lower accuracy, larger error). */
export function isWorse(metric: LiveMetric, live: number, training: number): boolean {
  return metric === 'accuracy' ? live < training : live > training;
}

/**
 * The live figure in plain words, e.g. "Right 71% of the time this week, below the 84% measured at training
 * (from 120 outcomes)."; null without outcomes.
 */
export function accuracySentence(metric: LiveMetric, totals: OutcomeTotals, training: number | null, period: keyof typeof PERIOD_WORDS): string | null {
  const live = liveValue(metric, totals);
  if (live === null) return null;
  const count = `from ${totals.outcomes.toLocaleString('en-US')} outcome${totals.outcomes === 1 ? '' : 's'}`;
  const when = PERIOD_WORDS[period];
  const shown = metric === 'accuracy' ? percent : formatUnits;
  const figure = metric === 'accuracy' ? `Right ${percent(live)} of the time ${when}` : `Off by ${formatUnits(live)} on average ${when}`;
  if (training === null) return `${figure} (${count}); no figure was measured at training to compare with.`;
  const comparison = comparisonWords(metric, live, training, shown);
  return `${figure}, ${comparison} the ${shown(training)} measured at training (${count}).`;
}

function comparisonWords(metric: LiveMetric, live: number, training: number, shown: (value: number) => string): string {
  if (shown(live) === shown(training)) return 'about the same as';
  const worse = isWorse(metric, live, training);
  if (metric === 'accuracy') return worse ? 'below' : 'above';
  return worse ? 'worse than' : 'better than';
}

/** The monitoring report's part on outcomes: the live figure over the window, per chart point, and at training. */
export async function liveAccuracy(db: Db, endpoint: ServingEndpoint, period: keyof typeof PERIOD_WORDS, since: number, now: number, pointMs: number) {
  const metric: LiveMetric = (await loadModel(db, endpoint)).model.task === 'classification' ? 'accuracy' : 'mae';
  const rows = await outcomeMinutesBetween(db, endpoint.id, since - (since % MINUTE_MS), now);
  const totals = emptyTotals();
  for (const row of rows) addTotals(totals, row);
  const training = await trainingMeasure(db, endpoint.runId, endpoint.nodeId, metric);
  const live = liveValue(metric, totals);
  return {
    metric,
    outcomes: totals.outcomes,
    live,
    training,
    worseThanTraining: live !== null && training !== null && isWorse(metric, live, training),
    sentence: accuracySentence(metric, totals, training, period),
    series: accuracySeries(metric, rows, since, now, pointMs),
  };
}
