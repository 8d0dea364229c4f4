/**
 * Large tables end to end, against pandas + scikit-learn on the same file:
 *   npx tsx scripts/bench-scale.ts [--rows 100000,1000000] [--cols 50] [--repeats 2] [--timeout 1200] [--keep] [--pipelab-only] [--sample]
 *     [--csv <file written by an earlier --keep>] [--answers <folder>]
 * Writes seeded synthetic CSVs (N rows x C numeric columns + a yes/no label) to a temporary folder, then
 * for each size runs, alternately so both see the same machine load:
 *   (a) `pipelab run <graph> --input data=<csv> --json` (CSV → split → logistic regression + decision tree →
 *       Evaluate), each time in a fresh data folder so nothing is reused from an earlier run;
 *   (b) the same steps in pandas + scikit-learn (PIPELAB_PYTHON, default /usr/bin/python3).
 * Both run under /usr/bin/time -v for their peak resident memory. Prints a Markdown table with the best
 * (fastest) of the repeats; a run that fails or times out is reported as such. With --sample, Pipelab's
 * resident memory is also read every 0.25 s (Linux /proc) and its peak while each node ran is printed:
 * nodes run one after another, so each sample is put on the node whose time it falls in. --csv runs on a
 * table kept from an earlier run (its rows must match --rows); --answers keeps each Pipelab run's --json
 * answer there (pipelab-<rows>-<try>.json), so two versions' metrics can be compared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { scalePipeline, writeTable } from './bench-tables';
import { timeProcess, type TimedProcess } from './timed-process';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PIPELAB_PYTHON ?? '/usr/bin/python3';

interface Measurement {
  ok: boolean;
  wallMs: number;
  peakBytes: number;
  steps: Record<string, number>;
  note?: string;
  /** Peak resident memory while each node ran (--sample). */
  nodePeaks?: Record<string, number>;
}

