/**
 * What counting traffic for monitoring costs a one-row prediction: trains the campaign-response template in a
 * temporary data folder, publishes its model, and times 2,000 one-row calls of the prediction function (token
 * check, JSON rows to a frame, preprocessing, model, request count, and now the per-minute monitoring counts),
 * with no HTTP in between so the difference is not lost in network noise:
 *   npx tsx scripts/bench-monitoring.ts
 * To compare with a tree without monitoring, copy this file into that tree and run it there the same way.
 */
import { useTempDataDir } from '../nodes/test-harness';
import { predictWithEndpoint } from '../server/endpoints';
import { bankCustomerRows, trainAndPublish } from './bench-support';

const db = await useTempDataDir();
const endpoint = await trainAndPublish(db, { template: 'campaign-response', label: 'monitoring benchmark' });
const rows = bankCustomerRows(2_000, 20);

const predict = (row: Record<string, unknown>) => predictWithEndpoint(db, endpoint.id, `Bearer ${endpoint.token}`, { rows: [row] });
for (let i = 0; i < 200; i++) await predict(rows[i]);
const times: number[] = [];
for (const row of rows) {
  const started = performance.now();
  await predict(row);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
console.log(`one-row predictions: ${times.length}, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
process.exit(0);
