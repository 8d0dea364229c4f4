import type { FoldSets } from './cross-validate';
import type { PhotoTrials } from './network-trials';

/** Mean ± std per metric over the folds, as cross-validation reports them. */
export type FoldScores = Record<string, { mean: number; std: number }>;

/** What became of one try of a settings search: its scores, or why it could not be scored. */
export type TryOutcome = ({ scores: FoldScores } | { error: string }) & { seconds: number };

/** Told of each try as it goes and as it finishes, in whatever order the tries finish. */
export interface TryEvents {
  progress(index: number, fraction: number, message: string): void;
  finished(index: number, outcome: TryOutcome): void;
}

/**
 * What a search's tries are scored on, sent to each thread once: a table model's folds, built into its
 * matrices, or the network's training photos and folds.
 */
export type TrialData = { kind: 'table'; sets: FoldSets[] } | { kind: 'photos'; photos: PhotoTrials };

/** Messages a trial-scoring thread takes: the search's data once, then one try at a time. */
export type ToTrialThread =
  /** `backend`: the run's TensorFlow.js backend, for a model that computes on it; null for the others. */
  | { type: 'init'; nodeType: string; title: string; backend: string | null; data: TrialData }
  | { type: 'try'; index: number; params: Record<string, unknown> };

export type FromTrialThread =
  | { type: 'ready' }
  | { type: 'initFailed'; message: string }
  | { type: 'progress'; index: number; fraction: number; message: string }
  | { type: 'done'; index: number; scores: FoldScores }
  | { type: 'failed'; index: number; message: string };
