import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Column, Frame } from '../models/frame';
import { formatCount, LIMITS } from '../models/limits';
import { readModelFile } from '../nodes/data-model';
import { NodeInputError } from '../nodes/define';
import { predictColumnsInParts } from '../nodes/lib/score-rows';
import { photoInputOf } from '../nodes/lib/photo-scoring';
import type { Estimator } from '../models/estimator';
import { restoreEstimator } from '../models/estimators';
import type { ModelPreview } from '../nodes/preview';
import type { ModelValue } from '../nodes/values';
import type { Db } from '../db/client';
import { endpointTrainingReference, getEndpoint, getServingEndpoint, insertEndpoint, listEndpoints, type ServingEndpoint } from '../db/endpoints';
import { getRun } from '../db/runs';
import type { Actor } from './auth/guard';
import { storedArtifacts } from './datasets';
import { ServiceError } from './errors';
import { logActivity } from './workspaces/activity';
import { canRevoke, requireRunsIn } from './workspaces/scope';
import { readBodyCapped, RequestLimitError } from './http/request-limits';
import { apiRequestRefusal, withApiHeaders } from './http/api-guard';
import { countAnsweredRequest, currentMinute } from './monitoring/recorder';
import { revokeServingEndpoint, servingEndpoint } from './serving-endpoints';
import { rememberPredictions } from './monitoring/prediction-log';
import { storedTrainingReference } from './monitoring/reference';
import { recordRefusal, recordScored, refusalReason } from './monitoring/traffic-minute';
import type { TrainingReference } from '../nodes/lib/training-reference';
import { explanationAsked, reasonsOfAnswers } from './endpoint-explanations';

/** A request the endpoint refuses, with the HTTP status to answer. */
export class EndpointError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export function endpointUrl(id: string): string {
  return `/api/predict/${id}`;
}

/** The workspace's prediction APIs as its members see them: no token hash, no model file, and whether they may unpublish each. */
export async function endpointsOf(db: Db, actor: Actor) {
  return (await listEndpoints(db, actor.workspaceId)).map(({ tokenHash: _secret, modelHash: _file, workspaceId: _workspace, trainingReference: _profile, ...endpoint }) => ({
    ...endpoint,
    url: endpointUrl(endpoint.id),
    canUnpublish: canRevoke(actor, endpoint.createdBy),
  }));
}

/** Turns off a prediction API of the actor's workspace: its publisher or an owner may. */
export async function unpublishEndpoint(db: Db, actor: Actor, id: string): Promise<void> {
  const endpoint = await getEndpoint(db, id);
  if (!endpoint || endpoint.workspaceId !== actor.workspaceId) throw new ServiceError('NOT_FOUND', 'This prediction API was not found.');
  if (!canRevoke(actor, endpoint.createdBy)) {
    throw new ServiceError('FORBIDDEN', 'Only the person who published this API or a workspace owner can unpublish it.');
  }
  await revokeServingEndpoint(db, id);
  await logActivity(db, actor, { action: 'unpublished', subjectType: 'prediction API', subjectId: id, subjectName: endpoint.name });
}

/** Publishes, as the actor, the model a run of their workspace trained, and logs it. */
export async function publishEndpointFor(db: Db, actor: Actor, input: { runId: string; nodeId: string; name: string }) {
  await requireRunsIn(db, actor, [input.runId]);
  try {
    const published = await publishEndpoint(db, { ...input, workspaceId: actor.workspaceId, createdBy: actor.userId });
    await logActivity(db, actor, { action: 'published', subjectType: 'prediction API', subjectId: published.id, subjectName: input.name });
    return published;
  } catch (error) {
    // Publishing refuses with 400 (a model it cannot serve) or 404 (no trained model there).
    if (error instanceof EndpointError) throw new ServiceError(error.status === 400 ? 'BAD_REQUEST' : 'NOT_FOUND', error.message);
    throw error;
  }
}

