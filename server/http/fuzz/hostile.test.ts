/**
 * Every way in, tried as an attacker would (property-based, fast-check): graph JSON (validate and run),
 * CSV, Parquet, zip and model uploads, pipeline import, prediction API rows (with explanations), photos, outcomes and monitoring, URL paths and query strings. Each
 * answer must be 2xx or a 4xx with a plain message, never a 5xx; afterwards the app still answers, the
 * database passes integrity_check, and nothing was written outside the data directory.
 * `npm test` runs FUZZ_RUNS (default 200) cases per entry point with a new seed each time; `npm run fuzz`
 * runs 10,000 and writes the counts to FUZZ_REPORT.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { fc } from '@fast-check/vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun } from '../../../db/runs';
import { tables } from '../../../db/schema';
import { buildZip } from '../../../models/images/test-zip';
import type { ModelPreview } from '../../../nodes/preview';
import { customerRows, graph, uploadCsv } from '../../../nodes/test-harness';
import { readCsv } from '../../../nodes/lib/csv';
import { storedArtifacts } from '../../datasets';
import { predictWithEndpoint, publishEndpoint } from '../../endpoints';
import { InProcessExecutor } from '../../runs/in-process';
import { startRun } from '../../runs/service';
import { findTemplate } from '../../templates';
import { exportPipelineFile } from '../../teams/service';
import { savePipeline } from '../../../db/pipelines';
import { deepJsonText, hostileCsv, hostileJson, hostileText, hostileUrl, mutatedBytes, mutatedJson } from './arbitraries';
import { startTestApp, type TestApp } from './test-app';

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** Per entry point: generous, since an upload's check takes a few milliseconds in a worker thread. */
const TIMEOUT_MS = Math.max(60_000, FUZZ_RUNS * 150);
const tally: Record<string, { cases: number; fiveHundreds: number; byStatus: Record<number, number> }> = {};

let app: TestApp;
let modelFile: Uint8Array;
let exportText: string;
let endpoint: { id: string; token: string };
let photoEndpoint: { id: string; token: string };
let samplePhoto: Uint8Array;
/** Ids of rows the published model answered, for outcomes to name. */
let predictionIds: string[];
/** The same model published in the owner's workspace, for the upload of outcomes on the monitoring view. */
let ownEndpointId: string;

beforeAll(async () => {
  app = await startTestApp();
  const dataset = await uploadCsv(app.db, 'customers.csv', customerRows(200));
  const trained = graph(
    {
      data: ['data.csv', { dataset, target: 'bought' }],
      encode: ['prep.oneHot'],
      split: ['prep.split', { testFraction: 0.25, seed: 3 }],
      logistic: ['model.logisticRegression'],
    },
    ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> logistic.data'],
  );
  const { runId, done } = await startRun(app.db, new InProcessExecutor(), { graph: trained, pipelineId: null, label: 'fuzz', origin: 'cli', workspaceId: null, startedBy: null });
  await done;
  const preview = (await getRun(app.db, runId))!.nodes.logistic.preview as ModelPreview;
  modelFile = storedArtifacts.read(preview.download!.hash);
  endpoint = await publishEndpoint(app.db, { runId, nodeId: 'logistic', name: 'Who buys', workspaceId: null, createdBy: null });
  const photos = graph(
    {
      photos: ['data.images', { source: 'sample', sample: 'fashion-products' }],
      prepare: ['prep.image', { size: 16, color: 'grayscale', scale: true }],
      split: ['prep.split', { testFraction: 0.2, seed: 1 }],
      histogram: ['features.image', { method: 'histogram', bins: 8 }],
      photoModel: ['model.logisticRegression'],
    },
    ['photos.images -> prepare.images', 'prepare.images -> split.table', 'split.split -> histogram.data', 'histogram.split -> photoModel.data'],
  );
  const photoRun = await startRun(app.db, new InProcessExecutor(), { graph: photos, pipelineId: null, label: 'fuzz photos', origin: 'cli', workspaceId: null, startedBy: null });
  await photoRun.done;
  photoEndpoint = await publishEndpoint(app.db, { runId: photoRun.runId, nodeId: 'photoModel', name: 'Which garment', workspaceId: null, createdBy: null });
  samplePhoto = fs.readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'samples', 'fashion-products', 'bag', '0001.png'));
  const [{ workspaceId }] = await app.db.select({ workspaceId: tables.member.organizationId }).from(tables.member).limit(1);
  ownEndpointId = (await publishEndpoint(app.db, { runId, nodeId: 'logistic', name: 'Who buys (team)', workspaceId, createdBy: null })).id;
  const answered = await predictWithEndpoint(app.db, endpoint.id, `Bearer ${endpoint.token}`, { rows: [{ spend: 90, visits: 15, region: 'north' }, { spend: 5, visits: 1, region: 'east' }] });
  predictionIds = answered.predictions.map((p) => String(p.predictionId));
  const saved = await savePipeline(app.db, { name: 'Fuzzed', description: '', graph: trained });
  exportText = (await exportPipelineFile(app.db, saved.id)).text;
}, 120_000);

