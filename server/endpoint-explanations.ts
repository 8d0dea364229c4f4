import type { Frame } from '../models/frame';
import type { Estimator } from '../models/estimator';
import { reasonsForRows } from '../nodes/lib/explanations';
import type { ModelValue } from '../nodes/values';
import { NodeInputError } from '../nodes/define';
import { formatCount, LIMITS } from '../models/limits';

/**
 * "See why" for the prediction API: `?explain=1` (or true/yes) in the address, or `"explain": true` in the
 * body, adds each answer's top three reasons. Only then: explaining costs more than predicting.
 */
export function explanationAsked(url: string | null, body: unknown): boolean {
  if ((body as { explain?: unknown } | null)?.explain === true) return true;
  if (!url) return false;
  const flag = new URL(url, 'http://localhost').searchParams.get('explain');
  return flag !== null && ['1', 'true', 'yes'].includes(flag.toLowerCase());
}

/** Each answer's reasons, in words ("age 67 raises the chance of “yes”"); an empty list for a row that was not scored. */
export function reasonsOfAnswers(model: ModelValue, estimator: Estimator, frame: Frame): string[][] {
  const limit = LIMITS.explain.requestRows;
  if (frame.rowCount > limit) {
    throw new NodeInputError(`This request asks for reasons on ${formatCount(frame.rowCount)} rows; the limit is ${formatCount(limit)} rows per request with explanations (send more requests, or leave out "explain").`);
  }
  return reasonsForRows(model, estimator, frame).reasons;
}
