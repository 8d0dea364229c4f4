import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { getRun } from '../db/runs';
import { makeWorkspace } from '../db/test-fixtures';
import { LIMITS } from '../models/limits';
import { graph, useTempDataDir } from '../nodes/test-harness';
import type { Actor } from './auth/guard';
import { EndpointError, publishEndpoint } from './endpoints';
import { flushTraffic } from './monitoring/recorder';
import { monitoringReport } from './monitoring/report';
import { answerPredictionRequest, type PhotoPredictionAnswer } from './photo-endpoints';
import { InProcessExecutor } from './runs/in-process';
import { startRun } from './runs/service';

const SAMPLES = path.join(import.meta.dirname, '..', 'samples', 'fashion-products');
const CLASSES = fs.readdirSync(SAMPLES).sort();

let db: Db;
let actor: Actor;
/** HOG features of photos prepared to 16×16 grayscale, then logistic regression. */
let features: { id: string; token: string };
/** A small network trained on the photos as they are (28×28 grayscale, no Prepare step). */
let network: { id: string; token: string };

/** A sample photo: the `n`-th of its class (from the end, where the split's test photos are as likely as any). */
const photo = (label: string, n = 0) => {
  const files = fs.readdirSync(path.join(SAMPLES, label)).sort();
  const name = files[files.length - 1 - n];
  return { name: `${label}/${name}`, bytes: fs.readFileSync(path.join(SAMPLES, label, name)) };
};

beforeAll(async () => {
  db = await useTempDataDir();
  const workspace = await makeWorkspace(db);
  actor = { userId: workspace.userId, name: 'Owner', email: 'o@example.test', workspaceId: workspace.workspaceId, workspaceName: 'Test', role: 'viewer' };
  const pipeline = graph(
    {
      photos: ['data.images', { source: 'sample', sample: 'fashion-products' }],
      prepare: ['prep.image', { size: 16, color: 'grayscale', scale: true }],
      split: ['prep.split', { testFraction: 0.2, seed: 1, stratify: true }],
      histogram: ['features.image', { method: 'hog', cellSize: 4, orientations: 9 }],
      logistic: ['model.logisticRegression'],
      rawSplit: ['prep.split', { testFraction: 0.2, seed: 1, stratify: true }],
      cnn: ['model.cnn', { convBlocks: 1, filters: 4, denseUnits: 16, epochs: 2, validationFraction: 0 }],
    },
    [
      'photos.images -> prepare.images',
      'prepare.images -> split.table',
      'split.split -> histogram.data',
      'histogram.split -> logistic.data',
      'photos.images -> rawSplit.table',
      'rawSplit.split -> cnn.data',
    ],
  );
  const { runId, done } = await startRun(db, new InProcessExecutor(), { graph: pipeline, pipelineId: null, label: 'photos', origin: 'cli', workspaceId: workspace.workspaceId, startedBy: null });
  await done;
  const run = (await getRun(db, runId))!;
  expect(run.status, run.error ?? '').toBe('succeeded');
  const publish = (nodeId: string) => publishEndpoint(db, { runId, nodeId, name: nodeId, workspaceId: workspace.workspaceId, createdBy: null });
  features = await publish('logistic');
  network = await publish('cnn');
}, 180_000);

function multipart(api: { id: string; token: string }, photos: { name: string; bytes: Uint8Array }[], token = api.token) {
  const form = new FormData();
  for (const { name, bytes } of photos) form.append('image', new Blob([Buffer.from(bytes)]), name);
  return new Request(`http://localhost/api/predict/${api.id}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
}

function json(api: { id: string; token: string }, body: unknown) {
  return new Request(`http://localhost/api/predict/${api.id}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
  });
}

const asBase64 = (photos: { name: string; bytes: Uint8Array }[]) => ({ images: photos.map(({ name, bytes }) => ({ name, data: Buffer.from(bytes).toString('base64') })) });

async function answer(api: { id: string }, request: Request): Promise<PhotoPredictionAnswer> {
  const result = await answerPredictionRequest(db, api.id, request);
  if (!('answered' in (result.body as object))) throw new Error('not a photo API');
  return result as PhotoPredictionAnswer;
}

