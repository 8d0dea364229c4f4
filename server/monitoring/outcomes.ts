import type { Db } from '../../db/client';
import { predictionsByIds, saveOutcomes, type PredictionRow, type ScoredOutcome } from '../../db/endpoint-predictions';
import { getEndpoint, type ServingEndpoint } from '../../db/endpoints';
import { formatCount, LIMITS } from '../../models/limits';
import type { ModelValue } from '../../nodes/values';
import type { Actor } from '../auth/guard';
import { authorizedEndpoint, EndpointError, loadModel, readEndpointBody } from '../endpoints';
import { ServiceError } from '../errors';
import { isCsvType, outcomesFromCsv, outcomesFromJson, OutcomeInputError, type OutcomeEntry } from './outcome-input';
import { flushPredictions } from './prediction-log';

/**
 * Real outcomes posted for answered predictions. A post is taken entry by entry: the good ones are recorded,
 * each bad one is refused with its reason (unknown id, wrong type, duplicate), and the answer lists both.
 * Only when nothing could be recorded is the answer a 4xx, its status that of the refusals (404 unknown ids,
 * 409 duplicates, 400 wrong types or a mix).
 */
export type RefusalKind = 'unknown' | 'type' | 'duplicate';

export interface RefusedOutcome {
  /** "Line 4" (CSV) or "Outcome 2" (JSON). */
  where: string;
  predictionId: string | null;
  kind: RefusalKind;
  error: string;
}

export interface OutcomeSummary {
  accepted: number;
  refusedCount: number;
  /** The first refusals, with their reasons (at most REFUSALS_LISTED). */
  refused: RefusedOutcome[];
  message: string;
}

/** Refusals listed in an answer; the count says how many there were in all. */
export const REFUSALS_LISTED = 100;
const MAX_ID_LENGTH = 100;
// Plain decimal notation, as the CSV reader and the prediction API read numbers.
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A JSON value in words for an error; text is quoted and shortened. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const quoteList = (labels: string[]) => labels.slice(0, 10).map((l) => JSON.stringify(l)).join(', ') + (labels.length > 10 ? ', …' : '');

/** The actual value in the model's terms (a label it knows, or a number), or the reason it is not one. */
export function readActual(model: Pick<ModelValue, 'task' | 'classes'>, actual: unknown): { value: string | number } | { error: string } {
  if (actual === undefined || actual === null || actual === '') return { error: 'has no actual value' };
  if (model.task === 'regression') {
    if (typeof actual === 'number' && Number.isFinite(actual)) return { value: actual };
    if (typeof actual === 'string' && NUMBER_TEXT.test(actual.trim())) return { value: Number(actual.trim()) };
    return { error: `actual should be a number, got ${describe(actual)}` };
  }
  const labels = model.classes;
  // A number or true/false counts only where the model's labels are spelled that way ("1", "TRUE").
  const spelled =
    typeof actual === 'string'
      ? actual
      : typeof actual === 'number' && Number.isFinite(actual)
        ? String(actual)
        : typeof actual === 'boolean'
          ? labels.find((label) => label.toLowerCase() === String(actual))
          : undefined;
  if (spelled !== undefined && labels.includes(spelled)) return { value: spelled };
  if (typeof actual === 'string') return { error: `actual ${describe(actual)} is not a label this model knows (it knows ${quoteList(labels)})` };
  return { error: `actual should be one of the labels ${quoteList(labels)}, got ${describe(actual)}` };
}

interface Checked {
  entry: OutcomeEntry;
  predictionId: string;
  actual: string | number;
}

/** Each entry's id and actual value checked, and repeated ids in the post refused after their first time. */
function checkEntries(model: ModelValue, entries: OutcomeEntry[], refuse: (r: RefusedOutcome) => void): Checked[] {
  const firstSeen = new Map<string, string>();
  const checked: Checked[] = [];
  for (const entry of entries) {
    const { predictionId } = entry;
    if (typeof predictionId !== 'string' || predictionId.trim() === '' || predictionId.length > MAX_ID_LENGTH) {
      refuse({ where: entry.where, predictionId: null, kind: 'type', error: `${entry.where}: predictionId should be the id returned with the prediction (text), got ${describe(predictionId)}.` });
      continue;
    }
    const id = predictionId.trim();
    const actual = readActual(model, entry.actual);
    if ('error' in actual) {
      refuse({ where: entry.where, predictionId: id, kind: 'type', error: `${entry.where}, prediction "${id}": ${actual.error}.` });
      continue;
    }
    const earlier = firstSeen.get(id);
    if (earlier) {
      refuse({ where: entry.where, predictionId: id, kind: 'duplicate', error: `${entry.where}: prediction "${id}" already has an outcome in this post (${earlier}).` });
      continue;
    }
    firstSeen.set(id, entry.where);
    checked.push({ entry, predictionId: id, actual: actual.value });
  }
  return checked;
}

function scored(row: PredictionRow, actual: string | number): ScoredOutcome {
  const absoluteError = typeof actual === 'number' && row.predictedValue !== null ? Math.abs(actual - row.predictedValue) : 0;
  return { predictionId: row.predictionId, actual: String(actual), minute: row.minute, correct: row.predictedLabel === actual, absoluteError };
}