/** Publishes the model a run's node trained. The token is returned once and only its hash is stored. */
export async function publishEndpoint(db: Db, input: { runId: string; nodeId: string; name: string; workspaceId: string | null; createdBy: string | null }) {
  const run = await getRun(db, input.runId);
  const preview = run?.nodes[input.nodeId]?.preview as ModelPreview | null | undefined;
  if (!run || preview?.kind !== 'model' || !preview.download) {
    throw new EndpointError(404, 'That run has no trained model at this step; run the pipeline first.');
  }
  let photoInput;
  try {
    // A photo model keeps what photos it takes; its API answers photos (server/photo-endpoints.ts).
    photoInput = photoInputOf(readModelFile(storedArtifacts.read(preview.download.hash)).model);
  } catch (error) {
    throw new EndpointError(400, (error as Error).message);
  }
  const token = randomBytes(24).toString('base64url');
  const id = randomUUID();
  await insertEndpoint(db, {
    id,
    name: input.name,
    runId: input.runId,
    nodeId: input.nodeId,
    modelHash: preview.download.hash,
    modelTitle: preview.model,
    tokenHash: hashToken(token).toString('hex'),
    createdAt: Date.now(),
    workspaceId: input.workspaceId,
    createdBy: input.createdBy,
    trainingReference: storedTrainingReference(preview.trainingReference?.hash),
    photoInput,
  });
  return { id, name: input.name, url: endpointUrl(id), token, photoInput };
}

const loaded = new Map<string, { model: ModelValue; estimator: Estimator; reference: TrainingReference | null }>();

/** The endpoint's model, rebuilt, and its training profile, parsed: read once per endpoint and model, not per request. */
export async function loadModel(db: Db, endpoint: ServingEndpoint) {
  const key = `${endpoint.id}:${endpoint.modelHash}`;
  let entry = loaded.get(key);
  if (!entry) {
    const { model } = readModelFile(storedArtifacts.read(endpoint.modelHash));
    const reference = (await endpointTrainingReference(db, endpoint.id)) as TrainingReference | null;
    entry = { model, estimator: restoreEstimator(model.estimator), reference };
    loaded.set(key, entry);
  }
  return entry;
}

/** The rows of a request body, once its shape and size are right; their values are checked against the model later. */
function requestRows(body: unknown): Record<string, unknown>[] {
  const rows = (body as { rows?: unknown } | null)?.rows;
  const shapeAdvice = 'Send JSON like {"rows": [{"column": value, ...}, ...]}.';
  if (!Array.isArray(rows) || rows.length === 0) throw new EndpointError(400, shapeAdvice);
  const limit = LIMITS.predict.rows;
  if (rows.length > limit) {
    throw new EndpointError(413, `This request has ${formatCount(rows.length)} rows; the limit is ${formatCount(limit)} rows per request.`);
  }
  // A for loop rather than every(): every() skips the holes of a sparse array.
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new EndpointError(400, `Row ${i + 1} is not an object. ${shapeAdvice}`);
  }
  return rows as Record<string, unknown>[];
}

// Plain decimal notation, as the CSV reader reads numbers: Number() would also take hex, "Infinity" and blanks.
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** JSON rows → a frame with the column types the model was trained on; a value of another kind is refused, never guessed. */
function rowsToFrame(model: ModelValue, rows: Record<string, unknown>[]): Frame {
  const inputs = model.preprocessing.inputColumns.filter((c) => c.name !== model.target);
  for (const { name } of inputs) {
    if (rows.every((row) => !Object.hasOwn(row, name))) throw new EndpointError(400, `Every row needs the field "${name}".`);
  }
  const columns: Column[] = inputs.map(({ name, type }) =>
    type === 'number' ? { name, type, values: new Float64Array(rows.length) } : { name, type, values: new Array<string | null>(rows.length) },
  );
  const booleanSpellings = columns.map(({ name }) => trainedBooleanSpellings(model, name));
  // Row by row, so that the first bad cell reported is the same as before; no closure per cell (it cost ~10% of a request).
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      // Own keys only: a column named "toString" must not read the prototype's function.
      const value = Object.hasOwn(row, column.name) ? row[column.name] : undefined;
      const cell = column.type === 'number' ? numberCell(value) : textCell(value, booleanSpellings[c]);
      if (cell === REFUSED) {
        throw new EndpointError(400, `Row ${i + 1}, column "${column.name}": expected ${column.type === 'number' ? 'a number' : 'text'}, got ${describeValue(value)}.`);
      }
      column.values[i] = cell;
    }
  }
  return { columns, rowCount: rows.length };
}

/** What numberCell and textCell answer for a value of the wrong kind. */
const REFUSED = Symbol('refused');

function numberCell(value: unknown): number | typeof REFUSED {
  if (value == null) return NaN;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return NaN;
    const number = NUMBER_TEXT.test(text) ? Number(text) : NaN;
    if (Number.isFinite(number)) return number;
  }
  return REFUSED;
}

