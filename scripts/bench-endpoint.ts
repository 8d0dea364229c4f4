/**
 * Publishes the campaign-response model as a prediction endpoint and measures it over HTTP: latency for one
 * row and throughput for batches. Publishing goes through the services (the runs and endpoints services, as
 * `pipelab run` does), so no sign-in is needed; only the prediction calls go over HTTP, with the API token.
 *   npx tsx scripts/bench-endpoint.ts
 *     serves POST /api/predict/<id> from this process with node:http and the same servePrediction the app's
 *     route calls (HTTP, JSON, token check, preprocessing, model, request count, monitoring), in a temporary
 *     data folder; Next's routing is left out.
 *   PIPELAB_DATA_DIR=<the app's data folder> npx tsx scripts/bench-endpoint.ts http://127.0.0.1:3000
 *     publishes into the database of a running app (npm start, SQLite) and sends the requests to it.
 * The client is fetch (undici) by default; `--client http` sends the same requests (same headers, gzip
 * accepted) through a node:http keep-alive agent, whose own cost per request is a few times smaller, which
 * matters when client and server share two busy cores.
 */
import http from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '../models/limits';
import { useTempDataDir } from '../nodes/test-harness';
import { commandLineContext } from '../server/command-line-context';
import { EndpointError, servePrediction } from '../server/endpoints';
import { bankCustomerRows, trainAndPublish } from './bench-support';

const clientFlag = process.argv.indexOf('--client');
const client = clientFlag >= 0 ? process.argv[clientFlag + 1] : 'fetch';
if (client !== 'fetch' && client !== 'http') throw new Error('--client takes fetch or http');
const appUrl = process.argv.slice(2).find((arg, i, args) => arg !== '--client' && args[i - 1] !== '--client');
const db = appUrl ? (await commandLineContext({ sweepAbandonedRuns: false })).db : await useTempDataDir();

/** A server that answers prediction requests as app/api/predict/[id]/route.ts does, without Next around it. */
async function startPredictionServer(): Promise<string> {
  const server = http.createServer(async (request, response) => {
    const id = /^\/api\/predict\/([^/?]+)/.exec(request.url ?? '')?.[1] ?? '';
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const webRequest = new Request(`http://localhost${request.url}`, {
      method: 'POST',
      headers: request.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    let status = 200;
    let answer: unknown;
    try {
      answer = await servePrediction(db, id, webRequest);
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error;
      status = error.status;
      answer = { error: error.message };
    }
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const { url, token } = await trainAndPublish(db, { template: 'campaign-response', label: 'endpoint benchmark' });
const base = appUrl ?? (await startPredictionServer());
const rows = bankCustomerRows();

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate' };

/** One POST through the keep-alive agent; the answer's text, decompressed as fetch would. */
function postWithNodeHttp(body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(base + url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const encoding = response.headers['content-encoding'];
        resolve((encoding === 'gzip' ? gunzipSync(bytes) : encoding === 'deflate' ? inflateSync(bytes) : bytes).toString('utf8'));
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function predict(batch: Record<string, unknown>[]): Promise<number> {
  const started = performance.now();
  const body = JSON.stringify({ rows: batch });
  const text = client === 'http' ? await postWithNodeHttp(body) : await (await fetch(base + url, { method: 'POST', headers, body })).text();
  const answer = JSON.parse(text) as { predictions?: unknown[]; error?: string };
  if (!answer.predictions || answer.predictions.length !== batch.length) throw new Error(answer.error ?? 'bad answer');
  return performance.now() - started;
}

console.log(`${appUrl ? `against ${appUrl}` : 'against an in-process node:http server calling servePrediction'}, client: ${client}`);
for (let i = 0; i < 20; i++) await predict([rows[i]]);
const single: number[] = [];
for (let i = 0; i < 300; i++) single.push(await predict([rows[i % rows.length]]));
single.sort((a, b) => a - b);
console.log(`| batch | requests | latency median (ms) | p95 (ms) | rows per second |`);
console.log(`| --- | --- | --- | --- | --- |`);
console.log(`| 1 row | 300 | ${single[150].toFixed(1)} | ${single[284].toFixed(1)} | ${(1000 / single[150]).toFixed(0)} |`);
// Up to 1,000 rows a request (the limit before it was raised to 10,000), so 10,000 rows go as 10 requests in a row;
// then 10,000 rows as one request where the limit allows it.
const shapes = [
  [100, 1_000],
  [1_000, 1_000],
  [10_000, 1_000],
  ...(LIMITS.predict.rows >= 10_000 ? [[10_000, 10_000]] : []),
];
for (const [size, perRequest] of shapes) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    let total = 0;
    for (let at = 0; at < size; at += perRequest) total += await predict(rows.slice(i * 1000 + at, i * 1000 + Math.min(size, at + perRequest)));
    times.push(total);
  }
  times.sort((a, b) => a - b);
  const requests = Math.ceil(size / perRequest);
  const label = `${size.toLocaleString('en-US')} rows${size >= 10_000 ? ` (${requests} request${requests > 1 ? 's' : ''})` : ''}`;
  console.log(`| ${label} | 5 | ${times[2].toFixed(1)} | ${times[4].toFixed(1)} (max) | ${((size / times[2]) * 1000).toFixed(0)} |`);
}
process.exit(0);
