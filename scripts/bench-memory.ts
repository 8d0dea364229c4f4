/**
 * Where the memory of the large-table pipeline goes, node by node:
 *   node --expose-gc --import tsx scripts/bench-memory.ts --csv <file> [--keep-outputs]
 * Runs the pipeline of scripts/bench-scale.ts (CSV → split → logistic regression + decision tree → Evaluate)
 * in this process on a CSV (`npx tsx scripts/bench-scale.ts --rows 1000000 --pipelab-only --keep` leaves
 * one), as the command line and the worker run it (outputs released once read; --keep-outputs holds them
 * all, as before). After each node it collects garbage and prints what is still alive: the JavaScript heap,
 * memory outside it (typed arrays, WebAssembly) and the resident size. The collections change the run's
 * peak, so that figure comes from bench-scale.ts; this script says what each node leaves behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { scalePipeline } from './bench-tables';

const { values } = parseArgs({ options: { csv: { type: 'string' }, 'keep-outputs': { type: 'boolean', default: false } } });
if (!values.csv || !fs.existsSync(values.csv)) throw new Error('Give a CSV file with --csv.');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Run with node --expose-gc --import tsx, so live memory can be told from garbage.');

// The run writes its model files into a scratch folder, and reads the CSV from a copy beside its columns file.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-bench-memory-'));
process.env.PIPELAB_DATA_DIR = scratch;
const csv = path.join(scratch, 'table.csv');
fs.copyFileSync(values.csv, csv);

const { storedFiles } = await import('../server/datasets');
const { executeGraph } = await import('../server/engine/execute');
const { registry } = await import('../server/runs/registry');
const { initBackend } = await import('../server/tf-backend');
const { parseGraph } = await import('../nodes/graph-document');

const graph = parseGraph(scalePipeline('table'));

const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
const lines: string[] = ['| live memory | resident | JS heap used | outside the heap (of which typed arrays) |', '|---|---|---|---|'];
const durations: string[] = [];
const measure = (label: string) => {
  // Twice: a collection's freeing of array buffers can finish after it returns; the next one waits for it.
  gc();
  gc();
  const m = process.memoryUsage();
  lines.push(`| ${label} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${mb(m.external)} (${mb(m.arrayBuffers)}) |`);
};

await initBackend();
measure('at the start');
const outcome = await executeGraph({
  graph,
  registry,
  datasets: { pathOf: () => csv },
  artifacts: storedFiles.artifacts,
  releaseOutputs: !values['keep-outputs'],
  onEvent: (event) => {
    // A node's inputs are let go after it finished, so what the previous node left is measured as the next starts.
    if (event.type === 'started') measure(`before ${event.nodeId}`);
    if (event.type === 'finished') durations.push(`${event.nodeId} ${(event.durationMs / 1000).toFixed(1)} s`);
  },
});
measure('the run returned');
fs.rmSync(scratch, { recursive: true, force: true });
if (outcome.status !== 'succeeded') throw new Error(outcome.error ?? outcome.status);
console.log(`# ${values['keep-outputs'] ? 'every output held to the end' : 'outputs released once read'}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`# ${durations.join(', ')}`);
console.log(lines.join('\n'));
