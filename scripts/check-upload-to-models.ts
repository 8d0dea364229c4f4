/**
 * A large table from a browser upload to evaluated models, on a running server:
 *   npx tsx scripts/check-upload-to-models.ts [--url http://127.0.0.1:3000] [--rows 1000000] [--cols 50] [--csv /tmp/table.csv]
 * Writes a seeded table (N rows × C number columns and a yes/no label that depends on a few of them, as
 * scripts/bench-scale.ts writes it; with --csv, kept there and reused), signs up the server's first
 * account, streams the file to POST /api/uploads/dataset as a browser sends it, then runs CSV → split →
 * logistic regression + decision tree → Evaluate on the stored table (runs.start, polled with runs.get) and
 * prints the upload's answer, the run's status, each step's time and the evaluated metrics.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { scalePipeline, writeTable } from './bench-tables';

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const seconds = (ms: number | null | undefined) => `${((ms ?? NaN) / 1000).toFixed(1)} s`;

async function main() {
  const { values } = parseArgs({ options: { url: { type: 'string' }, rows: { type: 'string', default: '1000000' }, cols: { type: 'string', default: '50' }, csv: { type: 'string' } } });
  const csv = values.csv ?? `${os.tmpdir()}/pipelab-upload-to-models-${values.rows}x${values.cols}.csv`;
  if (!fs.existsSync(csv)) writeTable(csv, Number(values.rows), Number(values.cols), 42);
  const bytes = fs.statSync(csv).size;
  // Without a server: the table is written (for a later run), nothing more.
  if (!values.url) return console.log(`${csv}: ${(bytes / 1e6).toFixed(0)} MB; give --url http://127.0.0.1:3000 to upload it and run models on it`);
  const base = values.url.replace(/\/$/, '');

  // The server's first account; a server already set up (an earlier run) signs it in again.
  const account = { name: 'Bench Owner', email: 'owner@bench.example', password: 'upload-bench-password' };
  const post = (what: string) =>
    fetch(`${base}/api/auth/${what}/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(account) });
  let signUp = await post('sign-up');
  if (signUp.status === 403 || signUp.status === 422) signUp = await post('sign-in');
  const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!signUp.ok || !cookie) throw new Error(`signing in answered ${signUp.status}: ${(await signUp.text()).slice(0, 200)}`);
  const trpc = async <T>(procedure: string, input: unknown, method: 'GET' | 'POST'): Promise<T> => {
    const query = method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
    const response = await fetch(`${base}/api/trpc/${procedure}${query}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify(input) : undefined });
    const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
    if (!body.result) throw new Error(`${procedure}: ${response.status} ${body.error?.message}`);
    return body.result.data;
  };

  console.log(`# ${os.cpus().length} cores, load average ${load()}, Node ${process.version}; server at ${base}; ${csv}, ${(bytes / 1e6).toFixed(0)} MB`);
  const uploadStarted = performance.now();
  const upload = await fetch(`${base}/api/uploads/dataset?name=${encodeURIComponent(csv.split('/').pop()!)}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
    body: Readable.toWeb(fs.createReadStream(csv, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const stored = (await upload.json()) as { hash?: string; rowCount?: number; columns?: unknown[]; error?: string };
  if (!upload.ok || !stored.hash) throw new Error(`upload answered ${upload.status}: ${stored.error}`);
  console.log(`upload: ${seconds(performance.now() - uploadStarted)}, stored ${stored.rowCount?.toLocaleString('en-US')} rows × ${stored.columns?.length} columns; load average ${load()}`);

  const runStarted = performance.now();
  const { runId } = await trpc<{ runId: string }>('runs.start', { graph: scalePipeline(stored.hash), label: 'Large upload to models' }, 'POST');
  type Run = { status: string; durationMs: number | null; error: string | null; nodes: Record<string, { durationMs: number | null; metrics: Record<string, number> | null; error: string | null }> };
  let run: Run;
  do {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run = await trpc<Run>('runs.get', { runId }, 'GET');
  } while (run.status === 'running' || run.status === 'queued');
  console.log(`run: ${run.status} in ${seconds(performance.now() - runStarted)} (recorded ${seconds(run.durationMs)})${run.error ? `: ${run.error}` : ''}; load average ${load()}`);
  for (const [id, node] of Object.entries(run.nodes)) {
    const metrics = node.metrics ? Object.entries(node.metrics).map(([name, value]) => `${name} ${value.toFixed(4)}`).join(', ') : '';
    console.log(`  ${id}: ${seconds(node.durationMs)}${metrics ? `; ${metrics}` : ''}${node.error ? `; ${node.error}` : ''}`);
  }
  if (run.status !== 'succeeded') process.exitCode = 1;
}

await main();
