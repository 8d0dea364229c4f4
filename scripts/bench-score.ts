/**
 * Scoring a big customer list, and whether its memory grows with the list:
 *   npx tsx scripts/bench-score.ts [--rows 100000,1000000] [--repeats 1] [--timeout 1200] [--keep] [--no-python] [--no-memory]
 * Writes seeded synthetic CSVs (20 numeric + 2 text columns) to a temporary folder, trains a logistic
 * regression on 20,000 labelled rows of the same kind (one-hot encoding → split → model, in this process),
 * saves its model file, then for each size runs, one after the other, each under /usr/bin/time -v:
 *   (a) `pipelab score <model> customers.csv --output scored.csv` (streamed, a chunk of rows at a time), then
 *       the same with NODE_OPTIONS=--max-old-space-size=96, which only finishes if nothing grows with the rows;
 *   (b) the same model on the whole table held at once (read with the upload reader, predictColumns, the
 *       CSV written a block of rows at a time, as the Score step does on the canvas), for comparison
 *       (--no-memory skips it);
 *   (c) pandas read_csv + get_dummies + scikit-learn LogisticRegression.predict_proba + to_csv, trained on
 *       the same 20,000 rows (PIPELAB_PYTHON, default /usr/bin/python3; --no-python skips it).
 * Prints a Markdown table: wall time, CPU time, peak resident memory; best (fastest) of the repeats.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { trainModelFile, writeCustomers } from './customers-csv';
import { timeProcess } from './timed-process';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PIPELAB_PYTHON ?? '/usr/bin/python3';
/** (b): the whole table at once (a Score step that is not fed straight from a data source still holds it so). Run as a child: `--in-memory model csv out`. */
async function scoreInMemory(modelFile: string, csv: string, out: string): Promise<void> {
  const { readModelFile } = await import('../nodes/data-model');
  const { readCsvFast } = await import('../nodes/lib/csv-fast');
  const { predictColumns } = await import('../nodes/lib/score-rows');
  const { scoredFrame } = await import('../nodes/lib/score-stream');
  const { frameToCsvPieces } = await import('../nodes/lib/csv-write');
  const { model } = readModelFile(fs.readFileSync(modelFile));
  const { frame } = readCsvFast(fs.readFileSync(csv), path.basename(csv));
  const fd = fs.openSync(out, 'w');
  for (const piece of frameToCsvPieces(scoredFrame(frame, predictColumns(model, frame).columns))) fs.writeSync(fd, piece);
  fs.writeSync(fd, '\n');
  fs.closeSync(fd);
}

const PYTHON_SCORE = String.raw`
import sys, time, json
import pandas as pd
from sklearn.linear_model import LogisticRegression
train_csv, csv, out = sys.argv[1:4]
train = pd.read_csv(train_csv)
X_train = pd.get_dummies(train.drop(columns=['bought']))
model = LogisticRegression(max_iter=1000).fit(X_train, train['bought'])
t0 = time.perf_counter()
rows = pd.read_csv(csv)
X = pd.get_dummies(rows).reindex(columns=X_train.columns, fill_value=0)
proba = model.predict_proba(X)[:, 1]
rows['predicted bought'] = model.classes_[(proba > 0.5).astype(int)]
rows['probability of yes'] = proba
rows.to_csv(out, index=False)
print(json.dumps({'scoreMs': (time.perf_counter() - t0) * 1000}))
`;

interface Measurement {
  ok: boolean;
  wallMs: number;
  /** User + system CPU time: on a shared machine it varies less than the wall time. */
  cpuMs: number;
  peakBytes: number;
  note?: string;
}

/** Runs a command under /usr/bin/time -v; answers its exit status, wall time and peak memory. */
async function timedRun(command: string[], timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<Measurement & { stdout: string; stderr: string }> {
  const { code, stdout, stderr, wallMs, cpuMs, peakBytes } = await timeProcess(command, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extraEnv }, timeoutMs, cwd: repoRoot });
  const failed = code === 0 ? undefined : `exit ${code}: ${stderr.split('\n').find((line) => line.trim() && !line.startsWith('\t')) ?? ''}`;
  return { ok: code === 0, stdout, stderr, wallMs, cpuMs, peakBytes, note: failed };
}

