/**
 * Score new rows on the canvas with a big customer list, and whether its memory grows with the list:
 *   npx tsx scripts/bench-canvas-score.ts [--rows 100000,1000000] [--timeout 1500] [--no-whole] [--keep]
 * Trains a logistic regression on 20,000 labelled synthetic rows (20 numeric + 2 text columns, the
 * generator of bench-score.ts) and saves its model file, then, for each size, runs a canvas pipeline
 * (Saved model + CSV file → Score new rows, "Most likely first" on) through the command line,
 * `pipelab run pipeline.json --input list=customers.csv --input model=model.json`, under /usr/bin/time -v:
 *   (1) the first run of a new file: the upload reader parses it whole once and keeps its columns;
 *   (2) the same command again: the columns are kept, so the list is read, scored, sorted and written a
 *       block of rows at a time;
 *   (3) (2) with NODE_OPTIONS=--max-old-space-size=96: V8's old generation capped at 96 MB, which only
 *       finishes if nothing kept grows with the rows;
 *   (4) for comparison, the list passed through a "Clean empty cells" step first (the list has no empty cell,
 *       so the rows are the same), which hands Score the whole table, as every step did before
 *       (--no-whole skips it).
 * Each scored file is checked: one line per row plus the header, probabilities in decreasing order; and the
 * streamed runs and the whole-table run must write the same bytes (stored once under one content hash).
 * Prints a Markdown table: wall time, CPU time, peak resident memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { trainModelFile, writeCustomers } from './customers-csv';
import { timeProcess } from './timed-process';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Saved model + CSV file → Score new rows; with `whole`, a Clean empty cells step between the list and Score. */
function pipeline(whole: boolean) {
  const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });
  const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string) => ({ id, source, sourceHandle, target, targetHandle });
  const nodes = [node('model', 'data.model'), node('list', 'data.csv'), node('score', 'predict.score', { sortByProbability: true })];
  const edges = [edge('e1', 'model', 'model', 'score', 'model')];
  if (whole) {
    nodes.push(node('clean', 'prep.cleanMissing', { strategy: 'dropRows' }));
    edges.push(edge('e2', 'list', 'table', 'clean', 'table'), edge('e3', 'clean', 'table', 'score', 'table'));
  } else edges.push(edge('e2', 'list', 'table', 'score', 'table'));
  return { schemaVersion: 1, nodes, edges };
}

interface Measurement {
  ok: boolean;
  wallMs: number;
  cpuMs: number;
  peakBytes: number;
  note?: string;
}

async function timedRun(command: string[], timeoutMs: number, env: Record<string, string>): Promise<Measurement> {
  const { code, stdout, stderr, wallMs, cpuMs, peakBytes } = await timeProcess(command, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, timeoutMs, cwd: repoRoot });
  let note: string | undefined;
  if (code !== 0) note = `exit ${code}: ${(stdout + stderr).split('\n').find((line) => line.trim() && !line.startsWith('\t')) ?? ''}`;
  else if (!/"status":"succeeded"/.test(stdout)) note = `run not succeeded: ${stdout.slice(0, 500)}`;
  return { ok: !note, wallMs, cpuMs, peakBytes, note };
}