async function refusal(request: Request, api = features): Promise<{ status: number; message: string }> {
  try {
    await answer(api, request);
  } catch (error) {
    if (error instanceof EndpointError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected the whole request to be refused');
}

/** A PNG that declares `width`×`height` pixels in a few bytes (a decompression bomb's calling card): its pixel data stops after 1,000 bytes. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

type Answered = { name: string; label: string; probabilities: Record<string, number> };

describe('photo prediction API', () => {
  it('answers an uploaded photo with its label and a probability per class, for a network and for a model on image features', async () => {
    for (const api of [features, network]) {
      const { status, body } = await answer(api, multipart(api, [photo('trouser')]));
      expect(status).toBe(200);
      const [prediction] = body.predictions as Answered[];
      expect(prediction.name).toBe(photo('trouser').name);
      expect(CLASSES).toContain(prediction.label);
      expect(Object.keys(prediction.probabilities).sort()).toEqual(CLASSES);
      const total = Object.values(prediction.probabilities).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 4);
      // The label is the most probable class.
      expect(Math.max(...Object.values(prediction.probabilities))).toBe(prediction.probabilities[prediction.label]);
    }
  });

  it('tells the classes apart far better than chance on a batch of 30 base64 photos', async () => {
    const photos = CLASSES.flatMap((label) => [photo(label, 0), photo(label, 1), photo(label, 2)]);
    for (const api of [features, network]) {
      const { status, body } = await answer(api, json(api, asBase64(photos)));
      expect(status).toBe(200);
      expect(body.answered).toBe(30);
      const right = (body.predictions as Answered[]).filter((p) => p.label === p.name.split('/')[0]).length;
      // Chance is 3 in 30.
      expect(right, api === features ? 'HOG and logistic regression' : 'network').toBeGreaterThanOrEqual(12);
    }
  });

  it('prepares any photo as training did: a large colour JPEG is resized and made grayscale for the prepared model', async () => {
    const big = await sharp(photo('sneaker').bytes).resize(300, 300, { kernel: 'nearest' }).toColourspace('srgb').jpeg({ quality: 95 }).toBuffer();
    const { status, body } = await answer(features, multipart(features, [{ name: 'big.jpg', bytes: big }]));
    expect(status).toBe(200);
    expect(CLASSES).toContain((body.predictions[0] as Answered).label);
  });

  it('refuses, by name, a photo of another size than a network trained without a Prepare step takes', async () => {
    const big = await sharp(photo('bag').bytes).resize(40, 40).png().toBuffer();
    const { status, body } = await answer(network, multipart(network, [{ name: 'wide.png', bytes: big }, photo('bag')]));
    expect(status).toBe(400);
    expect(body.predictions[0]).toEqual({ name: 'wide.png', error: expect.stringMatching(/^"wide\.png" does not fit this model: .*28×28/) });
    expect(CLASSES).toContain((body.predictions[1] as Answered).label);
  });

  it('answers 400 naming a photo it cannot decode, and still answers the other photos of the batch', async () => {
    const truncated = photo('coat').bytes.subarray(0, 60);
    const photos = [photo('dress'), { name: 'notes.png', bytes: new TextEncoder().encode('not a photo at all') }, { name: 'cut.png', bytes: truncated }, photo('shirt')];
    const { status, body } = await answer(features, multipart(features, photos));
    expect(status).toBe(400);
    expect(body.answered).toBe(2);
    expect(body.refused).toBe(2);
    expect(body.predictions.map((p) => p.name)).toEqual(photos.map((p) => p.name));
    expect(body.predictions[1]).toEqual({ name: 'notes.png', error: '"notes.png" is not a PNG or JPEG image.' });
    expect(body.predictions[2]).toMatchObject({ name: 'cut.png', error: expect.stringMatching(/^"cut\.png" could not be read as an image/) });
    expect(CLASSES).toContain((body.predictions[0] as Answered).label);
    expect(CLASSES).toContain((body.predictions[3] as Answered).label);
  });

  it('refuses a photo over the byte limit, and one whose header declares too many pixels, before decoding either', async () => {
    const oversized = new Uint8Array(LIMITS.photoPredict.imageBytes + 1);
    oversized.set(pngDeclaring(10, 10));
    const bomb = pngDeclaring(10_000, 10_000);
    const long = pngDeclaring(20_000, 10);
    const { status, body } = await answer(features, multipart(features, [{ name: 'huge.png', bytes: oversized }, { name: 'bomb.png', bytes: bomb }, { name: 'long.png', bytes: long }, photo('bag')]));
    expect(status).toBe(400);
    expect(body.predictions[0]).toEqual({ name: 'huge.png', error: '"huge.png" is 8.0 MB; the limit is 8 MB per photo.' });
    expect(body.predictions[1]).toEqual({ name: 'bomb.png', error: '"bomb.png" is 10,000×10,000 pixels; the limit is 25,000,000 pixels per photo.' });
    expect(body.predictions[2]).toEqual({ name: 'long.png', error: '"long.png" is 20,000×10 pixels; the limit is 12,000 pixels on a side.' });
    expect(body.answered).toBe(1);
  });

  it('refuses a whole request with too many photos (413), before reading any', async () => {
    const photos = Array.from({ length: LIMITS.photoPredict.images + 1 }, () => photo('bag'));
    expect(await refusal(multipart(features, photos))).toEqual({ status: 413, message: 'This request has 33 photos; the limit is 32 photos per request.' });
    expect((await refusal(json(features, asBase64(photos)))).status).toBe(413);
  });

  it('takes base64 with line breaks and a data: URL prefix, and refuses text that is not base64 by name', async () => {
    const bytes = photo('sandal').bytes;
    const wrapped = Buffer.from(bytes).toString('base64').replace(/(.{76})/g, '$1\n');
    const images = [
      { name: 'wrapped.png', data: wrapped },
      { name: 'url.png', data: `data:image/png;base64,${Buffer.from(bytes).toString('base64')}` },
      { name: 'garbled.png', data: 'this is *not* base64!' },
      { data: 'QUJD' },
    ];
    const { status, body } = await answer(features, json(features, { images }));
    expect(status).toBe(400);
    expect((body.predictions[0] as Answered).label).toBe((body.predictions[1] as Answered).label);
    expect(body.predictions[2]).toEqual({ name: 'garbled.png', error: '"garbled.png" is not base64 text of a photo file.' });
    expect(body.predictions[3]).toEqual({ name: 'image 4', error: '"image 4" is not a PNG or JPEG image.' });
  });

  it('refuses requests of the wrong shape, type or token as a whole, with a plain message', async () => {
    expect(await refusal(json(features, '{"images": "photo.png"}'))).toMatchObject({ status: 400, message: expect.stringMatching(/multipart form/) });
    expect(await refusal(json(features, { images: [{ name: 'a.png', data: 42 }] }))).toMatchObject({ status: 400, message: expect.stringMatching(/^Image 1 is not/) });
    expect(await refusal(json(features, { images: [] }))).toMatchObject({ status: 400, message: expect.stringMatching(/no photos/) });
    expect(await refusal(json(features, 'not json'))).toMatchObject({ status: 400, message: expect.stringMatching(/not JSON/) });
    const plain = new Request(`http://localhost/api/predict/${features.id}`, { method: 'POST', body: 'x', headers: { authorization: `Bearer ${features.token}`, 'content-type': 'text/plain' } });
    expect((await refusal(plain)).status).toBe(415);
    expect((await refusal(multipart(features, [photo('bag')], 'wrong'))).status).toBe(401);
    const form = new FormData();
    form.append('note', 'no files here');
    expect((await refusal(new Request(`http://localhost/api/predict/${features.id}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${features.token}` } }))).status).toBe(400);
  });

  it('counts photo traffic for monitoring: requests, refusals by reason, latency and the labels answered', async () => {
    await answer(network, multipart(network, [photo('coat'), { name: 'notes.txt', bytes: new TextEncoder().encode('hello') }]));
    await refusal(multipart(network, Array.from({ length: 40 }, () => photo('bag'))), network);
    await flushTraffic();
    const report = await monitoringReport(db, actor, network.id, 'hour');
    expect(report.endpoint.takesPhotos).toBe(true);
    // The single photo, the batch of 30, the photo of another size with one good photo, this one's two photos, the 40 refused.
    expect(report.totals).toMatchObject({ requests: 5, refused: 3, rowsScored: 33 });
    expect(report.totals.p50Ms).toBeGreaterThan(0);
    expect(report.predictedLabels.reduce((sum, { count }) => sum + count, 0)).toBe(33);
    expect(report.predictedLabels.every(({ label }) => CLASSES.includes(label))).toBe(true);
    expect(report.refusals.map((r) => r.reason).sort()).toEqual([
      '400: photo does not fit this model',
      '400: photo is not a PNG or JPEG image',
      '413: This request has too many photos; the limit is 32 photos per request.',
    ]);
    expect(report.drift).toEqual([]);
  });

  it('leaves other addresses to the table API, which answers 404 for one with no model', async () => {
    await expect(answerPredictionRequest(db, 'no-such-api', json(features, {}))).rejects.toMatchObject({ status: 404 });
  });
});
