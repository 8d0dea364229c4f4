/**
 * What counting traffic for monitoring costs a one-row prediction: trains the campaign-response template in a
 * temporary data folder, publishes its model, and times 2,000 one-row calls of the prediction function (token
 * check, JSON rows to a frame, preprocessing, model, request count, and now the per-minute monitoring counts),
 * with no HTTP in between so the difference is not lost in network noise:
 *   npx tsx scripts/bench-monitoring.ts
 * To compare with a tree without monitoring, copy this file into that tree and run it there the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCsv } from '../nodes/lib/csv';
import { useTempDataDir } from '../nodes/test-harness';
import { predictWithEndpoint, publishEndpoint } from '../server/endpoints';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import { findTemplate } from '../server/templates';

const db = await useTempDataDir();
const { runId, done } = await startRun(db, new InProcessExecutor(), {
  graph: findTemplate('campaign-response')!.graph,
  pipelineId: null,
  label: 'monitoring benchmark',
  origin: 'cli',
  workspaceId: null,
  startedBy: null,
});
await done;
const endpoint = await publishEndpoint(db, { runId, nodeId: 'model', name: 'benchmark', workspaceId: null, createdBy: null });
const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
const rows = Array.from({ length: 2_000 }, (_, row) =>
  Object.fromEntries(frame.columns.filter((c) => c.name !== 'y').map((c) => [c.name, c.values[row * 20] as string | number])),
);

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
