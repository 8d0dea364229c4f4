/**
 * Does the server stay responsive while a large CSV is uploaded?
 *   npx tsx scripts/bench-upload-responsiveness.ts [--mb 190] [--interval 50]
 * Writes a seeded CSV of about --mb megabytes (50 number columns and a yes/no label), then, in one
 * process, runs the app's real route handlers over a fresh data directory (server/http/fuzz/test-app.ts:
 * the same code Next calls, without Next's own routing) and:
 *   - streams the file from disk to POST /api/uploads/dataset, as a browser sends it (received, hashed,
 *     written to disk, then parsed and checked in a checking thread, columns kept);
 *   - meanwhile asks GET /api/trpc/system.info every --interval ms and records how long each answer takes.
 * Prints the upload's time and answer, the light request's latencies (p50 / p99 / max) during the upload,
 * and the same with no upload going on, for comparison. Anything above the upload limit (200 MB for a table)
 * is refused by the route as it arrives; --mb 1024 shows how fast that refusal comes and the latencies meanwhile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { seededRandom } from '../models/split';
import { startTestApp, type TestApp } from '../server/http/fuzz/test-app';

function writeCsv(file: string, megabytes: number): number {
  const random = seededRandom(7);
  const cols = 50;
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let chunk = `${[...Array.from({ length: cols }, (_, c) => `x${c + 1}`), 'label'].join(',')}\n`;
  const values = new Array<string>(cols + 1);
  while (written + chunk.length < megabytes * 1e6) {
    for (let c = 0; c < cols; c++) values[c] = String(Math.round((random() - 0.5) * 6000) / 1000);
    values[cols] = random() < 0.3 ? 'yes' : 'no';
    chunk += `${values.join(',')}\n`;
    if (chunk.length > 4 * 1024 * 1024) {
      fs.writeSync(fd, chunk);
      written += chunk.length;
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const describe = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `${sorted.length} requests, p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`;
};

/** Asks the light request every `intervalMs` until `done` says stop; answers each one's latency. */
async function probe(app: TestApp, intervalMs: number, done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!done()) {
    const started = performance.now();
    const response = await app.asOwner('/api/trpc/system.info');
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`system.info answered ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return latencies;
}

async function main() {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '190' }, interval: { type: 'string', default: '50' } } });
  const intervalMs = Number(values.interval);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-upload-bench-'));
  const csv = path.join(scratch, 'large.csv');
  const bytes = writeCsv(csv, Number(values.mb));
  const app = await startTestApp();
  try {
    console.log(`# ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}; file ${(bytes / 1e6).toFixed(0)} MB`);
    // Warm up: the route modules load on first use.
    await probe(app, intervalMs, (() => { let n = 0; return () => n++ >= 5; })());
    let idleDone = false;
    const idle = probe(app, intervalMs, () => idleDone);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    idleDone = true;
    const idleLatencies = await idle;

    let uploading = true;
    const during = probe(app, intervalMs, () => !uploading);
    const started = performance.now();
    const body = Readable.toWeb(fs.createReadStream(csv, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>;
    const response = await app.asOwner('/api/uploads/dataset?name=large.csv', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const answer = (await response.json()) as { rowCount?: number; error?: string };
    const uploadMs = performance.now() - started;
    uploading = false;
    const duringLatencies = await during;
    const outcome = response.status === 200 ? `stored, ${answer.rowCount?.toLocaleString('en-US')} rows` : `${response.status}: ${answer.error}`;
    console.log(`upload of ${(bytes / 1e6).toFixed(0)} MB: ${(uploadMs / 1000).toFixed(1)} s (${outcome})`);
    console.log(`light request (GET /api/trpc/system.info) during the upload: ${describe(duringLatencies)}`);
    console.log(`light request with no upload: ${describe(idleLatencies)}`);
  } finally {
    await app.close();
    fs.rmSync(app.root, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