/** Checks, matches and records a post's outcomes for an endpoint; never throws for a bad entry. */
export async function recordOutcomes(db: Db, endpoint: ServingEndpoint, entries: OutcomeEntry[], now = Date.now()): Promise<OutcomeSummary> {
  const { model } = await loadModel(db, endpoint);
  const refusals: RefusedOutcome[] = [];
  const refuse = (refusal: RefusedOutcome) => refusals.push(refusal);
  const checked = checkEntries(model, entries, refuse);
  // Ids answered a moment ago may still wait in this process's queue.
  await flushPredictions(now);
  const stored = new Map((await predictionsByIds(db, endpoint.id, checked.map((c) => c.predictionId))).map((row) => [row.predictionId, row]));
  const toSave: ScoredOutcome[] = [];
  const saving: Checked[] = [];
  const alreadyPosted = (c: Checked) =>
    refuse({ where: c.entry.where, predictionId: c.predictionId, kind: 'duplicate', error: `${c.entry.where}: an outcome for prediction "${c.predictionId}" was already posted.` });
  for (const c of checked) {
    const row = stored.get(c.predictionId);
    if (!row) {
      refuse({
        where: c.entry.where,
        predictionId: c.predictionId,
        kind: 'unknown',
        error: `${c.entry.where}: unknown prediction id "${c.predictionId}" (no answer of this API had it, or it is older than 30 days).`,
      });
    } else if (row.outcomeAt !== null) alreadyPosted(c);
    else {
      toSave.push(scored(row, c.actual));
      saving.push(c);
    }
  }
  const { written } = toSave.length ? await saveOutcomes(db, endpoint.id, toSave, now) : { written: new Set<string>() };
  // Posted by another request between the read and the write.
  for (const c of saving) if (!written.has(c.predictionId)) alreadyPosted(c);
  return summarize(written.size, refusals);
}

function summarize(accepted: number, refusals: RefusedOutcome[]): OutcomeSummary {
  const order = (where: string) => Number(where.replace(/\D+/g, ''));
  refusals.sort((a, b) => order(a.where) - order(b.where));
  const total = accepted + refusals.length;
  const message =
    refusals.length === 0
      ? `Recorded ${formatCount(accepted)} outcome${accepted === 1 ? '' : 's'}.`
      : accepted === 0
        ? `No outcome was recorded: ${refusals.length === 1 ? refusals[0].error : `all ${formatCount(total)} were refused, first ${refusals[0].error}`}`
        : `Recorded ${formatCount(accepted)} of ${formatCount(total)} outcomes; ${formatCount(refusals.length)} ${refusals.length === 1 ? 'was' : 'were'} refused (see "refused"). Fix those and post them again; the recorded ones stay recorded.`;
  return { accepted, refusedCount: refusals.length, refused: refusals.slice(0, REFUSALS_LISTED), message };
}

/** The status of an answer in which nothing was recorded: the refusals' one kind, or 400 for a mix. */
export function refusalStatus(summary: OutcomeSummary): 400 | 404 | 409 {
  const kinds = new Set(summary.refused.map((r) => r.kind));
  if (kinds.size === 1 && kinds.has('unknown')) return 404;
  if (kinds.size === 1 && kinds.has('duplicate')) return 409;
  return 400;
}

/** The entries of a post to the outcomes route: a CSV by its Content-Type, JSON otherwise. */
async function readOutcomeEntries(request: Request): Promise<OutcomeEntry[]> {
  const bytes = await readEndpointBody(request, LIMITS.http.outcomesBodyBytes);
  try {
    if (isCsvType(request.headers.get('content-type'))) return outcomesFromCsv(bytes);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new OutcomeInputError(400, 'The request body is not JSON (send Content-Type: text/csv for a CSV file).');
    }
    return outcomesFromJson(body);
  } catch (error) {
    if (error instanceof OutcomeInputError) throw new EndpointError(error.status, error.message);
    throw error;
  }
}

/** POST /api/predict/<id>/outcomes: the bearer token of the prediction API, then the outcomes. */
export async function serveOutcomes(db: Db, id: string, request: Request): Promise<{ status: number; body: OutcomeSummary & { error?: string } }> {
  const endpoint = await authorizedEndpoint(db, id, request.headers.get('authorization'));
  const summary = await recordOutcomes(db, endpoint, await readOutcomeEntries(request));
  if (summary.accepted === 0) return { status: refusalStatus(summary), body: { error: summary.message, ...summary } };
  return { status: 200, body: summary };
}

/** A CSV of outcomes uploaded on the monitoring view by a member of the API's workspace (editors, by the procedure). */
export async function recordOutcomeFileFor(db: Db, actor: Actor, endpointId: string, csv: string): Promise<OutcomeSummary> {
  const endpoint = await getEndpoint(db, endpointId);
  if (!endpoint || endpoint.workspaceId !== actor.workspaceId) throw new ServiceError('NOT_FOUND', 'This prediction API was not found.');
  let entries: OutcomeEntry[];
  try {
    entries = outcomesFromCsv(new TextEncoder().encode(csv));
  } catch (error) {
    if (error instanceof OutcomeInputError) throw new ServiceError('BAD_REQUEST', error.message);
    throw error;
  }
  return recordOutcomes(db, endpoint, entries);
}
