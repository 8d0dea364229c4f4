/**
 * One-row latency of a running app's prediction route along its paths, 300 requests each through a node:http
 * keep-alive agent: a prediction with gzip accepted (as fetch sends) and without, and a request for an API that
 * does not exist (a database lookup, then a 404). Publishes into the app's database as bench-endpoint.ts does:
 *   PIPELAB_DATA_DIR=<the app's data folder> npx tsx scripts/bench-endpoint-paths.ts http://127.0.0.1:3000
 */
import http from 'node:http';
import { commandLineContext } from '../server/command-line-context';
import { bankCustomerRows, trainAndPublish } from './bench-support';

const appUrl = process.argv[2];
if (!appUrl) throw new Error('Give the running app\'s address, e.g. http://127.0.0.1:3000');
const { db } = await commandLineContext({ sweepAbandonedRuns: false });
const { url, token } = await trainAndPublish(db, { template: 'campaign-response', label: 'endpoint paths benchmark' });
const rows = bankCustomerRows(100);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Milliseconds until the whole answer has arrived. */
function post(path: string, body: string, acceptGzip: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...(acceptGzip ? { 'accept-encoding': 'gzip, deflate' } : {}) };
    const request = http.request(appUrl + path, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(performance.now() - started));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const missing = '/api/predict/00000000-0000-4000-8000-000000000000';
console.log('| path | requests | p50 (ms) | p90 (ms) |');
console.log('| --- | --- | --- | --- |');
for (const [name, path, acceptGzip] of [
  ['one-row prediction, gzip accepted', url, true],
  ['one-row prediction, gzip not accepted', url, false],
  ['no API at that address (404), gzip accepted', missing, true],
] as const) {
  for (let i = 0; i < 20; i++) await post(path, JSON.stringify({ rows: [rows[i]] }), acceptGzip);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) times.push(await post(path, JSON.stringify({ rows: [rows[i % rows.length]] }), acceptGzip));
  times.sort((a, b) => a - b);
  console.log(`| ${name} | 300 | ${times[150].toFixed(2)} | ${times[270].toFixed(2)} |`);
}
process.exit(0);
