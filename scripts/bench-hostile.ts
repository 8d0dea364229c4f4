/**
 * Hostile-load benchmark: trains template runs through the web app while many clients send fuzzed,
 * malformed and oversized requests, and measures what a normal user feels meanwhile (runs.list and
 * page latency), the server's peak memory and CPU, its 5xx answers and whether it survives.
 * Build first (`npx next build`; in a copy of the tree if others are building here), then from the app folder:
 *   npx tsx scripts/bench-hostile.ts [--port 3500] [--runs 20] [--clients 50] [--big-uploads 3]
 *     [--templates campaign-response,explain-subscribers] [--max-seconds 480] [--keep-data]
 * `--clients 0` gives the same latencies without hostile traffic, to compare with.
 * It starts `next start` itself (so it knows the pid) on a fresh PIPELAB_DATA_DIR, and stops it at the end.
 * Latency probes run in their own thread so the fuzzing clients' CPU work does not delay their clocks
 * (the clients still share the machine's cores with the server: the CPU row says how much they took).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { KiB, LIMITS, MiB } from '../models/limits';
import { findTemplate } from '../server/templates';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const PORT = Number(option('port', '3500'));
const RUNS = Number(option('runs', '20'));
const CLIENTS = Number(option('clients', '50'));
const BIG_UPLOADS = Number(option('big-uploads', '3'));
const MAX_SECONDS = Number(option('max-seconds', '480'));
// Runs cycle through these; by default one in ten is the heavy comparison (SVM, 5 folds, about a minute under load) so 20 runs fit in ~5 minutes.
const TEMPLATES = option('templates', [...Array(4).fill('campaign-response,explain-subscribers'), 'campaign-response,compare-response-models'].join(',')).split(',');
const BASE = `http://127.0.0.1:${PORT}`;
const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------- the server under test ----------
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-hostile-'));
const logFile = path.join(os.tmpdir(), `pipelab-bench-hostile-${PORT}.log`);
const serverLog = fs.createWriteStream(logFile);
const server = spawn(process.execPath, [path.join(APP_DIR, 'node_modules/next/dist/bin/next'), 'start', '-p', String(PORT), '-H', '127.0.0.1'], {
  cwd: APP_DIR,
  env: { ...process.env, PIPELAB_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout.pipe(serverLog);
server.stderr.pipe(serverLog);
let serverExit: string | null = null;
server.on('exit', (code, signal) => (serverExit = `exit code ${code}, signal ${signal}`));
process.on('SIGINT', () => (server.kill('SIGKILL'), process.exit(130)));

/** Peak memory (VmHWM: the kernel's own peak RSS) and CPU time per process of the server's tree, read from /proc while it runs. */
const peaks = new Map<number, { cmd: string; hwmKb: number; rssKb: number; cpuSeconds: number }>();
/** A /proc file, or '' when its process has just ended. */
function readProc(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
function descendants(pid: number): number[] {
  const tasks = fs.existsSync(`/proc/${pid}/task`) ? fs.readdirSync(`/proc/${pid}/task`) : [];
  const kids = tasks.flatMap((tid) => readProc(`/proc/${pid}/task/${tid}/children`).split(/\s+/).filter(Boolean).map(Number));
  return [pid, ...kids.flatMap(descendants)];
}
function sampleProcesses(): void {
  if (!server.pid || serverExit) return;
  for (const pid of descendants(server.pid)) {
    const status = readProc(`/proc/${pid}/status`);
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    const seen = peaks.get(pid) ?? { cmd: readProc(`/proc/${pid}/cmdline`).replace(/\0/g, ' ').trim().slice(0, 120), hwmKb: 0, rssKb: 0, cpuSeconds: 0 };
    // CPU time too (utime + stime, in 1/100 s): tells a busy event loop from a machine short of cores when latency is high.
    const stat = readProc(`/proc/${pid}/stat`).split(') ')[1]?.split(' ') ?? [];
    const cpuSeconds = stat.length > 12 ? (Number(stat[11]) + Number(stat[12])) / 100 : seen.cpuSeconds;
    peaks.set(pid, { ...seen, hwmKb: Math.max(seen.hwmKb, kb('VmHWM')), rssKb: Math.max(seen.rssKb, kb('VmRSS')), cpuSeconds });
  }
}

// ---------- plain API calls of a signed-in person ----------
let cookie = '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * An abort signal that fires after `ms` or with `also`. Not AbortSignal.timeout: on Node 20 a timeout signal
 * that only fetch holds can be garbage-collected before it fires, and a hanging request then never ends.
 */
function deadlineSignal(ms: number, also?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean; clear: () => void } {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => ((fired = true), controller.abort(new DOMException(`no answer within ${ms / 1000} s`, 'TimeoutError'))), ms);
  const onAlso = () => controller.abort(also?.reason);
  also?.addEventListener('abort', onAlso, { once: true });
  return { signal: controller.signal, timedOut: () => fired, clear: () => (clearTimeout(timer), also?.removeEventListener('abort', onAlso)) };
}

