import { HEADLINE_ORDER, isBetter, metricLabel, formatMetricValue } from '../../models/evaluation/metric-vocabulary';
import { kFoldIndices } from '../../models/evaluation/cross-validation';
import { getColumn, labelsOf, takeRows } from '../../models/frame';
import { gridWithin, sampleCandidates, type Candidate } from '../../models/search/parameter-space';
import { NodeInputError, type NodeContext } from '../define';
import { describeSettings, type TuningLeaderboard, type TuningPreview, type TuningTrial } from '../preview';
import type { SplitValue, Task } from '../values';
import { crossValidateSets, crossValidateSettings, foldSets, prepareFolds, type Fold, type FoldSets } from './cross-validate';
import { LIMITS } from '../../models/limits';
import { searchSpaceOf, type SearchSettings, type SearchSpace } from './search-settings';
import { needsTensorFlow, type TrainableModel } from './training';
import { startedBackend } from './tf-backends';
import type { FoldScores, TrialData, TryEvents, TryOutcome } from './tuning-protocol';
import { scoreInThreads, tuningThreads } from './tuning-threads';

/** Deals the folds and draws the random settings: the same seed gives the same search every run (Evaluate's default fold seed). */
export const SEARCH_SEED = 42;

export type { FoldScores, TryEvents, TryOutcome };

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
  /**
   * Scores every candidate in threads, several at once, telling `events` of each try as it finishes (in any
   * order); without it the tries run one after another through `score`. Resolves to how many threads scored
   * tries (0 when none could start and the tries were scored in this thread); rejects only when cancelled.
   */
  scoreInThreads?(candidates: Candidate[], events: TryEvents, signal: AbortSignal): Promise<number>;
  /** Told the overall fraction done, with a line to show. */
  progress(fraction: number, message: string, live?: TuningPreview): void;
}

/**
 * Tries every planned candidate and ranks them by the metric the product ranks models by for the task (the
 * first of its headline order the scores hold). After each finished try the leaderboard so far is sent as a
 * live result, so a cancelled run keeps the tries it finished. However the tries were spread over threads,
 * the leaderboard is built in their planned order, so its scores, order and pick are those of trying them one
 * after another. Fails, saying why, when every try failed.
 */
export async function runSearch(run: SearchRun): Promise<{ best: Candidate; leaderboard: TuningLeaderboard; threads: number }> {
  const { plan } = run;
  const count = plan.candidates.length;
  const outcomes: (TryOutcome | undefined)[] = new Array(count);
  const done = new Float64Array(count);
  let finished = 0;
  const fraction = () => done.reduce((sum, share) => sum + share, 0) / count;
  const events: TryEvents = {
    progress(index, share, message) {
      done[index] = share;
      run.progress(fraction(), `Try ${index + 1} of ${count}: ${message}`);
    },
    finished(index, outcome) {
      outcomes[index] = outcome;
      done[index] = 1;
      finished++;
      run.progress(fraction(), `Tried ${finished} of ${count} settings`, livePreview(run, leaderboardOf(run, outcomes)));
    },
  };
  let threads = 0;
  if (run.scoreInThreads) threads = await run.scoreInThreads(plan.candidates, events, run.signal);
  else await scoreInTurn(run, events);
  const leaderboard = leaderboardOf(run, outcomes);
  if (leaderboard.bestTrial === null) throw new NodeInputError(allFailedMessage(leaderboard.trials));
  return { best: plan.candidates[leaderboard.bestTrial - 1], leaderboard, threads };
}

/** The tries one after another in this thread. */
async function scoreInTurn(run: SearchRun, events: TryEvents): Promise<void> {
  for (const [index, candidate] of run.plan.candidates.entries()) {
    if (run.signal.aborted) throw new Error('Cancelled');
    const started = performance.now();
    let outcome: ({ scores: FoldScores } | { error: string }) | undefined;
    try {
      outcome = { scores: await run.score(candidate, (share, message) => events.progress(index, share, message)) };
    } catch (error) {
      if (run.signal.aborted) throw error;
      outcome = { error: (error as Error).message };
    }
    events.finished(index, { ...outcome, seconds: (performance.now() - started) / 1000 });
  }
}

/** The leaderboard of the tries finished so far, in their planned order; ties go to the earlier try. */
function leaderboardOf(run: SearchRun, outcomes: (TryOutcome | undefined)[]): TuningLeaderboard {
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
  let best = 0;
  outcomes.forEach((outcome, index) => {
    if (!outcome) return;
    const trial: TuningTrial = { trial: index + 1, settings: plan.candidates[index], score: null, std: null, seconds: outcome.seconds };
    if ('error' in outcome) trial.error = outcome.error;
    else {
      leaderboard.metric ??= HEADLINE_ORDER[run.task].find((name) => outcome.scores[name]) ?? null;
      const scored = leaderboard.metric ? outcome.scores[leaderboard.metric] : undefined;
      if (scored) {
        trial.score = scored.mean;
        trial.std = scored.std;
      } else trial.error = `It could not be scored by ${leaderboard.metric ? metricLabel(leaderboard.metric) : 'any metric'} on every fold.`;
    }
    leaderboard.trials.push(trial);
    if (trial.score !== null && (leaderboard.bestTrial === null || isBetter(leaderboard.metric!, trial.score, best))) {
      leaderboard.bestTrial = trial.trial;
      best = trial.score;
    }
  });
  return leaderboard;
}

