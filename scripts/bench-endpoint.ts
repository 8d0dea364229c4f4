/**
 * Publishes the campaign-response model as a prediction endpoint and measures it over HTTP:
 * latency for one row and throughput for batches. Start a fresh app first (npm start), then:
 *   npx tsx scripts/bench-endpoint.ts [base-url=http://127.0.0.1:3000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCsv } from '../nodes/lib/csv';
import { findTemplate } from '../server/templates';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';

async function trpc<T>(procedure: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const url = `${base}/api/trpc/${procedure}` + (method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '');
  const response = await fetch(url, method === 'POST' ? { method, body: JSON.stringify(input), headers: { 'content-type': 'application/json' } } : {});
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${procedure}: ${body.error?.message}`);
  return body.result.data;
}

function customerRows(): Record<string, string | number>[] {
  const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
  return Array.from({ length: frame.rowCount }, (_, row) =>
    Object.fromEntries(frame.columns.filter((c) => c.name !== 'y').map((c) => [c.name, c.values[row] as string | number])),
  );
}

const template = findTemplate('campaign-response')!;
const { runId } = await trpc<{ runId: string }>('runs.start', { graph: template.graph, label: 'endpoint benchmark' }, 'POST');
let status = 'running';
while (status === 'running') {
  await new Promise((resolve) => setTimeout(resolve, 200));
  status = (await trpc<{ status: string }>('runs.get', { runId }, 'GET')).status;
}
const { url, token } = await trpc<{ url: string; token: string }>('endpoints.publish', { runId, nodeId: 'model', name: 'benchmark' }, 'POST');
const rows = customerRows();

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

for (let i = 0; i < 20; i++) await predict([rows[i]]);
const single: number[] = [];
for (let i = 0; i < 300; i++) single.push(await predict([rows[i % rows.length]]));
single.sort((a, b) => a - b);
console.log(`| batch | requests | latency median (ms) | p95 (ms) | rows per second |`);
console.log(`| --- | --- | --- | --- | --- |`);
console.log(`| 1 row | 300 | ${single[150].toFixed(1)} | ${single[284].toFixed(1)} | ${(1000 / single[150]).toFixed(0)} |`);
for (const size of [100, 1_000, 10_000]) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(await predict(rows.slice(i * 1000, i * 1000 + size)));
  times.sort((a, b) => a - b);
  console.log(`| ${size.toLocaleString('en-US')} rows | 5 | ${times[2].toFixed(1)} | ${times[4].toFixed(1)} (max) | ${((size / times[2]) * 1000).toFixed(0)} |`);
}
