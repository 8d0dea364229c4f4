/**
 * What giving every answered row a prediction id costs the prediction API, and how long posting outcomes takes.
 * Trains the campaign-response template in a temporary data folder, publishes its model, and times in-process
 * (no HTTP, so the difference is not lost in network noise) 2,000 one-row and 200 hundred-row calls of the
 * prediction function, alternating, after warm-up:
 *   npx tsx scripts/bench-outcomes.ts              # prediction latency only (runs in a tree without ids too)
 *   npx tsx scripts/bench-outcomes.ts --outcomes   # and the time to record 1,000 outcomes per post
 *   npx tsx scripts/bench-outcomes.ts --storage    # and the cost of giving ids to and storing 1,000-row
 *                                                  # requests once 100,000 rows are stored
 * To compare with a tree without prediction ids, copy this file into that tree and run it there the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCsv } from '../nodes/lib/csv';
import { useTempDataDir } from '../nodes/test-harness';
import { predictWithEndpoint, publishEndpoint } from '../server/endpoints';
import { bankCustomerRows, trainAndPublish } from './bench-support';

const db = await useTempDataDir();
const endpoint = await trainAndPublish(db, { template: 'campaign-response', label: 'outcomes benchmark' });
const rows = bankCustomerRows(2_000, 20);
const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
const answers = frame.columns.find((c) => c.name === 'y')!.values as string[];

const predict = (batch: Record<string, unknown>[]) => predictWithEndpoint(db, endpoint.id, `Bearer ${endpoint.token}`, { rows: batch });
for (let i = 0; i < 200; i++) await predict([rows[i]]);
for (let i = 0; i < 20; i++) await predict(rows.slice(i * 100, i * 100 + 100));

const single: number[] = [];
const hundred: number[] = [];
async function timed(into: number[], batch: Record<string, unknown>[]) {
  const started = performance.now();
  await predict(batch);
  into.push(performance.now() - started);
}
for (let i = 0; i < rows.length; i++) {
  await timed(single, [rows[i]]);
  if (i % 10 === 0) await timed(hundred, rows.slice(i % 1_900, (i % 1_900) + 100));
}

function summary(label: string, times: number[]) {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(`${label}: ${times.length} calls, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
}
summary('one-row predictions', single);
summary('100-row predictions', hundred);

if (process.argv.includes('--outcomes')) {
  const { recordOutcomes } = await import('../server/monitoring/outcomes');
  const { getEndpoint } = await import('../db/endpoints');
  const row = (await getEndpoint(db, endpoint.id))!;
  const posts: number[] = [];
  for (let post = 0; post < 10; post++) {
    const entries = [];
    for (let i = 0; i < 10; i++) {
      const answered = (await predict(rows.slice(i * 100, i * 100 + 100))).predictions;
      entries.push(...answered.map((p, k) => ({ where: `Outcome ${entries.length + k + 1}`, predictionId: p.predictionId, actual: answers[(i * 100 + k) * 20] })));
    }
    const started = performance.now();
    const result = await recordOutcomes(db, row, entries);
    posts.push(performance.now() - started);
    if (result.accepted !== 1_000) throw new Error(result.message);
  }
  summary('posts of 1,000 outcomes (ids still queued are written first)', posts);
}
if (process.argv.includes('--storage')) {
  const { flushPredictions, rememberPredictions } = await import('../server/monitoring/prediction-log');
  const { id: endpointId } = await publishEndpoint(db, { runId: endpoint.runId, nodeId: 'model', name: 'storage', workspaceId: null, createdBy: null });
  const labels = Array.from({ length: 1_000 }, (_, i) => (i % 3 ? 'no' : 'yes'));
  const columns = [
    { name: 'predicted y', type: 'category' as const, values: labels },
    { name: 'probability of yes', type: 'number' as const, values: Float64Array.from(labels, (_, i) => (i % 97) / 97) },
  ];
  for (let i = 0; i < 100; i++) rememberPredictions(db, endpointId, columns, 1_000);
  await flushPredictions();
  const started = performance.now();
  for (let i = 0; i < 20; i++) rememberPredictions(db, endpointId, columns, 1_000);
  await flushPredictions();
  console.log(`ids and storage of 20 more 1,000-row requests after 100,000 rows: ${(((performance.now() - started) / 20_000) * 1000).toFixed(2)} µs per row`);
}
process.exit(0);