/** The best try of a leaderboard (found by its number: while a search runs in threads, some tries are not in yet). */
export function bestTrialOf(leaderboard: TuningLeaderboard): TuningTrial | undefined {
  return leaderboard.bestTrial === null ? undefined : leaderboard.trials.find((trial) => trial.trial === leaderboard.bestTrial);
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
  const best = bestTrialOf(leaderboard);
  if (best && leaderboard.metric) {
    lines.push(
      `${lead}: ${describeSettings(best.settings, leaderboard)} (try ${best.trial} of ${leaderboard.planned}, ` +
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
 * cross-validated on the folds through the training the node declares, in a few threads when the search is
 * big enough to gain from them. Returns the best settings to apply, and how many threads scored the tries
 * (0: this thread).
 */
export async function searchTableModel(
  node: TrainableModel,
  params: SearchSettings,
  split: Pick<SplitValue, 'target' | 'task' | 'classes' | 'balance' | 'images' | 'imageFeatures'>,
  folds: Fold[],
  ctx: Pick<NodeContext, 'signal' | 'progress' | 'title'>,
  options: SearchThreadOptions = {},
): Promise<{ params: SearchSettings & Record<string, unknown>; leaderboard: TuningLeaderboard; threads: number }> {
  const space = searchSpaceOf(node.params, node.training.search);
  const plan = planSearch(space, params);
  const settingsOf = (candidate: Candidate) => node.params.parse({ ...params, ...candidate }) as Record<string, unknown>;
  const sets = buildFoldSets(node, split, folds);
  const threads = sets ? Math.min(options.threads ?? tuningThreads(), plan.candidates.length) : 1;
  const worthThreads = options.threads !== undefined || (sets && searchValues(sets, plan.candidates.length) >= LIMITS.tuning.threadMinValues);
  // With the folds built once, every try reads the same matrices, in this thread or in others.
  const score = (candidate: Candidate, onProgress: (fraction: number, message: string) => void) =>
    sets
      ? crossValidateSets(node, settingsOf(candidate), ctx.title, sets, { signal: ctx.signal, onProgress })
      : crossValidateSettings(node, settingsOf(candidate), ctx.title, split, folds, { signal: ctx.signal, onProgress });
  const { best, leaderboard, threads: used } = await runSearch({
    title: ctx.title,
    task: split.task,
    folds: folds.length,
    plan,
    space,
    signal: ctx.signal,
    score,
    scoreInThreads:
      sets && worthThreads
        ? scoringInThreads({ nodeType: node.type, tensorflow: !!sets?.some((set) => needsTensorFlow(node, set.train)), title: ctx.title, data: { kind: 'table', sets }, threads, settingsOf, score }, options)
        : undefined,
    progress: (fraction, message, live) => ctx.progress(fraction, message, live),
  });
  return { params: { ...params, ...best, search: 'off' }, leaderboard, threads: used };
}

/**
 * Scoring a search's tries in `threads` threads, each sent `data` once and then each try's settings; a try
 * left to the run's thread (no thread could start) goes through `score`. Undefined (the tries in turn, in
 * this thread) when one thread is all there is.
 */
export function scoringInThreads(
  search: {
    nodeType: string;
    /** The model computes on TensorFlow.js: each thread starts the backend the run uses. */
    tensorflow: boolean;
    title: string;
    data: TrialData;
    threads: number;
    settingsOf(candidate: Candidate): Record<string, unknown>;
    score(candidate: Candidate, onProgress: (fraction: number, message: string) => void): Promise<FoldScores>;
  },
  options: SearchThreadOptions,
): SearchRun['scoreInThreads'] {
  if (search.threads <= 1) return undefined;
  return async (candidates, events, signal) =>
    scoreInThreads(
      {
        nodeType: search.nodeType,
        // The threads start the backend this thread computes on (started here first, if no step has yet).
        backend: search.tensorflow ? await startedBackend() : null,
        title: search.title,
        data: search.data,
        params: candidates.map(search.settingsOf),
        threads: search.threads,
        heapMb: options.heapMb,
        entry: options.threadEntry,
        scoreHere: (index, onProgress) => search.score(candidates[index], onProgress),
      },
      events,
      signal,
    );
}

/** How the tries of a search are run (tests; runs take the defaults). */
export interface SearchThreadOptions {
  /** Threads at once, whatever the search's size (1: in turn, in this thread); default `tuningThreads()`. */
  threads?: number;
  /** Heap of each thread; default LIMITS.tuning.threadHeapMb. */
  heapMb?: number;
  /** Another entry file for the threads. */
  threadEntry?: string;
}

/**
 * The folds as the model trains on them, built once for all tries. When they cannot be built (a column the
 * model cannot read), null: each try then fails with the reason, as it always has.
 */
function buildFoldSets(node: TrainableModel, split: Parameters<typeof foldSets>[1], folds: Fold[]): FoldSets[] | null {
  try {
    return foldSets(node, split, folds);
  } catch {
    return null;
  }
}

/** Feature values a search goes through: rows × inputs of each fold, times the tries. */
function searchValues(sets: FoldSets[], tries: number): number {
  return sets.reduce((sum, fold) => sum + fold.train.X.rows * fold.train.X.cols, 0) * tries;
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