/** Numbers become the text training saw for them (a numeric column read as text, e.g. "3"); booleans only where training saw the words. */
function textCell(value: unknown, booleans: Map<string, string> | undefined): string | null | typeof REFUSED {
  if (value == null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const spelling = typeof value === 'boolean' ? booleans?.get(String(value)) : undefined;
  if (spelling !== undefined) return spelling;
  return REFUSED;
}

/**
 * A text column whose one-hot encoding learned only the words true and false (in any case, e.g. "TRUE"
 * from a spreadsheet) takes JSON true/false, spelled as in training. Any other text column refuses them,
 * since no boolean spelling is known to match what the model saw.
 */
function trainedBooleanSpellings(model: ModelValue, column: string): Map<string, string> | undefined {
  for (const step of model.preprocessing.steps) {
    if (step.spec.kind !== 'oneHot') continue;
    const encodings = (step.state as { encodings?: { column: string; categories: string[] }[] }).encodings ?? [];
    const categories = encodings.find((e) => e.column === column)?.categories;
    if (!categories?.length || !categories.every((c) => c.toLowerCase() === 'true' || c.toLowerCase() === 'false')) continue;
    return new Map(['true', 'false'].map((word) => [word, categories.find((c) => c.toLowerCase() === word) ?? word]));
  }
  return undefined;
}

/** The kind of a JSON value in words; text is quoted and shortened, since it is echoed back in the answer. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The live endpoint at `id`, once the bearer token matches its stored hash. */
export async function authorizedEndpoint(db: Db, id: string, authorization: string | null): Promise<ServingEndpoint> {
  return authorize(await getServingEndpoint(db, id), authorization);
}

/** The endpoint already read, once it is live and the bearer token matches its stored hash. */
export function authorize(endpoint: ServingEndpoint | undefined, authorization: string | null): ServingEndpoint {
  if (!endpoint || endpoint.revokedAt !== null) throw new EndpointError(404, 'No published model at this address (it may have been unpublished).');
  const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '';
  const expected = Buffer.from(endpoint.tokenHash, 'hex');
  if (!token || !timingSafeEqual(hashToken(token), expected)) throw new EndpointError(401, 'Missing or wrong API token (send "Authorization: Bearer <token>").');
  return endpoint;
}

/** Checks the bearer token and scores the rows with the published model and its fitted preprocessing. */
export async function predictWithEndpoint(db: Db, id: string, authorization: string | null, body: unknown, started = performance.now(), options: { explain?: boolean } = {}) {
  return predictRows(db, await authorizedEndpoint(db, id, authorization), body, started, options);
}

/** Scores the rows of a request to an endpoint whose token was checked, counting them for its monitoring. */
async function predictRows(db: Db, endpoint: ServingEndpoint, body: unknown, started: number, options: { explain?: boolean }) {
  const id = endpoint.id;
  const rows = requestRows(body);
  const { model, estimator, reference } = await loadModel(db, endpoint);
  refuseLargeAnswer(model, rows.length);
  const frame = rowsToFrame(model, rows);
  let columns: Column[];
  let reasons: string[][] | null = null;
  try {
    columns = predictColumnsInParts(model, frame, estimator, LIMITS.predict.scoredRowsAtOnce);
    if (options.explain || explanationAsked(null, body)) reasons = reasonsOfAnswers(model, estimator, frame);
  } catch (error) {
    if (error instanceof NodeInputError) throw new EndpointError(400, error.message);
    throw error;
  }
  recordScored(currentMinute(db, id), reference, frame, columns, performance.now() - started);
  countAnsweredRequest(db, id);
  const predictionIds = rememberPredictions(db, id, columns, frame.rowCount);
  return { model: endpoint.modelTitle, target: model.target, predictions: answerObjects(predictionIds, columns, reasons) };
}

/** An answer's values a row: its id, the prediction and, for a classifier, each class's probability. */
export function refuseLargeAnswer(model: Pick<ModelValue, 'task' | 'classes'>, rowCount: number): void {
  const perRow = 2 + (model.task === 'classification' ? model.classes.length : 0);
  const limit = LIMITS.predict.answerValues;
  if (rowCount * perRow <= limit) return;
  throw new EndpointError(
    413,
    `This request has ${formatCount(rowCount)} rows and this model answers ${formatCount(perRow)} values a row (its id, the prediction and each of its ${formatCount(model.classes.length)} classes' probability); ` +
      `the limit is ${formatCount(limit)} values per answer, so at most ${formatCount(Math.floor(limit / perRow))} rows per request.`,
  );
}

type Answer = Record<string, string | number | null | string[]>;

/**
 * One object a row: its prediction id, then each column's value (NaN as null), then its reasons if asked.
 * Filled column by column with plain property definitions, so every row's object shares one shape; building
 * them with Object.fromEntries cost about a tenth of a request.
 */
function answerObjects(predictionIds: (string | null)[], columns: Column[], reasons: string[][] | null): Answer[] {
  const answers: Answer[] = new Array(predictionIds.length);
  for (let i = 0; i < answers.length; i++) answers[i] = { predictionId: predictionIds[i] };
  const fields: [string, (i: number) => Answer[string]][] = columns.map((column) => [column.name, (i: number) => cellValue(column, i)]);
  if (reasons) fields.push(['reasons', (i: number) => reasons[i]]);
  for (const [name, valueOf] of fields) {
    // Defined, not assigned: a column called "__proto__" stays an ordinary field, as Object.fromEntries made it.
    if (name === '__proto__') for (let i = 0; i < answers.length; i++) Object.defineProperty(answers[i], name, { value: valueOf(i), enumerable: true, writable: true, configurable: true });
    else for (let i = 0; i < answers.length; i++) answers[i][name] = valueOf(i);
  }
  return answers;
}

/**
 * Answers a prediction request, counting it (latency, refusal reason, scored values) for the endpoint's monitoring.
 * `endpoint` is the row when the caller has read it already (null: no endpoint there), so it is read once a request.
 */
export async function servePrediction(db: Db, id: string, request: Request, endpoint?: ServingEndpoint | null) {
  const started = performance.now();
  const found = endpoint === undefined ? await servingEndpoint(db, id) : endpoint;
  try {
    const body = await readPredictBody(request);
    return await predictRows(db, authorize(found ?? undefined, request.headers.get('authorization')), body, started, { explain: explanationAsked(request.url, body) });
  } catch (error) {
    // Unknown addresses (404) are not counted: there is no published model to count them for.
    if (error instanceof EndpointError && error.status !== 404 && found) {
      recordRefusal(currentMinute(db, id), refusalReason(error.status, error.message), performance.now() - started);
    }
    throw error;
  }
}

/** The body of a request to a prediction API (rows, photos or outcomes), read no further than `limit` whatever Content-Length says. */
export async function readEndpointBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await readBodyCapped(request, limit, 'This request body');
  } catch (error) {
    if (error instanceof RequestLimitError) throw new EndpointError(error.status, error.message);
    throw new EndpointError(400, 'The request body could not be read.');
  }
}

