/**
 * The decision tree alone on large synthetic tables, to see how its fit grows with the rows:
 *   npx tsx scripts/bench-tree-scale.ts [--rows 1000000,2000000] [--cols 50]
 * Each size runs in its own process (so one size's memory does not weigh on the next): the seeded
 * table of bench-scale.ts (scripts/synthetic-table.ts) in memory, a depth-6 gini tree with 20 rows
 * per leaf on the first 80% of the rows, as in bench-scale.ts. Prints wall and CPU time of the fit
 * (CPU time moves less than wall time on a shared machine), the load average, and a hash of the
 * fitted tree, so two versions of the code can be checked to grow the same tree. With --columns the tree
 * fits from one Float64Array per column (as in a pipeline, where the matrix is over the split's columns)
 * instead of a row-major matrix, and the memory the fit adds is printed: the rise of the process's peak
 * resident memory, and the array buffers still alive when the tree starts growing (sampled from inside).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { columnsMatrix, type Matrix } from '../models/frame';
import { DecisionTree } from '../models/tree/decision-tree';
import { syntheticRows } from './synthetic-table';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000,2000000' },
    cols: { type: 'string', default: '50' },
    one: { type: 'string' },
    columns: { type: 'boolean', default: false },
  },
});
const cols = Number(args.cols);

/** The seeded table's first 80% of rows, row-major or (--columns) one Float64Array per column, and all labels. */
function trainingTable(rows: number): { X: Matrix; labels: Int32Array } {
  const labels = new Int32Array(rows);
  const next = syntheticRows(cols, 42);
  const train = Math.floor(rows * 0.8);
  if (args.columns) {
    const columns = Array.from({ length: cols }, () => new Float64Array(train));
    const row = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      labels[r] = next(row) ? 1 : 0;
      if (r < train) for (let c = 0; c < cols; c++) columns[c][r] = row[c];
    }
    return { X: columnsMatrix(columns, train), labels };
  }
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) labels[r] = next(data.subarray(r * cols, (r + 1) * cols)) ? 1 : 0;
  return { X: { data: data.subarray(0, train * cols), rows: train, cols }, labels };
}

function fitOnce(rows: number): void {
  const { X, labels } = trainingTable(rows);
  const train = X.rows;
  const featureNames = Array.from({ length: cols }, (_, c) => `x${c + 1}`);
  global.gc?.();
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const residentBefore = process.memoryUsage().rss;
  const load = os.loadavg()[0].toFixed(1);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const tree = new DecisionTree({ task: 'classification', criterion: 'gini', maxDepth: 6, minSamplesLeaf: 20, minSamplesSplit: 2, classWeight: 'none', randomState: 42 });
  tree.fit(X, labels.subarray(0, train), { classCount: 2, featureNames });
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - started;
  const peakRise = process.resourceUsage().maxRSS * 1024 - Math.max(peakBefore, residentBefore);
  const hash = createHash('sha1').update(JSON.stringify(tree.toJSON())).digest('hex').slice(0, 12);
  console.log(
    `${rows.toLocaleString('en')} rows (${train.toLocaleString('en')} to train) × ${cols}: fit ${(wallMs / 1000).toFixed(1)} s wall, ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; load average ${load} → ${os.loadavg()[0].toFixed(1)}; tree ${hash}` +
      (args.columns ? `; from columns, peak resident +${Math.round(Math.max(0, peakRise) / 2 ** 20)} MB` : ''),
  );
}

if (args.one) fitOnce(Number(args.one));
else {
  for (const rows of args.rows.split(',').map(Number)) {
    const extra = args.columns ? ['--columns'] : [];
    execFileSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--one', String(rows), '--cols', String(cols), ...extra], {
      stdio: 'inherit',
    });
  }
}