async function trpc<T>(procedure: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const query = method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
  const deadline = deadlineSignal(30_000);
  const body = await fetch(`${BASE}/api/trpc/${procedure}${query}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
    signal: deadline.signal,
  })
    .then(async (response) => ({ status: response.status, ...((await response.json()) as { result?: { data: T }; error?: { message: string } }) }))
    .finally(deadline.clear);
  if (!body.result) throw new Error(`${procedure}: ${body.status} ${body.error?.message}`);
  return body.result.data;
}

async function startServerAndSignIn(): Promise<void> {
  for (let waited = 0; ; waited += 250) {
    if (serverExit) throw new Error(`the server stopped while starting (${serverExit}); see ${logFile}`);
    if (waited > 90_000) throw new Error(`the server did not answer within 90 s; see ${logFile}`);
    const ok = await fetch(`${BASE}/api/trpc/system.info`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(250);
  }
  // Signed once: sign-up and sign-in are limited to 10 a minute per address.
  const response = await fetch(`${BASE}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE },
    body: JSON.stringify({ name: 'Bench Owner', email: 'owner@bench.example', password: 'hostile-bench-password' }),
  });
  cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!response.ok || !cookie) throw new Error(`sign-up answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}

/** Run i changes each model's setting a little, so models retrain while the data steps come from the cache. */
function graphForRun(i: number) {
  const template = findTemplate(TEMPLATES[i % TEMPLATES.length]);
  if (!template) throw new Error(`unknown template ${TEMPLATES[i % TEMPLATES.length]}`);
  const graph = structuredClone(template.graph);
  const tweak: Record<string, Record<string, number>> = {
    'model.logisticRegression': { l2: 1 + i / 2 },
    'model.decisionTree': { minSamplesLeaf: 20 + i },
    'model.svm': { C: 1 + i / 10 },
    'model.linearRegression': { l2: i / 10 },
  };
  for (const node of graph.nodes) if (tweak[node.type]) node.params = { ...node.params, ...tweak[node.type] };
  return { graph, label: `${template.name} (hostile bench ${i + 1})` };
}

/** The runs, one after another, so the hostile traffic overlaps training the whole time. */
type RunRecord = { template: string; status: string; seconds: number };
async function driveRuns(deadline: number, records: RunRecord[]): Promise<void> {
  // A call lost in the crowd is retried: the run driver measures training, not the hostile traffic.
  const retry = async <T>(call: () => Promise<T>, attempt = 1): Promise<T> =>
    call().catch(async (error) => {
      if (attempt >= 5 || serverExit) throw error;
      return sleep(500).then(() => retry(call, attempt + 1));
    });
  for (let i = 0; i < RUNS && Date.now() < deadline && !serverExit; i++) {
    const started = Date.now();
    const { runId } = await retry(() => trpc<{ runId: string }>('runs.start', graphForRun(i), 'POST'));
    let status = 'running';
    while (status === 'running' && Date.now() < deadline && !serverExit) {
      await sleep(200);
      status = (await retry(() => trpc<{ status: string }>('runs.get', { runId }, 'GET'))).status;
    }
    records.push({ template: TEMPLATES[i % TEMPLATES.length], status, seconds: (Date.now() - started) / 1000 });
  }
}

// ---------- latency probes, in a thread of their own ----------
const PROBE_CODE = `
const { parentPort, workerData: { base, cookie } } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => (stop = true));
async function probe(urls, pauseMs, samples) {
  for (let i = 0; !stop; i++) {
    const started = performance.now();
    let status = 0;
    const controller = new AbortController(); // not AbortSignal.timeout: see deadlineSignal
    const timer = setTimeout(() => controller.abort(), 30000);
    try {
      const response = await fetch(base + urls[i % urls.length], { headers: { cookie }, redirect: 'manual', signal: controller.signal });
      await response.arrayBuffer();
      status = response.status;
    } catch {}
    clearTimeout(timer);
    samples.push([performance.now() - started, status]);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
const list = [], page = [];
Promise.all([
  probe(['/api/trpc/runs.list?input=' + encodeURIComponent('{"limit":50}')], 50, list),
  probe(['/runs', '/'], 200, page),
]).then(() => parentPort.postMessage({ list, page }));
`;

// ---------- the hostile clients ----------
type Attack = { method: string; path: string; body?: BodyInit; headers?: Record<string, string>; timeoutMs?: number; signedOut?: boolean };
const rand = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(items: readonly T[]): T => items[rand(items.length)];
const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** Procedures a signed-in owner may fuzz; the ones that change the workspace or account are only fuzzed signed out. */
const PROCEDURES = ['system.info', 'catalog.list', 'templates.list', 'graph.validate', 'pipelines.list', 'pipelines.get', 'pipelines.save',
  'pipelines.delete', 'pipelines.versions', 'pipelines.version', 'pipelines.diffVersions', 'pipelines.restoreVersion', 'pipelines.export',
  'pipelines.checkImport', 'pipelines.import', 'pipelines.share', 'pipelines.shareLinks', 'pipelines.unshare', 'pipelines.duplicate',
  'runs.start', 'runs.get', 'runs.list', 'runs.cancel', 'runs.search', 'runs.compare', 'runs.metricHistory', 'shares.get', 'shares.run',
  'endpoints.list', 'endpoints.publish', 'endpoints.unpublish', 'imageArchives.get', 'datasets.list', 'datasets.get', 'activity.list',
  'setup.status', 'invitations.preview', 'members.roles', 'members.list', 'nope.nothing', 'runs', '', '..%2f..%2fetc', 'runs.list.x'];
const OWNER_PROCEDURES = ['workspaces.create', 'workspaces.rename', 'workspaces.delete', 'workspaces.switch', 'members.invite', 'members.setRole',
  'members.remove', 'members.revokeInvitation', 'account.me', 'invitations.accept'];
// No "name"/"confirmName" keys: a random body that happens to be valid must not rename or leave the workspace.
const KEYS = ['id', 'runId', 'runIds', 'hash', 'graph', 'limit', 'page', 'pageSize', 'token', 'pipelineId', 'nodeId', 'filters', 'sort',
  '__proto__', 'constructor', 'schemaVersion', 'nodes', 'edges', 'version', 'from', 'to', 'file', 'label', '0', ''];
const LEAVES = [null, true, false, 0, -1, 1e308, -1e-308, 2 ** 53 + 1, '', 'x', '\u0000\ud800', '../../etc/passwd', '<script>alert(1)</script>',
  "' OR 1=1 --", '%00', 'a'.repeat(201), 'é'.repeat(3000), '0'.repeat(64), 'f'.repeat(64)];
function randomJson(depth = 0): unknown {
  const r = Math.random();
  if (depth > 4 || r < 0.35) return pick(LEAVES);
  if (r < 0.6) return Array.from({ length: rand(6) }, () => randomJson(depth + 1));
  return Object.fromEntries(Array.from({ length: rand(6) }, () => [pick(KEYS), randomJson(depth + 1)]));
}

const nested = (levels: number, open: string, close: string, leaf = '1') => open.repeat(levels) + leaf + close.repeat(levels);
const DEEP_OBJECT = nested(5000, '{"a":', '}');
const DEEP_ARRAY = nested(5000, '[', ']');
const DEEP_GRAPHS = [
  DEEP_OBJECT,
  DEEP_ARRAY,
  `{"schemaVersion":1,"nodes":[{"id":"m","type":"model.logisticRegression","version":1,"params":{"l2":${DEEP_OBJECT}}}],"edges":[]}`,
  `{"schemaVersion":1,"nodes":${nested(5000, '[', ']', '{"id":"x"}')},"edges":[]}`,
];
const OVERSIZED_TRPC = Buffer.concat([Buffer.from('{"graph":"'), Buffer.alloc(30 * MiB, 'x'), Buffer.from('"}')]);

/** A body of `bytes` bytes made chunk by chunk as it is sent, so a 250 MB upload never sits in memory here. */
function streamedBody(bytes: number, line = '42,0.5,yes,"some text"\n'): ReadableStream<Uint8Array> {
  const chunk = Buffer.alloc(MiB, line);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(chunk.byteLength, bytes - sent);
      controller.enqueue(new Uint8Array(chunk.subarray(0, size)));
      sent += size;
    },
  });
}

/** Garbage files for the upload route: broken CSVs, fake zips, hostile model files. */
function garbageFile(): Buffer {
  const noise = () => randomBytes(rand(256 * KiB));
  const eocd = Buffer.from('504b0506000000000ffff0ffffffff0ffffffff0000', 'hex'); // end record claiming 65,535 entries at a bogus offset
  return pick([
    () => noise(),
    () => Buffer.from('a,b,c\n1,2\n3,4,5,6,7\n"unclosed,8\n'.repeat(rand(2000) + 1)),
    () => Buffer.from(Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',') + '\n' + '1,'.repeat(20_000) + '\n'),
    () => Buffer.from(`x,y\n"${'q'.repeat(4 * MiB)}",1\n`),
    () => Buffer.from('a,b\n\0\0\0,\uffff\n'.repeat(1000)),
    () => Buffer.concat([Buffer.from('PK\x03\x04'), noise()]),
    () => Buffer.concat([noise(), eocd]),
    () => Buffer.from(DEEP_OBJECT),
    () => Buffer.from(JSON.stringify({ kind: 'logisticRegression', weights: new Array(200_000).fill(1e308), classes: [randomJson()] })),
    () => Buffer.from(JSON.stringify(randomJson())),
    () => Buffer.alloc(0),
  ])();
}

/** One hostile request, chosen at random; `big` is one of the few 250 MB uploads. */
function nextAttack(big: number | null): [string, Attack] {
  if (big !== null) {
    const kind = big % 3 === 2 ? 'imageArchive' : 'dataset';
    const declared: Record<string, string> = big % 3 === 1 ? { 'content-length': String(250 * MiB) } : {};
    return [`upload 250 MB ${kind}${big % 3 === 1 ? ' (declared length)' : ''}`, {
      method: 'POST', path: `/api/uploads/${kind}?name=big.csv`, body: streamedBody(250 * MiB),
      headers: { 'content-type': 'application/octet-stream', ...declared }, timeoutMs: 180_000,
    }];
  }
  const json = { 'content-type': 'application/json' };
  const attacks: [number, () => [string, Attack]][] = [
    [2, () => ['batch of 200 (GET)', { method: 'GET', path: `/api/trpc/${Array(200).fill('pipelines.list').join(',')}?batch=1&input=${encode({ 0: null })}` }]],
    [2, () => ['batch of 200 (POST)', { method: 'POST', path: `/api/trpc/${Array(200).fill('graph.validate').join(',')}?batch=1`, body: JSON.stringify(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [i, { graph: {} }]))), headers: json }]],
    [3, () => ['broken percent-encoding', pick<Attack>([
      { method: 'GET', path: '/api/artifacts/%' }, { method: 'GET', path: '/api/trpc/runs.get?input=%E0%A4%A' }, { method: 'GET', path: '/runs?q=%zz' },
      { method: 'GET', path: '/%' }, { method: 'POST', path: '/api/uploads/dataset?name=%E0%A4%A', body: 'a,b\n1,2\n', headers: { 'content-type': 'application/octet-stream' } },
      { method: 'POST', path: '/api/predict/%', body: '{}', headers: json }, { method: 'POST', path: '/api/trpc/%', body: '{}', headers: json },
      { method: 'POST', path: '/api/uploads/%', body: 'a', headers: { 'content-type': 'application/octet-stream' } }, { method: 'GET', path: '/api/artifacts/%c0%ae%c0%ae%2f' }])]],
    [2, () => ['very long URL (9-100 KB)', { method: 'GET', path: pick(['/api/trpc/runs.list?input=', '/runs?q=', '/api/artifacts/', '/api/auth/get-session?x=']) + 'a'.repeat(pick([9 * KiB, 15 * KiB, 100 * KiB])) }]],
    [3, () => ['5,000-level JSON to graph.validate / runs.start', { method: 'POST', path: `/api/trpc/${pick(['graph.validate', 'runs.start', 'pipelines.save'])}`, body: `{"graph":${pick(DEEP_GRAPHS)},"label":"deep"}`, headers: json }]],
    [8, () => {
      const signedOut = Math.random() < 0.2;
      const procedure = signedOut ? pick(OWNER_PROCEDURES) : pick(PROCEDURES);
      const raw = pick([JSON.stringify(randomJson()), JSON.stringify({ [pick(KEYS)]: randomJson() }), '{"a":', 'null', '\u0000', '[]'.repeat(1000)]);
      return ['random JSON to a random procedure', Math.random() < 0.5 ? { method: 'GET', path: `/api/trpc/${procedure}?input=${encodeURIComponent(raw)}`, signedOut }
        : { method: 'POST', path: `/api/trpc/${procedure}`, body: raw, signedOut, headers: { 'content-type': pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']) } }];
    }],
    [1, () => ['30 MB body to tRPC', { method: 'POST', path: `/api/trpc/${pick(['runs.start', 'pipelines.import', 'graph.validate'])}`, headers: json,
      body: Math.random() < 0.5 ? OVERSIZED_TRPC : streamedBody(30 * MiB, '{"graph":[1,2,3]}') }]],
    [6, () => ['garbage file to the upload route', { method: 'POST', path: `/api/uploads/${pick(['dataset', 'imageArchive', 'model', 'model', 'nope'])}?name=${pick(['x.csv', 'a.zip', 'm.json', '', '%2e%2e%2fetc', 'n'.repeat(300)])}`,
      body: garbageFile(), headers: { 'content-type': pick(['application/octet-stream', 'application/octet-stream', 'text/csv']) } }]],
    [4, () => ['random body to the prediction API', { method: 'POST', path: `/api/predict/${pick([crypto.randomUUID(), 'x', '..', 'a'.repeat(300)])}`,
      headers: { ...json, authorization: pick(['', 'Bearer ' + crypto.randomUUID(), 'Bearer ', 'Basic Og==']) },
      body: pick([() => JSON.stringify(randomJson()), () => '{"rows":[' + '{"a":1},'.repeat(5000) + '{}]}', () => DEEP_ARRAY, () => 'not json', () => Buffer.alloc(11 * MiB, ' ')])() }]],
  ];
  let ticket = rand(attacks.reduce((sum, [weight]) => sum + weight, 0));
  for (const [weight, make] of attacks) if ((ticket -= weight) < 0) return make();
  throw new Error('unreachable');
}

/** `cut`: still unanswered when the benchmark ended (a hanging request shows here, not as a failure). */
type Tally = { sent: number; ok2: number; r3: number; c4: number; s5: number; reset: number; timeout: number; cut: number };
const tallies = new Map<string, Tally>();
const first5xx: { attack: string; method: string; path: string; status: number; body: string; withCookie: boolean }[] = [];
const firstFailures: { attack: string; path: string; error: string; seconds: number }[] = [];
const stopAll = new AbortController();
setMaxListeners(0, stopAll.signal); // every in-flight request listens to it

async function hostileClient(index: number, done: () => boolean, bigTickets: number[]): Promise<void> {
  for (let loop = 0; !done(); loop++) {
    // Only a few 250 MB uploads: the first clients send one each on their second loop.
    const big = loop === 1 && index < BIG_UPLOADS ? (bigTickets.pop() ?? null) : null;
    const [name, attack] = nextAttack(big);
    const withCookie = !attack.signedOut && Math.random() < 0.8;
    const tally = tallies.get(name) ?? { sent: 0, ok2: 0, r3: 0, c4: 0, s5: 0, reset: 0, timeout: 0, cut: 0 };
    tallies.set(name, tally);
    const sentAt = performance.now();
    const deadline = deadlineSignal(attack.timeoutMs ?? 30_000, stopAll.signal);
    tally.sent++;
    try {
      const response = await fetch(BASE + attack.path, {
        method: attack.method, body: attack.body, redirect: 'manual', duplex: 'half',
        headers: { ...attack.headers, ...(withCookie ? { cookie } : {}) },
        signal: deadline.signal,
      } as RequestInit);
      const text = await response.text();
      const s = response.status;
      if (s >= 500) {
        tally.s5++;
        if (first5xx.length < 10) first5xx.push({ attack: name, method: attack.method, path: attack.path.slice(0, 160), status: s, body: text.slice(0, 200), withCookie });
      } else if (s >= 400) tally.c4++;
      else if (s >= 300) tally.r3++;
      else tally.ok2++;
    } catch (error) {
      if (stopAll.signal.aborted) return void tally.cut++; // cut short by the end of the benchmark, not by the server
      tally[deadline.timedOut() ? 'timeout' : 'reset']++;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const seconds = Math.round((performance.now() - sentAt) / 100) / 10;
      if (firstFailures.length < 10) firstFailures.push({ attack: name, path: attack.path.slice(0, 120), error: `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`, seconds });
    } finally {
      deadline.clear();
    }
  }
}

// ---------- the benchmark ----------
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
};
const latencyStats = (samples: [number, number][]) => {
  const ms = samples.map(([t]) => t);
  const statuses: Record<string, number> = {};
  for (const [, status] of samples) statuses[status || 'failed'] = (statuses[status || 'failed'] ?? 0) + 1;
  return { samples: ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: Math.max(...ms), statuses };
};

async function main(): Promise<void> {
  await startServerAndSignIn();
  const sampler = setInterval(sampleProcesses, 250);
  sampleProcesses();
  const probes = new Worker(PROBE_CODE, { eval: true, workerData: { base: BASE, cookie } });
  const probed = new Promise<{ list: [number, number][]; page: [number, number][] }>((resolve) => probes.once('message', resolve));

  const started = Date.now();
  const serverCpuAtStart = peaks.get(server.pid!)?.cpuSeconds ?? 0;
  const workerCpuAtStart = [...peaks.values()].filter((p) => p.cmd.includes('server/worker/main')).reduce((sum, p) => sum + p.cpuSeconds, 0);
  const ownCpuAtStart = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
  let runsDone = false;
  const bigTickets = Array.from({ length: BIG_UPLOADS }, (_, i) => i);
  const clients = Array.from({ length: CLIENTS }, (_, i) => hostileClient(i, () => runsDone || !!serverExit || Date.now() - started > MAX_SECONDS * 1000, bigTickets));
  const runRecords: RunRecord[] = [];
  let runError = '';
  try {
    await driveRuns(started + MAX_SECONDS * 1000, runRecords);
  } catch (error) {
    runError = (error as Error).message;
  }
  runsDone = true;
  const trainingSeconds = (Date.now() - started) / 1000;
  const runOutcomes: Record<string, number> = {};
  const perTemplate: Record<string, number[]> = {};
  for (const { status, template, seconds } of runRecords) {
    runOutcomes[status] = (runOutcomes[status] ?? 0) + 1;
    (perTemplate[template] ??= []).push(seconds);
  }
  const runTimes = Object.entries(perTemplate).map(([t, s]) => `${t} ${s.length}× median ${percentile(s, 0.5).toFixed(1)} s`).join(', ');
  // Give in-flight requests a moment to finish, then cut the rest (a big upload may still be streaming).
  await Promise.race([Promise.all(clients), sleep(20_000)]);
  stopAll.abort();
  await Promise.all(clients);
  probes.postMessage('stop');
  const { list, page } = await probed;
  await probes.terminate();
  sampleProcesses();
  clearInterval(sampler);
  const measuredSeconds = (Date.now() - started) / 1000;
  const alive = !serverExit && server.exitCode === null;

  // The server is the process we started (its file-check threads included); the run worker is its forked child (tsx's esbuild helper is listed apart).
  const peakMb = (p?: { hwmKb: number; rssKb: number }) => (p ? Math.max(p.hwmKb, p.rssKb) / 1024 : 0);
  const serverPeakMb = peakMb(peaks.get(server.pid!));
  const workers = [...peaks.values()].filter((p) => p.cmd.includes('server/worker/main'));
  const workerPeakMb = Math.max(0, ...workers.map(peakMb));
  const workerPids = workers.length;
  // The documented bound: the server's own heap plus each file-check thread's heap cap (NODE_OPTIONS reaches both processes alike).
  const boundMb = getHeapStatistics().heap_size_limit / MiB + LIMITS.fileCheck.threads * LIMITS.fileCheck.heapMb;
  const cpuShare = (seconds: number) => `${Math.round((100 * seconds) / measuredSeconds)}%`;
  const serverCpu = (peaks.get(server.pid!)?.cpuSeconds ?? 0) - serverCpuAtStart;
  const workerCpu = workers.reduce((sum, p) => sum + p.cpuSeconds, 0) - workerCpuAtStart;
  const ownCpu = (process.cpuUsage().user + process.cpuUsage().system) / 1e6 - ownCpuAtStart;
  const runsList = latencyStats(list);
  const pageLoad = latencyStats(page);
  const hostile = [...tallies.entries()];
  const total = (key: keyof Tally) => hostile.reduce((sum, [, t]) => sum + t[key], 0);
  // Error lines of the server's own log, alike ones counted together: the cause of a 5xx or a hang is usually there.
  const serverErrors = new Map<string, number>();
  for (const line of readProc(logFile).split('\n')) if (/⨯|error|uncaught|unhandled|fatal/i.test(line)) serverErrors.set(line.trim().slice(0, 300), (serverErrors.get(line.trim().slice(0, 300)) ?? 0) + 1);

  const f = (n: number) => n.toFixed(1);
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  console.log(`\n## Hostile load: ${runRecords.length} of ${RUNS} runs, ${CLIENTS} hostile clients, ${trainingSeconds.toFixed(0)} s\n`);
  console.log('| measure | p50 | p99 | max | samples | answers | goal | met |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(`| runs.list latency (ms) | ${f(runsList.p50)} | ${f(runsList.p99)} | ${f(runsList.max)} | ${runsList.samples} | ${JSON.stringify(runsList.statuses)} | p99 < 300 | ${yes(runsList.p99 < 300)} |`);
  console.log(`| page load / and /runs (ms) | ${f(pageLoad.p50)} | ${f(pageLoad.p99)} | ${f(pageLoad.max)} | ${pageLoad.samples} | ${JSON.stringify(pageLoad.statuses)} | p99 < 300 | ${yes(pageLoad.p99 < 300)} |`);
  console.log(`\n| measure | value | goal | met |\n| --- | --- | --- | --- |`);
  console.log(`| server peak memory (VmHWM, MB) | ${f(serverPeakMb)} | < ${f(boundMb)} (heap + ${LIMITS.fileCheck.threads} × ${LIMITS.fileCheck.heapMb} MB) | ${yes(serverPeakMb < boundMb)} |`);
  console.log(`| run worker peak memory (VmHWM, MB; ${workerPids} worker process${workerPids === 1 ? '' : 'es'}) | ${f(workerPeakMb)} | (own process) | |`);
  console.log(`| hostile requests answered 5xx | ${total('s5')} of ${total('sent')} | 0 | ${yes(total('s5') === 0)} |`);
  console.log(`| hostile requests reset / timed out (30 s) / unanswered at the end | ${total('reset')} / ${total('timeout')} / ${total('cut')} | | |`);
  console.log(`| CPU, share of one core over ${measuredSeconds.toFixed(0)} s (${os.cpus().length} cores) | server ${cpuShare(serverCpu)}, run worker ${cpuShare(workerCpu)}, this script ${cpuShare(ownCpu)} | | |`);
  console.log(`| server crashes | ${alive ? 0 : 1}${serverExit ? ` (${serverExit})` : ''} | 0 | ${yes(alive)} |`);
  console.log(`| runs (${runTimes}) | ${JSON.stringify(runOutcomes)}${runError ? ` (stopped: ${runError})` : ''} | ${RUNS} succeeded | ${yes(runOutcomes.succeeded === RUNS)} |`);
  console.log('\n| hostile request | sent | 2xx | 3xx | 4xx | 5xx | reset | timeout | unanswered at end |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, t] of hostile.sort((a, b) => b[1].sent - a[1].sent)) console.log(`| ${name} | ${t.sent} | ${t.ok2} | ${t.r3} | ${t.c4} | ${t.s5} | ${t.reset} | ${t.timeout} | ${t.cut} |`);
  if (first5xx.length) console.log('\nFirst 5xx answers:\n' + first5xx.map((e) => `- ${e.status} ${e.method} ${e.path} (${e.attack}${e.withCookie ? '' : ', no cookie'}): ${JSON.stringify(e.body)}`).join('\n'));
  if (firstFailures.length) console.log('\nFirst resets / timeouts:\n' + firstFailures.map((e) => `- ${e.attack}: ${e.path}: ${e.error} after ${e.seconds} s`).join('\n'));
  if (serverErrors.size) console.log(`\nError lines in the server log (${logFile}):\n` + [...serverErrors].slice(0, 15).map(([line, n]) => `    ${n}× ${line}`).join('\n'));
  console.log('\n```json\n' + JSON.stringify({
    runs: { requested: RUNS, outcomes: runOutcomes, error: runError || undefined, seconds: trainingSeconds, each: runRecords },
    clients: CLIENTS, runsList, pageLoad,
    cpuSeconds: { server: serverCpu, runWorker: workerCpu, thisScript: ownCpu, cores: os.cpus().length },
    memory: { serverPeakMb, workerPeakMb, workerProcesses: workerPids, boundMb, processes: [...peaks.entries()].map(([pid, p]) => ({ pid, ...p })) },
    hostile: { sent: total('sent'), fiveXX: total('s5'), reset: total('reset'), timeout: total('timeout'), unansweredAtEnd: total('cut'), byRequest: Object.fromEntries(hostile) },
    first5xx, firstFailures, serverAlive: alive, serverExit, crashes: alive ? 0 : 1, serverLogErrors: Object.fromEntries(serverErrors),
    goals: { p99Under300: runsList.p99 < 300 && pageLoad.p99 < 300, memoryUnderBound: serverPeakMb < boundMb, noCrash: alive, no5xx: total('s5') === 0 },
  }, null, 2) + '\n```');
}

try {
  await main();
} finally {
  server.kill('SIGTERM');
  await Promise.race([new Promise((resolve) => server.once('exit', resolve)), sleep(5000)]);
  if (server.exitCode === null && !server.signalCode) server.kill('SIGKILL');
  if (!process.argv.includes('--keep-data')) fs.rmSync(dataDir, { recursive: true, force: true });
  else console.log(`data kept in ${dataDir}`);
}
