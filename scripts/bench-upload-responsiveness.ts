/**
 * Does the server stay responsive while a large CSV is uploaded?
 *   npx tsx scripts/bench-upload-responsiveness.ts [--mb 190] [--interval 50] [--numbers 50] [--texts 3]
 *       [--csv /tmp/table.csv] [--url http://127.0.0.1:3000 --pid <server pid>] [--idle 120]
 * Writes a seeded CSV of about --mb megabytes (--numbers number columns, --texts text columns and a yes/no
 * label; with --csv, kept there and reused by later runs), then:
 *   - streams the file from disk to POST /api/uploads/dataset, as a browser sends it (received, hashed,
 *     written to disk, then parsed and checked in a checking thread, columns kept);
 *   - meanwhile asks GET /api/trpc/system.info every --interval ms and records how long each answer takes.
 * By default the app's real route handlers answer in this process over a fresh data directory
 * (server/http/fuzz/test-app.ts: the same code Next calls, without Next's own routing); with --url, a
 * running server (`next start` on an empty data directory) answers over HTTP, its first account signed up
 * here, and --pid names its process so its resident memory is read from /proc.
 * Prints the upload's time and answer (rows × columns), the light request's latencies (p50 / p99 / max)
 * during the upload and with no upload going on, and the peak memory meanwhile. A table over the upload
 * limit (2 GB) is refused as it arrives. With --pid, also the server's CPU by phase, how long its thread answering
 * requests waited for a core (CPU competition, not its own work) and its threads' nice values while checking.
 * --idle: seconds of the no-upload probe after the upload (at most the upload's time). To see that thread's
 * event-loop delay and GC pauses second by second, start the server with scripts/main-thread-delays.cjs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { seededRandom } from '../models/split';
import { execFile } from 'node:child_process';
import { startTestApp, type TestApp } from '../server/http/fuzz/test-app';

/** Where requests go: the in-process route handlers, or a running server over HTTP. */
interface Target {
  asOwner(url: string, init?: RequestInit): Promise<Response>;
  /** Sends the file to the upload route; `onSent` is called once its last byte has left. */
  upload(file: string, bytes: number, onSent: () => void): Promise<{ status: number; answer: UploadAnswer }>;
}
type UploadAnswer = { rowCount?: number; columns?: unknown[]; error?: string };

const uploadUrl = (file: string) => `/api/uploads/dataset?name=${encodeURIComponent(path.basename(file))}`;

/** The route handlers in this process: the file is streamed from disk as a request body. */
function inProcessTarget(app: TestApp): Target {
  return {
    asOwner: (url, init) => app.asOwner(url, init),
    upload: async (file, bytes, onSent) => {
      const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 }).on('end', onSent);
      const response = await app.asOwner(uploadUrl(file), {
        method: 'POST',
        body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
      });
      return { status: response.status, answer: (await response.json()) as UploadAnswer };
    },
  };
}

const TEXT_VALUES = [
  ['north', 'south', 'east', 'west', 'centre'],
  ['basic', 'plus', 'premium', 'business'],
  Array.from({ length: 200 }, (_, i) => `shop-${String(i + 1).padStart(3, '0')}`),
];

/**
 * A seeded table of about `megabytes` MB: `numbers` number columns, `texts` text columns (a few to a
 * couple of hundred distinct values each) and a yes/no label, as a CRM export looks.
 */
