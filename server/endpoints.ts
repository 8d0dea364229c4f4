import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Column, Frame } from '../models/frame';
import { formatCount, LIMITS } from '../models/limits';
import { readModelFile } from '../nodes/data-model';
import { NodeInputError } from '../nodes/define';
import { predictColumns, refusePhotoModel } from '../nodes/lib/score-rows';
import type { Estimator } from '../models/estimator';
import { restoreEstimator } from '../models/estimators';
import type { ModelPreview } from '../nodes/preview';
import type { ModelValue } from '../nodes/values';
import type { Db } from '../db/client';
import { countEndpointRequest, getEndpoint, insertEndpoint, listEndpoints, revokeEndpoint, type EndpointRow } from '../db/endpoints';
import { getRun } from '../db/runs';
import type { Actor } from './auth/guard';
import { storedArtifacts } from './datasets';
import { ServiceError } from './errors';
import { logActivity } from './workspaces/activity';
import { canRevoke, requireRunsIn } from './workspaces/scope';
import { readBodyCapped, RequestLimitError } from './http/request-limits';
import { currentMinute } from './monitoring/recorder';
import { rememberPredictions } from './monitoring/prediction-log';
import { storedTrainingReference } from './monitoring/reference';
import { recordRefusal, recordScored, refusalReason } from './monitoring/traffic-minute';
import type { TrainingReference } from '../nodes/lib/training-reference';

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
  await revokeEndpoint(db, id);
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
  try {
    refusePhotoModel(readModelFile(storedArtifacts.read(preview.download.hash)).model, 'A prediction API for photos is not available yet.');
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
  });
  return { id, name: input.name, url: endpointUrl(id), token };
}

const loaded = new Map<string, { model: ModelValue; estimator: Estimator }>();

export function loadModel(endpoint: EndpointRow) {
  let entry = loaded.get(endpoint.modelHash);
  if (!entry) {
    const { model } = readModelFile(storedArtifacts.read(endpoint.modelHash));
    entry = { model, estimator: restoreEstimator(model.estimator) };
    loaded.set(endpoint.modelHash, entry);
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
  const booleanSpellings = new Map(inputs.map(({ name }) => [name, trainedBooleanSpellings(model, name)]));
  rows.forEach((row, i) => {
    for (const column of columns) {
      // Own keys only: a column named "toString" must not read the prototype's function.
      const value = Object.hasOwn(row, column.name) ? row[column.name] : undefined;
      const refuse = (expected: string) => new EndpointError(400, `Row ${i + 1}, column "${column.name}": expected ${expected}, got ${describeValue(value)}.`);
      if (column.type === 'number') column.values[i] = numberCell(value, refuse);
      else column.values[i] = textCell(value, booleanSpellings.get(column.name), refuse);
    }
  });
  return { columns, rowCount: rows.length };
}

function numberCell(value: unknown, refuse: (expected: string) => EndpointError): number {
  if (value == null) return NaN;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return NaN;
    const number = NUMBER_TEXT.test(text) ? Number(text) : NaN;
    if (Number.isFinite(number)) return number;
  }
  throw refuse('a number');
}

/** Numbers become the text training saw for them (a numeric column read as text, e.g. "3"); booleans only where training saw the words. */
function textCell(value: unknown, booleans: Map<string, string> | undefined, refuse: (expected: string) => EndpointError): string | null {
  if (value == null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const spelling = typeof value === 'boolean' ? booleans?.get(String(value)) : undefined;
  if (spelling !== undefined) return spelling;
  throw refuse('text');
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

/** Checks the bearer token and scores the rows with the published model and its fitted preprocessing. */
export async function predictWithEndpoint(db: Db, id: string, authorization: string | null, body: unknown, started = performance.now()) {
  const endpoint = await getEndpoint(db, id);
  if (!endpoint || endpoint.revokedAt !== null) throw new EndpointError(404, 'No published model at this address (it may have been unpublished).');
  const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '';
  const expected = Buffer.from(endpoint.tokenHash, 'hex');
  if (!token || !timingSafeEqual(hashToken(token), expected)) throw new EndpointError(401, 'Missing or wrong API token (send "Authorization: Bearer <token>").');
  const rows = requestRows(body);
  const { model, estimator } = loadModel(endpoint);
  const frame = rowsToFrame(model, rows);
  let columns: Column[];
  try {
    columns = predictColumns(model, frame, estimator).columns;
  } catch (error) {
    if (error instanceof NodeInputError) throw new EndpointError(400, error.message);
    throw error;
  }
  recordScored(currentMinute(db, id), endpoint.trainingReference as TrainingReference | null, frame, columns, performance.now() - started);
  await countEndpointRequest(db, id);
  const predictionIds = rememberPredictions(db, id, columns, frame.rowCount);
  const predictions = Array.from({ length: frame.rowCount }, (_, i) => Object.fromEntries([['predictionId', predictionIds[i]], ...columns.map((c) => [c.name, cellValue(c, i)])]));
  return { model: endpoint.modelTitle, target: model.target, predictions };
}

/** Answers a prediction request, counting it (latency, refusal reason, scored values) for the endpoint's monitoring. */
export async function servePrediction(db: Db, id: string, request: Request) {
  const started = performance.now();
  try {
    return await predictWithEndpoint(db, id, request.headers.get('authorization'), await readPredictBody(request), started);
  } catch (error) {
    // Unknown addresses (404) are not counted: there is no published model to count them for.
    if (error instanceof EndpointError && error.status !== 404 && (await getEndpoint(db, id))) {
      recordRefusal(currentMinute(db, id), refusalReason(error.status, error.message), performance.now() - started);
    }
    throw error;
  }
}

/** The body of a prediction request as JSON, read no further than `LIMITS.http.predictBodyBytes` whatever Content-Length says. */
export async function readPredictBody(request: Request): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readBodyCapped(request, LIMITS.http.predictBodyBytes, 'This request body');
  } catch (error) {
    if (error instanceof RequestLimitError) throw new EndpointError(error.status, error.message);
    throw new EndpointError(400, 'The request body could not be read.');
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new EndpointError(400, 'The request body is not JSON.');
  }
}

function cellValue(column: Column, row: number): string | number | null {
  const value = column.values[row];
  return typeof value === 'number' && Number.isNaN(value) ? null : value;
}

/** The live endpoint at this address whose bearer token matches; refused with 404 or 401 otherwise. */
export async function endpointForToken(db: Db, id: string, authorization: string | null): Promise<EndpointRow> {
  const endpoint = await getEndpoint(db, id);
  if (!endpoint || endpoint.revokedAt !== null) throw new EndpointError(404, 'No published model at this address (it may have been unpublished).');
  const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '';
  if (!token || !timingSafeEqual(hashToken(token), Buffer.from(endpoint.tokenHash, 'hex'))) {
    throw new EndpointError(401, 'Missing or wrong API token (send "Authorization: Bearer <token>").');
  }
  return endpoint;
}
