import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Column, Frame } from '../models/frame';
import { readModelFile } from '../nodes/data-model';
import { NodeInputError } from '../nodes/define';
import { predictColumns, refusePhotoModel } from '../nodes/lib/score-rows';
import { restoreEstimator, type Estimator } from '../nodes/lib/trainers';
import type { ModelPreview } from '../nodes/preview';
import type { ModelValue } from '../nodes/values';
import type { Db } from '../db/client';
import { countEndpointRequest, getEndpoint, insertEndpoint, type EndpointRow } from '../db/endpoints';
import { getRun } from '../db/runs';
import { storedArtifacts } from './datasets';

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

/** Publishes the model a run's node trained. The token is returned once and only its hash is stored. */
export function publishEndpoint(db: Db, input: { runId: string; nodeId: string; name: string; workspaceId: string | null; createdBy: string | null }) {
  const run = getRun(db, input.runId);
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
  insertEndpoint(db, {
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
  });
  return { id, name: input.name, url: endpointUrl(id), token };
}

const loaded = new Map<string, { model: ModelValue; estimator: Estimator }>();

function loadModel(endpoint: EndpointRow) {
  let entry = loaded.get(endpoint.modelHash);
  if (!entry) {
    const { model } = readModelFile(storedArtifacts.read(endpoint.modelHash));
    entry = { model, estimator: restoreEstimator(model.estimator) };
    loaded.set(endpoint.modelHash, entry);
  }
  return entry;
}

/** JSON rows → a frame with the column types the model was trained on. */
function rowsToFrame(model: ModelValue, rows: Record<string, unknown>[]): Frame {
  const columns: Column[] = model.preprocessing.inputColumns
    .filter((c) => c.name !== model.target)
    .map(({ name, type }) => {
      if (rows.every((row) => !(name in row))) throw new EndpointError(400, `Every row needs the field "${name}".`);
      if (type === 'category') return { name, type, values: rows.map((row) => (row[name] == null || row[name] === '' ? null : String(row[name]))) };
      const values = Float64Array.from(rows, (row, i) => {
        const value = row[name];
        if (value == null || value === '') return NaN;
        const number = typeof value === 'number' ? value : Number(value);
        if (!Number.isFinite(number)) throw new EndpointError(400, `Row ${i + 1}: "${name}" must be a number, got ${JSON.stringify(value)}.`);
        return number;
      });
      return { name, type, values };
    });
  return { columns, rowCount: rows.length };
}

/** Checks the bearer token and scores the rows with the published model and its fitted preprocessing. */
export function predictWithEndpoint(db: Db, id: string, authorization: string | null, body: unknown) {
  const endpoint = getEndpoint(db, id);
  if (!endpoint || endpoint.revokedAt !== null) throw new EndpointError(404, 'No published model at this address (it may have been unpublished).');
  const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '';
  const expected = Buffer.from(endpoint.tokenHash, 'hex');
  if (!token || !timingSafeEqual(hashToken(token), expected)) throw new EndpointError(401, 'Missing or wrong API token (send "Authorization: Bearer <token>").');
  const rows = (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    throw new EndpointError(400, 'Send JSON like {"rows": [{"column": value, ...}, ...]}.');
  }
  const { model, estimator } = loadModel(endpoint);
  let columns: Column[];
  try {
    columns = predictColumns(model, rowsToFrame(model, rows as Record<string, unknown>[]), estimator).columns;
  } catch (error) {
    if (error instanceof NodeInputError) throw new EndpointError(400, error.message);
    throw error;
  }
  countEndpointRequest(db, id);
  const predictions = rows.map((_, i) => Object.fromEntries(columns.map((c) => [c.name, cellValue(c, i)])));
  return { model: endpoint.modelTitle, target: model.target, predictions };
}

function cellValue(column: Column, row: number): string | number | null {
  const value = column.values[row];
  return typeof value === 'number' && Number.isNaN(value) ? null : value;
}
