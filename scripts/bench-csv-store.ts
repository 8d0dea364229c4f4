/**
 * Storing a CSV the way `pipelab run … --input data=<csv>` does, against `pandas.read_csv` on the same file:
 *   npx tsx scripts/bench-csv-store.ts [--rows 1000000,4000000] [--cols 50] [--repeats 2] [--dir <folder>] [--node-args="--cpu-prof --trace-gc"]
 *     [--baseline <checkout>]   (also times the store of another checkout of Pipelab, e.g. the code before a change,
 *                                with this script copied into its scripts/, in the same rotation)
 * Writes the seeded tables of bench-scale.ts (N rows × C numeric columns + a yes/no label; kept in --dir
 * when given, and reused from there), then for each size alternates, so both sides see the same load:
 *   (a) Pipelab: a fresh Node process opens the command line's database and runs bindInputs (the code behind
 *       `--input`: read, hash, check, parse, write the columns file, keep the file, record it) in a fresh data
 *       folder; timed inside (the store alone) and as a whole process (Node's start included);
 *   (b) pandas: `/usr/bin/python3 -c "pandas.read_csv(...)"`, timed inside (read_csv alone) and as a whole.
 * Both run under /usr/bin/time -v: CPU (user + system, every thread) and peak resident memory of the process.
 * Prints one line per try and a Markdown table of the best (fastest inside) try of each side.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeTable } from './bench-tables';
import { timeProcess, type TimedProcess } from './timed-process';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PIPELAB_PYTHON ?? '/usr/bin/python3';

interface Measurement {
  ok: boolean;
  /** The store (Pipelab) or read_csv (pandas) alone, timed inside the process. */
  insideMs: number;
  /** CPU of that part alone (user + system, all threads). */
  insideCpuMs: number;
  wallMs: number;
  cpuMs: number;
  peakBytes: number;
  note?: string;
}

const PANDAS_SCRIPT = `
import json, resource, sys, time
import pandas as pd
cpu0 = time.process_time(); t0 = time.perf_counter()
table = pd.read_csv(sys.argv[1])
print(json.dumps({'insideMs': (time.perf_counter() - t0) * 1000, 'insideCpuMs': (time.process_time() - cpu0) * 1000, 'rows': len(table)}))
`;

/** The child side of (a): what `--input data=<csv>` does before the run starts, in this process. */
async function storeChild(csv: string): Promise<void> {
  const { commandLineContext } = await import('../server/command-line-context');
  const { bindInputs } = await import('../server/cli/inputs');
  const { tableParseCount } = await import('../nodes/lib/columns-file');
  const context = await commandLineContext({ sweepAbandonedRuns: true });
  const graph = { schemaVersion: 1, nodes: [{ id: 'data', type: 'data.csv', version: 1, params: { dataset: '', target: 'label' }, position: { x: 0, y: 0 } }], edges: [] };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await bindInputs(context, graph as never, [`data=${csv}`], null);
  const insideMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ insideMs, insideCpuMs: (cpu.user + cpu.system) / 1000, parses: tableParseCount() })}\n`);
}

/** Runs a command under /usr/bin/time -v; answers its stdout, exit status, wall time, CPU and peak memory. */
function timedRun(command: string[], env: NodeJS.ProcessEnv, timeoutMs: number, cwd = repoRoot): Promise<TimedProcess> {
  return timeProcess(command, { env, timeoutMs, cwd });
}

function measurement(result: TimedProcess): Measurement {
  const base = { wallMs: result.wallMs, cpuMs: result.cpuMs, peakBytes: result.peakBytes };
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !line.startsWith('{')) {
    const why = result.code === null ? 'stopped (time limit)' : (result.stderr.split('\n').find((l) => /error/i.test(l)) ?? `exit ${result.code}`);
    return { ok: false, insideMs: 0, insideCpuMs: 0, ...base, note: why.slice(0, 160) };
  }
  const answer = JSON.parse(line) as { insideMs: number; insideCpuMs: number; parses?: number };
  const note = answer.parses !== undefined && answer.parses !== 1 ? `parsed ${answer.parses} times` : undefined;
  return { ok: true, insideMs: answer.insideMs, insideCpuMs: answer.insideCpuMs, ...base, note };
}

async function runPipelab(csv: string, scratch: string, nodeArgs: string[], timeoutMs: number, root = repoRoot): Promise<Measurement> {
  const dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
  const env = { ...process.env, PIPELAB_HOME: root, PIPELAB_DATA_DIR: dataDir, PIPELAB_ARTIFACTS_DIR: '', PIPELAB_BACKEND: '' };
  const self = path.join(root, 'scripts', 'bench-csv-store.ts');
  // Profiles (--cpu-prof) land in the folder the child runs in: the scratch folder, kept with --dir.
  const result = await timedRun([process.execPath, ...nodeArgs, '--import', import.meta.resolve('tsx'), self, '--store', csv], env, timeoutMs, scratch);
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (result.stderr.includes('[trace-gc]') || nodeArgs.some((a) => a.startsWith('--trace-gc'))) fs.writeFileSync(path.join(scratch, `trace-gc-${path.basename(csv)}.txt`), result.stdout + result.stderr);
  return measurement(result);
}

async function runPandas(csv: string, timeoutMs: number): Promise<Measurement> {
  return measurement(await timedRun([python, '-c', PANDAS_SCRIPT, csv], process.env, timeoutMs));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`);