/** Resident memory samples of the process /usr/bin/time started: [ms since start, bytes]. */
function sampleResident(timePid: number, started: number): { samples: [number, number][]; stop: () => void } {
  const samples: [number, number][] = [];
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const timer = setInterval(() => {
    const child = read(`/proc/${timePid}/task/${timePid}/children`).trim().split(/\s+/)[0];
    const rss = child ? /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${child}/status`)) : null;
    if (rss) samples.push([performance.now() - started, Number(rss[1]) * 1024]);
  }, 250);
  return { samples, stop: () => clearInterval(timer) };
}

/** The peak of the samples that fall within each node's run; nodes ran one after another, ending when the run did. */
function peaksPerNode(samples: [number, number][], runEndMs: number, runMs: number, nodes: [string, number][]): Record<string, number> {
  const peaks: Record<string, number> = {};
  let from = runEndMs - runMs;
  peaks['before the run'] = Math.max(0, ...samples.filter(([t]) => t < from).map(([, b]) => b));
  for (const [id, ms] of nodes) {
    const to = from + ms;
    peaks[id] = Math.max(0, ...samples.filter(([t]) => t >= from && t < to).map(([, b]) => b));
    from = to;
  }
  return peaks;
}

/** The pipeline's nodes in the order a run takes them (the --json answer lists them in another order). */
const RUN_ORDER = ['data', 'split', 'logistic', 'tree', 'evaluate'];

const SKLEARN_SCRIPT = `
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
steps = {}
def timed(name, fn):
    start = time.perf_counter(); value = fn(); steps[name] = (time.perf_counter() - start) * 1000; return value
table = timed('read', lambda: pd.read_csv(sys.argv[1]))
y = (table.pop('label') == 'yes').to_numpy()
X = table.to_numpy()
X_train, X_test, y_train, y_test = timed('split', lambda: train_test_split(X, y, test_size=0.2, random_state=42, stratify=y))
logistic = timed('logistic', lambda: LogisticRegression(C=1.0, max_iter=1000).fit(X_train, y_train))
tree = timed('tree', lambda: DecisionTreeClassifier(max_depth=6, min_samples_leaf=20, random_state=42).fit(X_train, y_train))
def evaluate():
    return {name: {'accuracy': accuracy_score(y_test, m.predict(X_test)), 'rocAuc': roc_auc_score(y_test, m.predict_proba(X_test)[:, 1])}
            for name, m in (('logistic', logistic), ('tree', tree))}
metrics = timed('evaluate', evaluate)
print(json.dumps({'steps': steps, 'metrics': metrics, 'totalMs': (time.perf_counter() - t0) * 1000}))
`;

/** Runs a command under /usr/bin/time -v; answers its stdout, exit status, wall time, peak memory and (with `sample`) memory samples. */
async function timedRun(command: string[], env: NodeJS.ProcessEnv, timeoutMs: number, sample = false): Promise<TimedProcess & { samples: [number, number][] }> {
  let samples: [number, number][] = [];
  const onStart = (pid: number, started: number) => {
    const sampler = sampleResident(pid, started);
    samples = sampler.samples;
    return sampler.stop;
  };
  const result = await timeProcess(command, { env, timeoutMs, cwd: repoRoot, onStart: sample ? onStart : undefined });
  return { ...result, samples };
}

async function runPipelab(graphFile: string, csv: string, scratch: string, timeoutMs: number, sample = false, answerFile?: string): Promise<Measurement> {
  const dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
  const env = { ...process.env, PIPELAB_DATA_DIR: dataDir, PIPELAB_ARTIFACTS_DIR: '' };
  const result = await timedRun([process.execPath, path.join(repoRoot, 'bin', 'pipelab.mjs'), 'run', graphFile, '--json', '--input', `data=${csv}`], env, timeoutMs, sample);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const base = { wallMs: result.wallMs, peakBytes: result.peakBytes };
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (answerFile) fs.writeFileSync(answerFile, line);
  if (result.code !== 0 || !line.startsWith('{')) {
    const why = result.code === null ? `stopped after ${Math.round(timeoutMs / 1000)} s` : (/heap out of memory|Invalid string length/i.exec(result.stderr)?.[0] ?? (line || result.stderr.split('\n').find((l) => /error/i.test(l)) || `exit ${result.code}`));
    return { ok: false, ...base, steps: {}, note: why.slice(0, 160) };
  }
  const answer = JSON.parse(line) as { run: { status: string; durationMs: number }; nodes: Record<string, { durationMs?: number }> };
  const steps: Record<string, number> = {};
  for (const [id, node] of Object.entries(answer.nodes)) steps[id] = node.durationMs ?? 0;
  // What the run's own clock does not see: starting Node, storing and checking the --input file.
  steps['start + store input'] = result.wallMs - answer.run.durationMs;
  // The run ends a little before the process does (the answer is written, the process exits): take the last sample above the baseline as its end.
  const runEnd = result.samples.at(-1)?.[0] ?? result.wallMs;
  const nodePeaks = sample ? peaksPerNode(result.samples, runEnd, answer.run.durationMs, RUN_ORDER.map((id) => [id, answer.nodes[id]?.durationMs ?? 0])) : undefined;
  return { ok: answer.run.status === 'succeeded', ...base, steps, nodePeaks };
}

async function runSklearn(scriptFile: string, csv: string, timeoutMs: number): Promise<Measurement> {
  const result = await timedRun([python, scriptFile, csv], process.env, timeoutMs);
  const base = { wallMs: result.wallMs, peakBytes: result.peakBytes };
  if (result.code !== 0) return { ok: false, ...base, steps: {}, note: result.stderr.split('\n').filter(Boolean).slice(-1)[0] ?? `exit ${result.code}` };
  const answer = JSON.parse(result.stdout.trim().split('\n').pop()!) as { steps: Record<string, number> };
  return { ok: true, ...base, steps: answer.steps };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mebibytes = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`);
const best = (runs: Measurement[]) => runs.filter((r) => r.ok).sort((a, b) => a.wallMs - b.wallMs)[0] ?? runs[runs.length - 1];
const cell = (m: Measurement) => (m.ok ? `${seconds(m.wallMs)} / ${mebibytes(m.peakBytes)}` : `failed after ${seconds(m.wallMs)} (${m.note})`);
const stepCell = (m: Measurement, names: string[]) => names.filter((n) => n in m.steps).map((n) => `${n} ${seconds(m.steps[n])}`).join(', ');

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000,1000000' },
      cols: { type: 'string', default: '50' },
      repeats: { type: 'string', default: '2' },
      timeout: { type: 'string', default: '1200' },
      keep: { type: 'boolean', default: false },
      // Only the Pipelab side: to check that a size runs (and its time and memory) when there is no time for both.
      'pipelab-only': { type: 'boolean', default: false },
      sample: { type: 'boolean', default: false },
      csv: { type: 'string' },
      answers: { type: 'string' },
    },
  });
  const sizes = values.rows.split(',').map(Number);
  const cols = Number(values.cols);
  const repeats = Number(values.repeats);
  const timeoutMs = Number(values.timeout) * 1000;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-scale-'));
  const graphFile = path.join(scratch, 'pipeline.json');
  fs.writeFileSync(graphFile, JSON.stringify(scalePipeline('')));
  const scriptFile = path.join(scratch, 'sklearn_pipeline.py');
  fs.writeFileSync(scriptFile, SKLEARN_SCRIPT);
  console.log(`# ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);

  const rowsOut: string[] = [];
  for (const rows of sizes) {
    const csv = values.csv ?? path.join(scratch, `table-${rows}x${cols}.csv`);
    const bytes = values.csv ? fs.statSync(csv).size : writeTable(csv, rows, cols, 42);
    if (values.answers) fs.mkdirSync(values.answers, { recursive: true });
    const pipelabRuns: Measurement[] = [];
    const sklearnRuns: Measurement[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const answerFile = values.answers ? path.join(values.answers, `pipelab-${rows}-${repeat + 1}.json`) : undefined;
      pipelabRuns.push(await runPipelab(graphFile, csv, scratch, timeoutMs, values.sample, answerFile));
      const peaks = pipelabRuns.at(-1)!.nodePeaks;
      if (peaks) console.log(`# resident memory at its peak while each ran: ${Object.entries(peaks).map(([id, b]) => `${id} ${mebibytes(b)}`).join(', ')}`);
      sklearnRuns.push(values['pipelab-only'] ? { ok: false, wallMs: 0, peakBytes: 0, steps: {}, note: 'not run (--pipelab-only)' } : await runSklearn(scriptFile, csv, timeoutMs));
      console.log(`# ${rows} rows, try ${repeat + 1}: Pipelab ${cell(pipelabRuns.at(-1)!)}; pandas+sklearn ${cell(sklearnRuns.at(-1)!)} (load ${os.loadavg()[0].toFixed(1)})`);
    }
    const [ours, theirs] = [best(pipelabRuns), best(sklearnRuns)];
    const perStep = `Pipelab: ${stepCell(ours, ['start + store input', 'data', 'split', 'logistic', 'tree', 'evaluate'])}<br>pandas+sklearn: ${stepCell(theirs, ['read', 'split', 'logistic', 'tree', 'evaluate'])}`;
    rowsOut.push(`| ${rows.toLocaleString('en-US')} (${mebibytes(bytes)}) | ${cell(ours)} | ${cell(theirs)} | ${perStep} |`);
    if (!values.keep && !values.csv) fs.rmSync(csv, { force: true });
  }
  console.log(`\n${cols} numeric columns + a yes/no label; best of ${repeats}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  console.log('| rows (CSV size) | Pipelab wall / peak | pandas+sklearn wall / peak | per step |');
  console.log('|---|---|---|---|');
  for (const row of rowsOut) console.log(row);
  if (values.keep) console.log(`\nFiles kept in ${scratch}`);
  else fs.rmSync(scratch, { recursive: true, force: true });
}

await main();
