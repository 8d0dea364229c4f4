import { HEADLINE_ORDER, isBetter, metricLabel, formatMetricValue } from '../../models/evaluation/metric-vocabulary';
import { kFoldIndices } from '../../models/evaluation/cross-validation';
import { getColumn, labelsOf, takeRows } from '../../models/frame';
import { gridWithin, sampleCandidates, type Candidate } from '../../models/search/parameter-space';
import { NodeInputError, type NodeContext } from '../define';
import { describeSettings, type TuningLeaderboard, type TuningPreview, type TuningTrial } from '../preview';
import type { SplitValue, Task } from '../values';
import { crossValidateSettings, prepareFolds, type Fold } from './cross-validate';
import { searchSpaceOf, type SearchSettings, type SearchSpace } from './search-settings';
import type { TrainableModel } from './training';

/** Deals the folds and draws the random settings: the same seed gives the same search every run (Evaluate's default fold seed). */
export const SEARCH_SEED = 42;

/** Mean ± std per metric over the folds, as cross-validation reports them. */
export type FoldScores = Record<string, { mean: number; std: number }>;

export interface SearchPlan {
  method: 'grid' | 'random';
  candidates: Candidate[];
  notes: string[];
}

/** The settings to try: the grid (spread over it when it holds more than the budget) or seeded random draws. */
export function planSearch(space: SearchSpace, settings: SearchSettings): SearchPlan {
  if (settings.search === 'random') {
    const candidates = sampleCandidates(space.space, settings.searchTrials, SEARCH_SEED);
    return { method: 'random', candidates, notes: [`${candidates.length} random combinations, drawn the same way every run.`] };
  }
  const { candidates, gridSize } = gridWithin(space.space, settings.searchTrials);
  const notes =
    gridSize > candidates.length
      ? [`The grid holds ${gridSize} combinations; ${candidates.length} spread over it were tried. Raise "Settings to try at most" to try them all.`]
      : [`Every one of the ${gridSize} combinations was tried.`];
  return { method: 'grid', candidates, notes };
}

export interface SearchRun {
  title: string;
  task: Task;
  folds: number;
  plan: SearchPlan;
  space: SearchSpace;
  signal: AbortSignal;
  /** Trains and scores one candidate on every fold. */
  score(candidate: Candidate, onProgress: (fraction: number, message: string) => void): Promise<FoldScores>;
  /** Told the overall fraction done, with a line to show. */
  progress(fraction: number, message: string, live?: TuningPreview): void;
}

/**
 * Tries every planned candidate in turn and ranks them by the metric the product ranks models by for the
 * task (the first of its headline order the scores hold). After each try the leaderboard so far is sent as
 * a live result, so a cancelled run keeps the tries it finished. Fails, saying why, when every try failed.
 */
export async function runSearch(run: SearchRun): Promise<{ best: Candidate; leaderboard: TuningLeaderboard }> {
  const { plan, space } = run;
  const leaderboard: TuningLeaderboard = {
    method: plan.method,
    metric: null,
    folds: run.folds,
    planned: plan.candidates.length,
    trials: [],
    bestTrial: null,
    settingLabels: space.settingLabels,
    valueLabels: space.valueLabels,
    notes: plan.notes,
  };
  for (const [index, candidate] of plan.candidates.entries()) {
    if (run.signal.aborted) throw new Error('Cancelled');
    const started = performance.now();
    const share = (fraction: number) => (index + fraction) / plan.candidates.length;
    const trial: TuningTrial = { trial: index + 1, settings: candidate, score: null, std: null, seconds: 0 };
    try {
      const scores = await run.score(candidate, (fraction, message) => run.progress(share(fraction), `Try ${index + 1} of ${plan.candidates.length}: ${message}`));
      leaderboard.metric ??= HEADLINE_ORDER[run.task].find((name) => scores[name]) ?? null;
      const scored = leaderboard.metric ? scores[leaderboard.metric] : undefined;
      if (!scored) throw new Error(`It could not be scored by ${leaderboard.metric ? metricLabel(leaderboard.metric) : 'any metric'} on every fold.`);
      trial.score = scored.mean;
      trial.std = scored.std;
    } catch (error) {
      if (run.signal.aborted) throw error;
      trial.error = (error as Error).message;
    }
    trial.seconds = (performance.now() - started) / 1000;
    leaderboard.trials.push(trial);
    if (trial.score !== null && (leaderboard.bestTrial === null || isBetter(leaderboard.metric!, trial.score, bestScore(leaderboard)))) {
      leaderboard.bestTrial = trial.trial;
    }
    run.progress(share(1), `Tried ${index + 1} of ${plan.candidates.length} settings`, livePreview(run, leaderboard));
  }
  if (leaderboard.bestTrial === null) throw new NodeInputError(allFailedMessage(leaderboard.trials));
  return { best: plan.candidates[leaderboard.bestTrial - 1], leaderboard };
}

