import type { Matrix } from './frame';

/** What every estimator's fit accepts besides X and y. */
export interface FitOptions {
  /** Column names of X, kept to explain the model (coefficients, importances, rules). Default: x0, x1, … */
  featureNames?: string[];
  /** Number of classes for a classifier whose y holds class indices 0…classCount-1; default max(y)+1. A class may be absent from the training rows. */
  classCount?: number;
  /** Cancels the fit (checked between iterations); an aborted fit throws. */
  signal?: AbortSignal;
  /** Told the fraction done (0–1) with a line to show. */
  onProgress?: (fraction: number, message: string) => void;
}

/** The contract every trained model meets, as scikit-learn's: fit, predict, predictProba where it applies, JSON round-trip, dispose where native memory is held. */
export interface Estimator {
  fit(X: Matrix, y: Int32Array | Float64Array, options?: FitOptions): this | Promise<this>;
  predict(X: Matrix): Int32Array | Float64Array;
  predictProba?(X: Matrix): Float64Array;
  toJSON(): unknown;
  dispose?(): void;
}

/** The feature names a fit was given, or x0, x1, … (scikit-learn's default names) for X's columns. */
export function featureNamesOf(X: Pick<Matrix, 'cols'>, options: Pick<FitOptions, 'featureNames'>): string[] {
  return options.featureNames ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
}

/**
 * The class count a fit was given, or one more than the largest label. Labels are not checked
 * here: each estimator validates them against the count with its own wording.
 */
export function classCountOf(y: ArrayLike<number>, options: Pick<FitOptions, 'classCount'>): number {
  if (options.classCount !== undefined) return options.classCount;
  let highest = -1;
  for (let i = 0; i < y.length; i++) if (y[i] > highest) highest = y[i];
  return highest + 1;
}