afterAll(async () => {
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ runs: FUZZ_RUNS, entryPoints: tally }, null, 2)}\n`);
  await app?.close();
});

/** Records the answer and fails on a 5xx or a 4xx without a message. */
async function judged(entryPoint: string, response: Response): Promise<void> {
  const counts = (tally[entryPoint] ??= { cases: 0, fiveHundreds: 0, byStatus: {} });
  counts.cases += 1;
  counts.byStatus[response.status] = (counts.byStatus[response.status] ?? 0) + 1;
  const text = await response.text();
  if (response.status >= 500) counts.fiveHundreds += 1;
  expect(response.status, text.slice(0, 300)).toBeLessThan(500);
  if (response.status >= 400 && response.status !== 405 && response.status !== 404) expect(text.trim().length, `status ${response.status}`).toBeGreaterThan(0);
}

const trpcPost = (procedure: string, body: string) => app.asOwner(`/api/trpc/${procedure}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
const upload = (kind: string, name: string, bytes: Uint8Array) =>
  app.asOwner(`/api/uploads/${kind}?name=${encodeURIComponent(name)}`, { method: 'POST', body: Buffer.from(bytes), headers: { 'content-type': 'application/octet-stream' } });

/** The app still answers, its database is sound, and every file it wrote is where files belong. */
async function stillSound(): Promise<void> {
  expect((await app.asOwner('/api/trpc/system.info')).status).toBe(200);
  const sqlite = (app.db as unknown as { $client: Database.Database }).$client;
  expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(fs.readdirSync(app.root)).toEqual(['data']);
  const allowed = [/^pipelab\.sqlite(-wal|-shm)?$/, /^auth-secret$/, /^uploads\/[0-9a-f]{64}\.(csv|columns|zip)$/, /^artifacts\/[0-9a-f]{64}$/];
  for (const file of fs.readdirSync(app.dataDir, { recursive: true, withFileTypes: true })) {
    if (!file.isFile()) continue;
    const relative = path.relative(app.dataDir, path.join(file.parentPath, file.name)).split(path.sep).join('/');
    expect(allowed.some((pattern) => pattern.test(relative)), relative).toBe(true);
  }
}

const options = () => ({ numRuns: FUZZ_RUNS, endOnFailure: true });
/** CSV text of outcomes: random, or a real file naming answered predictions altered at random. */
const outcomeCsvText = () => {
  const [first, second] = predictionIds;
  const real = new TextEncoder().encode(`predictionId,actual\n${first},yes\n${second},no\n`);
  return fc.oneof(hostileCsv, mutatedBytes(real).map((bytes) => Buffer.from(bytes).toString('latin1')));
};
const template = findTemplate('campaign-response')!.graph;