function bestScore(leaderboard: TuningLeaderboard): number {
  return leaderboard.trials[leaderboard.bestTrial! - 1].score!;
}

/** "None of the 20 settings tried could be trained: …", each distinct reason once with how many tries gave it. */
function allFailedMessage(trials: TuningTrial[]): string {
  const reasons = new Map<string, number>();
  for (const trial of trials) reasons.set(trial.error ?? 'unknown reason', (reasons.get(trial.error ?? 'unknown reason') ?? 0) + 1);
  const listed = [...reasons].slice(0, 3).map(([reason, count]) => (reasons.size > 1 || count > 1 ? `${reason} (${count} of ${trials.length} tries)` : reason));
  const tries = trials.length === 1 ? 'The one setting tried' : `None of the ${trials.length} settings tried`;
  return `Search for the best settings: ${tries} could be trained, so there is no best to apply. ${listed.join(' ')}`;
}

/** The leaderboard in words: the best try and its score ("Best so far" while the search goes on). */
export function searchSummary(leaderboard: TuningLeaderboard, lead = 'Best settings applied'): string[] {
  const failed = leaderboard.trials.filter((trial) => trial.error).length;
  const lines: string[] = [];
  if (leaderboard.bestTrial !== null && leaderboard.metric) {
    const best = leaderboard.trials[leaderboard.bestTrial - 1];
    lines.push(
      `${lead}: ${describeSettings(best.settings, leaderboard)} (try ${best.trial} of ${leaderboard.trials.length}, ` +
        `${metricLabel(leaderboard.metric)} ${formatMetricValue(leaderboard.metric, best.score!)} ± ${formatMetricValue(leaderboard.metric, best.std!)} over ${leaderboard.folds} folds).`,
    );
  }
  if (failed) lines.push(`${failed} of the ${leaderboard.trials.length} tries failed; the leaderboard says why.`);
  return lines;
}

function livePreview(run: SearchRun, leaderboard: TuningLeaderboard): TuningPreview {
  return {
    kind: 'tuning',
    model: run.title,
    tuning: { ...leaderboard, trials: [...leaderboard.trials] },
    summary: [`Searching for the best settings: ${leaderboard.trials.length} of ${leaderboard.planned} tried.`, ...searchSummary(leaderboard, 'Best so far')],
  };
}

/**
 * Searches a table model's settings: each candidate replaces the searched settings in the node's own and is
 * cross-validated on the folds through the training the node declares. Returns the best settings to apply.
 */
export async function searchTableModel(
  node: TrainableModel,
  params: SearchSettings,
  split: Pick<SplitValue, 'target' | 'task' | 'classes' | 'balance' | 'images' | 'imageFeatures'>,
  folds: Fold[],
  ctx: Pick<NodeContext, 'signal' | 'progress' | 'title'>,
): Promise<{ params: SearchSettings & Record<string, unknown>; leaderboard: TuningLeaderboard }> {
  const space = searchSpaceOf(node.params, node.training.search);
  const { best, leaderboard } = await runSearch({
    title: ctx.title,
    task: split.task,
    folds: folds.length,
    plan: planSearch(space, params),
    space,
    signal: ctx.signal,
    score: (candidate, onProgress) =>
      crossValidateSettings(node, node.params.parse({ ...params, ...candidate }), ctx.title, split, folds, { signal: ctx.signal, onProgress }),
    progress: (fraction, message, live) => ctx.progress(fraction, message, live),
  });
  return { params: { ...params, ...best, search: 'off' }, leaderboard };
}

/**
 * The folds a table model's search scores on: the split's raw training rows, dealt like Evaluate's, with the
 * preprocessing refitted on each fold. Features of photos are computed once for all training photos, so
 * their folds are dealt from those features.
 */
export function searchFolds(split: SplitValue, folds: number): Fold[] {
  if (!split.images) {
    try {
      return prepareFolds(split, folds, SEARCH_SEED);
    } catch (error) {
      if (!(error instanceof NodeInputError)) throw error;
      throw new NodeInputError(error.message.replace(/^Cross-validation: /, 'Search for the best settings: '));
    }
  }
  const labels = split.task === 'classification' ? labelsOf(getColumn(split.train, split.target)) : undefined;
  try {
    return kFoldIndices(split.train.rowCount, { folds, seed: SEARCH_SEED, stratify: labels }).map((rows) => ({
      train: takeRows(split.train, rows.train),
      heldOut: takeRows(split.train, rows.test),
    }));
  } catch (error) {
    throw new NodeInputError(`Search for the best settings: ${(error as Error).message}`);
  }
}
