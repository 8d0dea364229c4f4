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
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '../models/limits';
import { useTempDataDir } from '../nodes/test-harness';
import { commandLineContext } from '../server/command-line-context';
import { EndpointError, servePrediction } from '../server/endpoints';
import { bankCustomerRows, trainAndPublish } from './bench-support';

const appUrl = process.argv[2];
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

async function predict(batch: Record<string, unknown>[]): Promise<number> {
  const started = performance.now();
  const response = await fetch(base + url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rows: batch }),
  });
  const body = (await response.json()) as { predictions?: unknown[]; error?: string };
  if (!body.predictions || body.predictions.length !== batch.length) throw new Error(body.error ?? 'bad answer');
  return performance.now() - started;
}

console.log(appUrl ? `against ${appUrl}` : 'against an in-process node:http server calling servePrediction');
for (let i = 0; i < 20; i++) await predict([rows[i]]);
const single: number[] = [];
for (let i = 0; i < 300; i++) single.push(await predict([rows[i % rows.length]]));
single.sort((a, b) => a - b);
console.log(`| batch | requests | latency median (ms) | p95 (ms) | rows per second |`);
console.log(`| --- | --- | --- | --- | --- |`);
console.log(`| 1 row | 300 | ${single[150].toFixed(1)} | ${single[284].toFixed(1)} | ${(1000 / single[150]).toFixed(0)} |`);
// A request takes at most LIMITS.predict.rows rows, so 10,000 rows go as 10,000 / that many requests in a row.
const perRequest = LIMITS.predict.rows;
for (const size of [100, 1_000, 10_000]) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    let total = 0;
    for (let at = 0; at < size; at += perRequest) total += await predict(rows.slice(i * 1000 + at, i * 1000 + Math.min(size, at + perRequest)));
    times.push(total);
  }
  times.sort((a, b) => a - b);
  const requests = Math.ceil(size / perRequest);
  const label = `${size.toLocaleString('en-US')} rows${requests > 1 ? ` (${requests} requests)` : ''}`;
  console.log(`| ${label} | 5 | ${times[2].toFixed(1)} | ${times[4].toFixed(1)} (max) | ${((size / times[2]) * 1000).toFixed(0)} |`);
}
process.exit(0);
