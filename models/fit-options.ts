/**
 * What every estimator's `fit(X, y, …, options)` accepts: a signal that cancels the fit (checked between
 * iterations; an aborted fit throws) and a callback told the fraction done (0–1) with a line to show.
 */
export interface FitOptions {
  onProgress?: (fraction: number, message: string) => void;
  signal?: AbortSignal;
}