describe('hostile input: every entry point answers 2xx or a plain 4xx, never a 5xx', () => {
  it('graph JSON to validate and to run', async () => {
    const body = fc.oneof(
      mutatedJson(template).map((graph) => JSON.stringify({ graph })),
      hostileJson.map((graph) => JSON.stringify({ graph })),
      deepJsonText.map((text) => `{"graph":${text}}`),
      hostileText,
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('graph.validate', 'runs.start'), async (text, procedure) => judged('graph JSON', await trpcPost(procedure, text))),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);

  it('CSV upload', async () => {
    const csv = fc.oneof(hostileCsv.map((text) => new TextEncoder().encode(text)), mutatedBytes(new TextEncoder().encode(customerRows(30).join('\n'))));
    await fc.assert(fc.asyncProperty(csv, hostileText, async (bytes, name) => judged('CSV upload', await upload('dataset', name.slice(0, 250) || 'x.csv', bytes))), options());
    await stillSound();
  }, TIMEOUT_MS);

  it('Parquet upload', async () => {
    const { frame } = readCsv(new TextEncoder().encode(customerRows(30).join('\n')), 'customers.csv');
    const columnData = frame.columns.map((column) =>
      column.type === 'number' ? { name: column.name, data: [...column.values], type: 'DOUBLE' as const } : { name: column.name, data: column.values, type: 'STRING' as const },
    );
    const written = new Uint8Array(parquetWriteBuffer({ columnData }));
    const fromOtherWriters = ['datapage_v2.snappy', 'brotli_compressed', 'nullable.impala'].map((name) => new Uint8Array(fs.readFileSync(`nodes/lib/fixtures/parquet/${name}.parquet`)));
    const file = fc.oneof(...[written, ...fromOtherWriters].map(mutatedBytes));
    await fc.assert(fc.asyncProperty(file, async (bytes) => judged('Parquet upload', await upload('dataset', 'export.parquet', bytes))), options());
    await stillSound();
  }, TIMEOUT_MS);

  it('zip upload', async () => {
    const photo = fs.readFileSync('samples/fashion-products/bag/0001.png');
    const zip = buildZip([
      { name: 'bag/1.png', data: photo },
      { name: 'bag/2.png', data: photo },
      { name: 'coat/1.png', data: fs.readFileSync('samples/fashion-products/coat/0001.png') },
      { name: 'coat/2.png', data: fs.readFileSync('samples/fashion-products/coat/0002.png') },
    ]);
    await fc.assert(fc.asyncProperty(mutatedBytes(zip), async (bytes) => judged('zip upload', await upload('imageArchive', 'photos.zip', bytes))), options());
    await stillSound();
  }, TIMEOUT_MS);

  it('model upload', async () => {
    const doc = JSON.parse(new TextDecoder().decode(modelFile));
    const file = fc.oneof(mutatedJson(doc).map((value) => new TextEncoder().encode(JSON.stringify(value))), mutatedBytes(modelFile));
    await fc.assert(fc.asyncProperty(file, async (bytes) => judged('model upload', await upload('model', 'model.json', bytes))), options());
    await stillSound();
  }, TIMEOUT_MS);

  it('pipeline import', async () => {
    const text = fc.oneof(mutatedJson(JSON.parse(exportText)).map((value) => JSON.stringify(value)), hostileText, deepJsonText);
    const procedure = fc.constantFrom('pipelines.import', 'pipelines.checkImport');
    await fc.assert(fc.asyncProperty(text, procedure, async (file, name) => judged('pipeline import', await trpcPost(name, JSON.stringify({ text: file })))), options());
    await stillSound();
  }, TIMEOUT_MS);

  it('prediction API rows', async () => {
    const row = { spend: 90, visits: 15, region: 'north' };
    const body = fc.oneof(mutatedJson({ rows: [row, row] }).map((value) => JSON.stringify(value)), hostileJson.map((value) => JSON.stringify(value)), deepJsonText, hostileText);
    const token = fc.constantFrom(`Bearer ${endpoint.token}`, 'Bearer nope', '', `Bearer ${endpoint.token}x`);
    await fc.assert(
      fc.asyncProperty(body, token, fc.constantFrom(endpoint.id, 'missing'), async (text, authorization, id) =>
        judged('prediction API', await app.fetch(new Request(`http://localhost/api/predict/${id}`, { method: 'POST', body: text, headers: { authorization } }))),
      ),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);

  it('prediction API with explanations', async () => {
    const row = { spend: 90, visits: 15, region: 'north' };
    const body = fc.oneof(mutatedJson({ rows: [row, row], explain: true }).map((value) => JSON.stringify(value)), hostileJson.map((value) => JSON.stringify({ rows: [row], explain: value })));
    const query = fc.oneof(fc.constantFrom('', '?explain=1', '?explain=true', '?explain=yes&explain=0', '?explain'), hostileText.map((text) => `?explain=${encodeURIComponent(text)}`));
    await fc.assert(
      fc.asyncProperty(body, query, async (text, search) =>
        judged('prediction API with explanations', await app.fetch(new Request(`http://localhost/api/predict/${endpoint.id}${search}`, { method: 'POST', body: text, headers: { authorization: `Bearer ${endpoint.token}` } }))),
      ),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);

  it('prediction API outcomes, as JSON and as CSV', async () => {
    const [first, second] = predictionIds;
    const json = fc.oneof(
      mutatedJson({ outcomes: [{ predictionId: first, actual: 'yes' }, { predictionId: second, actual: 'no' }] }).map((value) => JSON.stringify(value)),
      hostileJson.map((value) => JSON.stringify(value)),
      deepJsonText,
      hostileText,
    );
    const csv = outcomeCsvText();
    const post = fc.oneof(
      json.map((body) => ({ body, type: 'application/json' })),
      csv.map((body) => ({ body, type: 'text/csv' })),
    );
    const token = fc.constantFrom(`Bearer ${endpoint.token}`, 'Bearer nope', '');
    await fc.assert(
      fc.asyncProperty(post, token, fc.constantFrom(endpoint.id, 'missing'), async ({ body, type }, authorization, id) =>
        judged('prediction API outcomes', await app.fetch(new Request(`http://localhost/api/predict/${id}/outcomes`, { method: 'POST', body, headers: { authorization, 'content-type': type } }))),
      ),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);

  it('prediction API photos: multipart forms and base64 JSON', async () => {
    const base64 = Buffer.from(samplePhoto).toString('base64');
    const photoFile = fc.record({ name: hostileText, bytes: fc.oneof(mutatedBytes(samplePhoto), fc.constant(samplePhoto), fc.uint8Array({ maxLength: 64 })) });
    const form = fc.array(photoFile, { maxLength: 4 }).map((files) => {
      const body = new FormData();
      for (const { name, bytes } of files) body.append('image', new Blob([Buffer.from(bytes)]), name);
      return { body, contentType: undefined as string | undefined };
    });
    const json = fc
      .oneof(
        mutatedJson({ images: [{ name: 'bag.png', data: base64 }, { name: 'b', data: base64.slice(0, 200) }] }).map((value) => JSON.stringify(value)),
        hostileJson.map((value) => JSON.stringify({ images: [value] })),
        deepJsonText,
        hostileText,
      )
      .map((body) => ({ body: body as BodyInit, contentType: 'application/json' as string | undefined }));
    const rawMultipart = fc
      .tuple(hostileText, fc.constantFrom('multipart/form-data; boundary=x', 'multipart/form-data', 'multipart/form-data; boundary=', 'text/plain'))
      .map(([text, contentType]) => ({ body: `--x\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n${text}\r\n--x--` as BodyInit, contentType }));
    const token = fc.constantFrom(`Bearer ${photoEndpoint.token}`, `Bearer ${photoEndpoint.token}`, 'Bearer nope', '');
    await fc.assert(
      fc.asyncProperty(fc.oneof(form, json, rawMultipart), token, async ({ body, contentType }, authorization) => {
        const headers = new Headers({ authorization });
        if (contentType) headers.set('content-type', contentType);
        judged('prediction API photos', await app.fetch(new Request(`http://localhost/api/predict/${photoEndpoint.id}`, { method: 'POST', body, headers })));
      }),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);

  it('outcome upload on the monitoring view', async () => {
    const [first] = predictionIds;
    const csv = outcomeCsvText();
    const upload = fc.oneof(
      mutatedJson({ id: ownEndpointId, csv: `predictionId,actual\n${first},yes\n` }).map((value) => JSON.stringify(value)),
      hostileCsv.map((text) => JSON.stringify({ id: ownEndpointId, csv: text })),
      csv.map((text) => JSON.stringify({ id: ownEndpointId, csv: text })),
      hostileJson.map((value) => JSON.stringify(value)),
    );
    await fc.assert(fc.asyncProperty(upload, async (text) => judged('outcomes upload', await trpcPost('endpoints.postOutcomes', text))), options());
    await stillSound();
  }, TIMEOUT_MS);

  it('prediction API monitoring query', async () => {
    const input = fc.oneof(
      mutatedJson({ id: endpoint.id, window: 'hour' }).map((value) => JSON.stringify(value)),
      hostileJson.map((value) => JSON.stringify(value)),
      deepJsonText,
      hostileText,
    );
    await fc.assert(
      fc.asyncProperty(input, async (text) => judged('monitoring query', await app.asOwner(`/api/trpc/endpoints.monitoring?input=${encodeURIComponent(text)}`))),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);

  it('URL paths and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(hostileUrl, fc.boolean(), async ({ url, method }, signedIn) => {
        const headers = new Headers(signedIn ? { cookie: app.owner.get('cookie') ?? '' } : {});
        const init = { method, headers };
        await judged('URL paths and query strings', await app.fetch(new Request(`http://localhost${url}`, init)));
      }),
      options(),
    );
    await stillSound();
  }, TIMEOUT_MS);
});