const lineCount = (file: string) => {
  let count = 0;
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  for (let read; (read = fs.readSync(fd, buffer)) > 0; ) for (let i = 0; i < read; i++) if (buffer[i] === 10) count++;
  fs.closeSync(fd);
  return count;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`);

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000,1000000' },
      repeats: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '1200' },
      keep: { type: 'boolean' },
      'no-python': { type: 'boolean' },
      'no-memory': { type: 'boolean' },
      'in-memory': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values['in-memory']) {
    const [modelFile, csv, out] = process.argv.slice(process.argv.indexOf('--in-memory') + 1);
    return scoreInMemory(modelFile, csv, out);
  }
  const sizes = values.rows.split(',').map(Number);
  const repeats = Number(values.repeats);
  const timeoutMs = Number(values.timeout) * 1000;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-score-'));
  const trainCsv = path.join(scratch, 'train.csv');
  const modelFile = path.join(scratch, 'model.json');
  writeCustomers(trainCsv, 20_000, 1, true);
  await trainModelFile(trainCsv, modelFile);
  const pythonScript = path.join(scratch, 'score.py');
  fs.writeFileSync(pythonScript, PYTHON_SCORE);
  console.error(`scratch folder ${scratch}; model ${path.basename(modelFile)} trained`);

  const lines: string[] = [
    '| rows (CSV size) | `pipelab score` wall (CPU) / peak | the same, old generation capped at 96 MB | whole table in memory | pandas + scikit-learn |',
    '|---|---|---|---|---|',
  ];
  for (const rows of sizes) {
    const csv = path.join(scratch, `customers-${rows}.csv`);
    const size = writeCustomers(csv, rows, 7, false);
    const out = path.join(scratch, `scored-${rows}.csv`);
    const best = { stream: null as Measurement | null, capped: null as Measurement | null, memory: null as Measurement | null, python: null as Measurement | null };
    const keepBest = (key: keyof typeof best, m: Measurement) => {
      if (!best[key] || (m.ok && (!best[key]!.ok || m.wallMs < best[key]!.wallMs))) best[key] = m;
    };
    for (let r = 0; r < repeats; r++) {
      const stream = await timedRun([process.execPath, 'bin/pipelab.mjs', 'score', modelFile, csv, '--output', out], timeoutMs);
      if (stream.ok && lineCount(out) !== rows + 1) Object.assign(stream, { ok: false, note: `wrote ${lineCount(out) - 1} rows` });
      keepBest('stream', stream);
      console.error(`${rows} streamed: ${seconds(stream.wallMs)}, ${megabytes(stream.peakBytes)} ${stream.note ?? ''}`);
      // The same with V8's old generation capped at 96 MB: it can only finish if nothing is kept from row to row.
      const capped = await timedRun([process.execPath, 'bin/pipelab.mjs', 'score', modelFile, csv, '--output', out], timeoutMs, { NODE_OPTIONS: '--max-old-space-size=96' });
      keepBest('capped', capped);
      console.error(`${rows} streamed, heap capped: ${seconds(capped.wallMs)}, ${megabytes(capped.peakBytes)} ${capped.note ?? ''}`);
      if (!values['no-memory']) {
        const memory = await timedRun([process.execPath, '--import', 'tsx', 'scripts/bench-score.ts', '--in-memory', modelFile, csv, `${out}.memory`], timeoutMs);
        keepBest('memory', memory);
        console.error(`${rows} in memory: ${seconds(memory.wallMs)}, ${megabytes(memory.peakBytes)} ${memory.note ?? ''}`);
      }
      if (!values['no-python']) {
        const py = await timedRun([python, pythonScript, trainCsv, csv, `${out}.python`], timeoutMs);
        keepBest('python', py);
        console.error(`${rows} pandas: ${seconds(py.wallMs)}, ${megabytes(py.peakBytes)} ${py.note ?? ''}`);
      }
    }
    const cell = (m: Measurement | null) => (!m ? 'not run' : m.ok ? `${seconds(m.wallMs)} (CPU ${seconds(m.cpuMs)}) / ${megabytes(m.peakBytes)}` : `failed (${m.note})`);
    lines.push(`| ${rows.toLocaleString('en-US')} (${megabytes(size)}) | ${cell(best.stream)} | ${cell(best.capped)} | ${cell(best.memory)} | ${cell(best.python)} |`);
  }
  console.log(lines.join('\n'));
  if (!values.keep) fs.rmSync(scratch, { recursive: true, force: true });
}

await main();
process.exit(0);