function writeCsv(file: string, megabytes: number, numbers: number, texts: number): number {
  const random = seededRandom(7);
  const textColumns = Array.from({ length: texts }, (_, t) => TEXT_VALUES[t % TEXT_VALUES.length]);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  const names = [...Array.from({ length: numbers }, (_, c) => `x${c + 1}`), ...textColumns.map((_, t) => `t${t + 1}`), 'label'];
  let chunk = `${names.join(',')}\n`;
  const values = new Array<string>(names.length);
  while (written + chunk.length < megabytes * 1e6) {
    for (let c = 0; c < numbers; c++) values[c] = String(Math.round((random() - 0.5) * 6000) / 1000);
    textColumns.forEach((choices, t) => (values[numbers + t] = choices[Math.floor(random() * choices.length)]));
    values[names.length - 1] = random() < 0.3 ? 'yes' : 'no';
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

/** Asks the light request every `intervalMs` until `done` says stop; answers each one's latency, and when it was asked. */
async function probe(app: Target, intervalMs: number, done: () => boolean, askedAt: number[] = []): Promise<number[]> {
  const latencies: number[] = [];
  while (!done()) {
    askedAt.push(performance.now());
    const started = performance.now();
    const response = await app.asOwner('/api/trpc/system.info');
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`system.info answered ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return latencies;
}

/** A running server (`next start` or `next dev`): signs up its first account, whose session every request carries. */
async function serverTarget(base: string): Promise<Target> {
  // The server's first account; a server already set up (an earlier run) signs it in again.
  const account = { name: 'Bench Owner', email: 'owner@bench.example', password: 'upload-bench-password' };
  const post = (what: string) =>
    fetch(`${base}/api/auth/${what}/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(account) });
  let response = await post('sign-up');
  if (response.status === 403 || response.status === 422) response = await post('sign-in');
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!response.ok || !cookie) throw new Error(`signing in answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return {
    asOwner: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      // duplex: a streamed body, sent as it is read from disk.
      return fetch(`${base}${url}`, { ...init, headers, duplex: 'half' } as RequestInit);
    },
    upload: (file, bytes, onSent) => uploadWithCurl(`${base}${uploadUrl(file)}`, cookie, file, bytes, onSent),
  };
}

/**
 * Sends the file with curl, a process of its own streaming it from disk, so the light requests' latencies
 * measured here are the server's, not this process's time spent sending a gigabyte. The last byte has left
 * when curl has read the whole file (its /proc io counter).
 */
function uploadWithCurl(url: string, cookie: string, file: string, bytes: number, onSent: () => void): Promise<{ status: number; answer: UploadAnswer }> {
  return new Promise((resolve, reject) => {
    const args = ['-sS', '-X', 'POST', '-T', file, '-H', 'content-type: application/octet-stream', '-H', 'expect:', '-H', `cookie: ${cookie}`, '-w', '\n%{http_code}', url];
    const curl = execFile('curl', args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      clearInterval(watch);
      if (error) return reject(error);
      const lines = stdout.trimEnd().split('\n');
      resolve({ status: Number(lines.pop()), answer: JSON.parse(lines.join('\n')) as UploadAnswer });
    });
    let sent = false;
    const watch = setInterval(() => {
      const read = Number(/rchar:\s+(\d+)/.exec(fs.readFileSync(`/proc/${curl.pid}/io`, 'utf8'))?.[1] ?? 0);
      if (!sent && read >= bytes) {
        sent = true;
        onSent();
      }
    }, 20);
  });
}

/**
 * Peak resident memory while the upload goes on, and the server thread's heap when it is this process.
 * `pid`: a server in another process, read from /proc (VmRSS sampled, and VmHWM, the kernel's own peak).
 */
function watchMemory(pid: number | null): { stop: () => string } {
  let rss = 0;
  let heap = 0;
  const proc = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const before = pid ? proc('VmRSS') : process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const sample = () => {
    if (pid) return void (rss = Math.max(rss, proc('VmRSS')));
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  const timer = setInterval(sample, 100);
  sample();
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      if (pid) return `server process ${pid} resident ${mb(before)} before, peak ${mb(rss)} sampled during (checking threads included), VmHWM ${mb(proc('VmHWM'))}`;
      return `process resident ${mb(before)} before, peak ${mb(rss)} during (checking thread included); server thread heap ${mb(heapBefore)} before, peak ${mb(heap)}`;
    },
  };
}

/**
 * CPU seconds (user + system) of a server's thread that answers requests (its main thread: task id = pid), and
 * of the whole process; and the seconds that thread spent runnable but waiting for a core (schedstat's second
 * field): the part of its answers' delay that is CPU competition rather than its own work.
 */
function serverCpu(pid: number): { main: number; all: number; mainWaited: number } {
  const ticks = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const waitedNs = Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]);
  return { main: ticks(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')), all: ticks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')), mainWaited: waitedNs / 1e9 };
}

/** The server's threads by nice value (e.g. "nice 0: 11 threads, nice 10: 2 threads"): the checking threads run at a lower priority. */
function threadNiceValues(pid: number): string {
  const counts = new Map<number, number>();
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      counts.set(nice, (counts.get(nice) ?? 0) + 1);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return [...counts].sort(([a], [b]) => a - b).map(([nice, n]) => `nice ${nice}: ${n} threads`).join(', ');
}

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

async function main() {
  const { values } = parseArgs({
    options: {
      mb: { type: 'string', default: '190' },
      interval: { type: 'string', default: '50' },
      numbers: { type: 'string', default: '50' },
      texts: { type: 'string', default: '3' },
      csv: { type: 'string' },
      url: { type: 'string' },
      pid: { type: 'string' },
      idle: { type: 'string', default: '120' },
    },
  });
  const intervalMs = Number(values.interval);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-upload-bench-'));
  // --csv: a file kept between runs (written there first when it does not exist), so a 1 GB table is generated once.
  const csv = values.csv ?? path.join(scratch, 'large.csv');
  const bytes = values.csv && fs.existsSync(csv) ? fs.statSync(csv).size : writeCsv(csv, Number(values.mb), Number(values.numbers), Number(values.texts));
  const testApp = values.url ? null : await startTestApp();
  const app: Target = testApp ? inProcessTarget(testApp) : (await serverTarget(values.url!.replace(/\/$/, '')));
  try {
    const where = values.url ? `server at ${values.url}` : 'route handlers in this process';
    console.log(`# ${os.cpus().length} cores, load average ${load()}, Node ${process.version}; ${where}; file ${(bytes / 1e6).toFixed(0)} MB`);
    // Warm up: the route modules load on first use.
    await probe(app, intervalMs, (() => { let n = 0; return () => n++ >= 5; })());
    const quiet = async (seconds: number) => {
      let done = false;
      const latencies = probe(app, intervalMs, () => done);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      done = true;
      return latencies;
    };
    const idleBefore = await quiet(3);

    const memory = watchMemory(values.pid ? Number(values.pid) : null);
    let uploading = true;
    const askedAt: number[] = [];
    const during = probe(app, intervalMs, () => !uploading, askedAt);
    const started = performance.now();
    const startedAt = Date.now();
    // When the last byte has left: the server is then checking, no longer receiving.
    let sentAt = Infinity;
    const pid = values.pid ? Number(values.pid) : null;
    const cpuAtStart = pid ? serverCpu(pid) : null;
    let cpuAtSent = cpuAtStart;
    let nicesWhileChecking = '';
    const { status, answer } = await app.upload(csv, bytes, () => {
      sentAt = performance.now();
      if (pid) cpuAtSent = serverCpu(pid);
      // A few seconds into the check: its threads have started.
      if (pid) setTimeout(() => (nicesWhileChecking = threadNiceValues(pid)), 5000).unref();
    });
    const uploadMs = performance.now() - started;
    uploading = false;
    const duringLatencies = await during;
    const outcome = status === 200 ? `stored, ${answer.rowCount?.toLocaleString('en-US')} rows × ${answer.columns?.length} columns` : `${status}: ${answer.error}`;
    console.log(`upload of ${(bytes / 1e6).toFixed(0)} MB: ${(uploadMs / 1000).toFixed(1)} s (${outcome}); load average after ${load()}`);
    console.log(`light request (GET /api/trpc/system.info) during the upload: ${describe(duringLatencies)}`);
    console.log(`  while the file arrives (${((sentAt - started) / 1000).toFixed(1)} s): ${describe(duringLatencies.filter((_, i) => askedAt[i] < sentAt))}`);
    console.log(`  while it is checked and kept: ${describe(duringLatencies.filter((_, i) => askedAt[i] >= sentAt))}`);
    const slowest = duringLatencies.map((ms, i) => ({ ms, at: (askedAt[i] - started) / 1000 })).sort((a, b) => b.ms - a.ms).slice(0, 8);
    console.log(`slowest light requests (ms at s after the upload began): ${slowest.map(({ ms, at }) => `${ms.toFixed(0)} at ${at.toFixed(1)}`).join(', ')}`);
    console.log(`memory: ${memory.stop()}`);
    if (pid && cpuAtStart && cpuAtSent) {
      const end = serverCpu(pid);
      const f = (n: number) => `${n.toFixed(1)} s`;
      console.log(
        `server CPU: thread answering requests ${f(cpuAtSent.main - cpuAtStart.main)} while the file arrives, ${f(end.main - cpuAtSent.main)} while it is checked; ` +
          `whole process ${f(cpuAtSent.all - cpuAtStart.all)} and ${f(end.all - cpuAtSent.all)}`,
      );
      console.log(
        `thread answering requests waited for a core ${f(cpuAtSent.mainWaited - cpuAtStart.mainWaited)} while the file arrives, ` +
          `${f(end.mainWaited - cpuAtSent.mainWaited)} while it is checked; server threads while checking: ${nicesWhileChecking}`,
      );
    }
    // The same machine with no upload, for as long again (at most 2 minutes): a shared machine's own load
    // moves these latencies as much as an upload does, so the comparison is made in the same minutes.
    const idleFrom = Date.now();
    const waitedBeforeIdle = pid ? serverCpu(pid).mainWaited : 0;
    const idleSeconds = Math.min(Number(values.idle), uploadMs / 1000);
    const idleLatencies = [...idleBefore, ...(await quiet(idleSeconds))];
    const idleWait = pid ? `; thread answering requests waited for a core ${(serverCpu(pid).mainWaited - waitedBeforeIdle).toFixed(1)} s in ${idleSeconds.toFixed(0)} s` : '';
    console.log(`light request with no upload (3 s before, then ${idleSeconds.toFixed(0)} s after; load average ${load()}): ${describe(idleLatencies)}${idleWait}`);
    console.log(`phases (epoch ms): upload began ${startedAt}, last byte sent ${startedAt + Math.round(sentAt - started)}, stored ${startedAt + Math.round(uploadMs)}, no-upload probe ${idleFrom} to ${Date.now()}`);
  } finally {
    if (testApp) {
      await testApp.close();
      fs.rmSync(testApp.root, { recursive: true, force: true });
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