const best = (runs: Measurement[]) => runs.filter((r) => r.ok).sort((a, b) => a.insideMs - b.insideMs)[0] ?? runs[runs.length - 1];
const describe = (m: Measurement) =>
  m.ok ? `inside ${seconds(m.insideMs)} (CPU ${seconds(m.insideCpuMs)}), process ${seconds(m.wallMs)} (CPU ${seconds(m.cpuMs)}), peak ${size(m.peakBytes)}${m.note ? `, ${m.note}` : ''}` : `failed after ${seconds(m.wallMs)} (${m.note})`;
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

async function main() {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      rows: { type: 'string', default: '1000000,4000000' },
      cols: { type: 'string', default: '50' },
      repeats: { type: 'string', default: '2' },
      timeout: { type: 'string', default: '600' },
      dir: { type: 'string' },
      'node-args': { type: 'string', default: '' },
      'pipelab-only': { type: 'boolean', default: false },
      baseline: { type: 'string' },
    },
  });
  if (values.store) return storeChild(values.store);
  const cols = Number(values.cols);
  const repeats = Number(values.repeats);
  const timeoutMs = Number(values.timeout) * 1000;
  const nodeArgs = values['node-args'].split(' ').filter(Boolean);
  const scratch = values.dir ? path.resolve(values.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-csv-'));
  fs.mkdirSync(scratch, { recursive: true });
  console.log(`# ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${size(os.freemem())} free, load average ${load()}, Node ${process.version}`);
  const lines: string[] = [];
  const baselineLines: string[] = [];
  const side = (m: Measurement | undefined) => (m?.ok ? `${seconds(m.insideMs)} / ${seconds(m.insideCpuMs)} | ${seconds(m.wallMs)} / ${seconds(m.cpuMs)} / ${size(m.peakBytes)}` : `${m ? 'failed' : 'not run'} | `);
  for (const rows of values.rows.split(',').map(Number)) {
    const csv = path.join(scratch, `table-${rows}x${cols}.csv`);
    if (!fs.existsSync(csv)) writeTable(csv, rows, cols, 42);
    const bytes = fs.statSync(csv).size;
    const ours: Measurement[] = [];
    const theirs: Measurement[] = [];
    const baseline: Measurement[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const before = load();
      ours.push(await runPipelab(csv, scratch, nodeArgs, timeoutMs));
      if (!values['pipelab-only']) theirs.push(await runPandas(csv, timeoutMs));
      if (values.baseline) baseline.push(await runPipelab(csv, scratch, nodeArgs, timeoutMs, path.resolve(values.baseline)));
      console.log(`# ${rows} rows, try ${repeat + 1} (load ${before} → ${load()})\n#   Pipelab --input: ${describe(ours.at(-1)!)}`);
      if (theirs.length) console.log(`#   pandas read_csv: ${describe(theirs.at(-1)!)}`);
      if (baseline.length) console.log(`#   baseline --input: ${describe(baseline.at(-1)!)}`);
    }
    if (baseline.length) baselineLines.push(`| ${rows.toLocaleString('en-US')} (${size(bytes)}) | ${side(best(baseline))} | |`);
    const [a, b] = [best(ours), theirs.length ? best(theirs) : undefined];
    const ratio = b?.ok && a.ok ? ` | ${(a.insideMs / b.insideMs).toFixed(2)}× | ${(a.wallMs / b.wallMs).toFixed(2)}×` : ' | | ';
    lines.push(`| ${rows.toLocaleString('en-US')} (${size(bytes)}) | ${side(a)} | ${side(b)}${ratio} |`);
    if (!values.dir) fs.rmSync(csv, { force: true });
  }
  console.log(`\n${cols} numeric columns + a yes/no label; best of ${repeats}; load average at the end ${load()}\n`);
  console.log('| rows (CSV size) | Pipelab store: wall / CPU | Pipelab process: wall / CPU / peak | read_csv: wall / CPU | python process: wall / CPU / peak | store ÷ read_csv | process ÷ process |');
  console.log('|---|---|---|---|---|---|---|');
  for (const line of lines) console.log(line);
  if (baselineLines.length) {
    console.log(`\nBaseline (${values.baseline}), same rotation:\n\n| rows (CSV size) | store: wall / CPU | process: wall / CPU / peak | |\n|---|---|---|---|`);
    for (const line of baselineLines) console.log(line);
  }
  if (!values.dir) fs.rmSync(scratch, { recursive: true, force: true });
}

await main();