/** The newest stored file bigger than the model: the scored list. Checks its rows and their order. */
function checkScored(dataDir: string, rows: number, since: number): string | null {
  const dir = path.join(dataDir, 'artifacts');
  const files = fs.readdirSync(dir).filter((name) => /^[0-9a-f]{64}$/.test(name)).map((name) => path.join(dir, name));
  const newest = files.map((file) => ({ file, stat: fs.statSync(file) })).filter(({ stat }) => stat.mtimeMs >= since || stat.ctimeMs >= since).sort((a, b) => b.stat.size - a.stat.size)[0];
  const file = newest?.file ?? files.map((f) => ({ f, size: fs.statSync(f).size })).sort((a, b) => b.size - a.size)[0]?.f;
  if (!file) return 'no scored file';
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let lines = 0;
  let rest = '';
  let last = Infinity;
  let probability = -1;
  for (let read; (read = fs.readSync(fd, buffer)) > 0; ) {
    const text = rest + buffer.toString('utf8', 0, read);
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      if (lines === 0) probability = line.split(',').indexOf('probability of yes');
      else {
        const p = Number(line.split(',')[probability]);
        if (p > last) return `row ${lines} is more likely than the one before`;
        last = p;
      }
      lines++;
    }
  }
  fs.closeSync(fd);
  if (rest) lines++;
  return lines === rows + 1 ? null : `${lines - 1} rows written`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`);
const cell = (m: Measurement | null) => (!m ? 'not run' : m.ok ? `${seconds(m.wallMs)} (CPU ${seconds(m.cpuMs)}) / ${megabytes(m.peakBytes)}` : `failed (${m.note})`);

async function main() {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000,1000000' }, timeout: { type: 'string', default: '1500' }, keep: { type: 'boolean' }, 'no-whole': { type: 'boolean' } } });
  const timeoutMs = Number(values.timeout) * 1000;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-canvas-score-'));
  const trainCsv = path.join(scratch, 'train.csv');
  const modelFile = path.join(scratch, 'model.json');
  writeCustomers(trainCsv, 20_000, 1, true);
  await trainModelFile(trainCsv, modelFile);
  for (const whole of [false, true]) fs.writeFileSync(path.join(scratch, `pipeline-${whole ? 'whole' : 'streamed'}.json`), JSON.stringify(pipeline(whole)));
  console.error(`scratch folder ${scratch}; model trained; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const lines = [
    '| rows (CSV size) | first run (parses the upload) | again: streamed, wall (CPU) / peak | the same, old generation capped at 96 MB | whole table handed to Score | load average (1 min) |',
    '|---|---|---|---|---|---|',
  ];
  for (const rows of values.rows.split(',').map(Number)) {
    const csv = path.join(scratch, `customers-${rows}.csv`);
    const size = writeCustomers(csv, rows, 7, false);
    // A fresh data folder per size: the first run really parses the file.
    const dataDir = path.join(scratch, `data-${rows}`);
    const env = { PIPELAB_DATA_DIR: dataDir };
    const command = (whole: boolean) => [process.execPath, 'bin/pipelab.mjs', 'run', path.join(scratch, `pipeline-${whole ? 'whole' : 'streamed'}.json`), '--json', '--input', `list=${csv}`, '--input', `model=${modelFile}`];
    const measure = async (label: string, whole: boolean, extra: Record<string, string> = {}) => {
      const since = Date.now() - 1000;
      const m = await timedRun(command(whole), timeoutMs, { ...env, ...extra });
      if (m.ok) m.note = checkScored(dataDir, rows, since) ?? undefined;
      if (m.note) m.ok = false;
      console.error(`${rows} ${label}: ${cell(m)}; load ${os.loadavg()[0].toFixed(1)}`);
      return m;
    };
    const first = await measure('first run', false);
    const loads: number[] = [os.loadavg()[0]];
    const again = await measure('streamed', false);
    loads.push(os.loadavg()[0]);
    const capped = await measure('streamed, old generation capped', false, { NODE_OPTIONS: '--max-old-space-size=96' });
    loads.push(os.loadavg()[0]);
    const whole = values['no-whole'] ? null : await measure('whole table', true);
    if (whole) loads.push(os.loadavg()[0]);
    // Stored by content hash: the model and one scored list when every run wrote the same bytes.
    const stored = fs.readdirSync(path.join(dataDir, 'artifacts')).filter((name) => /^[0-9a-f]{64}$/.test(name)).length;
    console.error(`${rows}: ${stored === 2 ? 'every run wrote the same scored file, byte for byte' : `${stored - 1} different scored files`}`);
    lines.push(`| ${rows.toLocaleString('en-US')} (${megabytes(size)}) | ${cell(first)} | ${cell(again)} | ${cell(capped)} | ${cell(whole)} | ${loads.map((l) => l.toFixed(1)).join(' / ')} |`);
    if (!values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(lines.join('\n'));
  if (!values.keep) fs.rmSync(scratch, { recursive: true, force: true });
}

await main();
process.exit(0);