/** The body of a prediction request as JSON, read no further than `LIMITS.http.predictBodyBytes`. */
export async function readPredictBody(request: Request): Promise<unknown> {
  const bytes = await readEndpointBody(request, LIMITS.http.predictBodyBytes);
  try {
    return JSON.parse(utf8Text(bytes));
  } catch {
    throw new EndpointError(400, 'The request body is not JSON.');
  }
}

/**
 * The body's text as TextDecoder gives it (a leading byte order mark dropped, bad bytes as U+FFFD), through
 * Buffer's decoder, which took a quarter of the time on a 240 KB body of a thousand rows.
 */
function utf8Text(bytes: Uint8Array): string {
  const hasByteOrderMark = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', hasByteOrderMark ? 3 : 0);
}

function cellValue(column: Column, row: number): string | number | null {
  const value = column.values[row];
  return typeof value === 'number' && Number.isNaN(value) ? null : value;
}


/**
 * Answers a request to a prediction API's route once it passes the API guard: a refusal the request caused
 * (an EndpointError) becomes its 4xx answer; anything else is a server fault and stays a 500.
 */
export async function answerEndpointRequest(request: Request, answer: () => Promise<{ status: number; body: unknown }>): Promise<Response> {
  const refusal = apiRequestRefusal(request);
  if (refusal) return refusal;
  try {
    const { status, body } = await answer();
    return withApiHeaders(jsonAnswer(body, status));
  } catch (error) {
    if (error instanceof EndpointError) return withApiHeaders(jsonAnswer({ error: error.message }, error.status));
    throw error;
  }
}

/** The size under which an answer is sent as it is: that of the compression library Next uses. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * A JSON answer. Next gzips a route's answer whatever its size (it streams it, so its compression library
 * never learns the length it skips small bodies by); below that library's threshold, `no-transform` tells
 * it not to: gzip of a one-row answer costs the server and the client more time than the bytes it saves.
 */
function jsonAnswer(body: unknown, status: number): Response {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (text.length < COMPRESS_FROM_BYTES) headers['cache-control'] = 'no-transform';
  return new Response(text, { status, headers });
}
