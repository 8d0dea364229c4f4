import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * TensorFlow.js costs a run's process ~50-90 MB and a second to load: `pipelab run` loads it only when a step
 * computes on it. The command runs in a child process with a preload that writes, as the process exits, every
 * TensorFlow.js file it loaded (TensorFlow.js's packages are CommonJS: an import of them lands in require.cache).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-tf-loading-'));
const report = path.join(dir, 'loaded.json');
const preload = path.join(dir, 'report-loaded.mjs');
fs.writeFileSync(
  preload,
  `import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
process.on('exit', () => {
  fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('@tensorflow'))));
});
`,
);

function pipelab(cwd: string, ...args: string[]): { code: number | null; output: { run: { status: string; backend: string | null } }; tensorflowFiles: string[] } {
  fs.rmSync(report, { force: true });
  const result = spawnSync(process.execPath, ['--import', preload, path.resolve('bin/pipelab.mjs'), ...args, '--json'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PIPELAB_DATA_DIR: path.join(dir, 'data'), PIPELAB_BACKEND: '' },
    timeout: 120_000,
  });
  if (!result.stdout) throw new Error(`pipelab ${args.join(' ')} printed nothing: ${result.stderr}`);
  return { code: result.status, output: JSON.parse(result.stdout), tensorflowFiles: JSON.parse(fs.readFileSync(report, 'utf8')) };
}

/** 3,000 rows × 10 numbers and one of four classes: its softmax products run on TensorFlow.js (models/linear/logistic-objective.ts). */
function fourClassTable(): string {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const header = [...Array.from({ length: 10 }, (_, j) => `x${j}`), 'label'].join(',');
  const rows = Array.from({ length: 3000 }, () => {
    const x = Array.from({ length: 10 }, () => random() * 2 - 1);
    const label = ['a', 'b', 'c', 'd'][(x[0] > 0 ? 1 : 0) + (x[1] > 0 ? 2 : 0)];
    return [...x.map((v) => v.toFixed(4)), label].join(',');
  });
  const file = path.join(dir, 'four-classes.csv');
  fs.writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
  return file;
}

function logisticPipeline(): string {
  const node = (id: string, type: string, params: Record<string, unknown>, x: number) => ({ id, type, version: 1, params, position: { x, y: 60 } });
  const edge = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle, target, targetHandle });
  const graph = {
    schemaVersion: 1,
    nodes: [
      node('data', 'data.csv', { dataset: '', target: 'label' }, 40),
      node('split', 'prep.split', { testFraction: 0.2, seed: 42, stratify: true }, 290),
      node('model', 'model.logisticRegression', { l2: 1 }, 540),
      node('evaluate', 'eval.evaluate', {}, 790),
    ],
    edges: [edge('data', 'table', 'split', 'table'), edge('split', 'split', 'model', 'data'), edge('model', 'model', 'evaluate', 'model'), edge('split', 'split', 'evaluate', 'data')],
  };
  const file = path.join(dir, 'four-classes.json');
  fs.writeFileSync(file, JSON.stringify(graph));
  return file;
}

describe('loading TensorFlow.js', () => {
  it('is left out of a run whose models compute in JavaScript, which records no backend', () => {
    const { code, output, tensorflowFiles } = pipelab(process.cwd(), 'run', 'sales-forecast');
    expect(code).toBe(0);
    expect(output.run.status).toBe('succeeded');
    expect(output.run.backend).toBeNull();
    expect(tensorflowFiles).toEqual([]);
  });

  it('is loaded, with its fastest backend found in its own installation, when a step computes on it; the run records it', () => {
    // Run from another folder: the backend's files are looked up where Pipelab is installed.
    const { code, output, tensorflowFiles } = pipelab(fs.mkdtempSync(path.join(dir, 'elsewhere-')), 'run', logisticPipeline(), '--input', `data=${fourClassTable()}`);
    expect(code).toBe(0);
    expect(output.run.status).toBe('succeeded');
    expect(output.run.backend).toBe('wasm');
    expect(tensorflowFiles.some((file) => file.includes('@tensorflow/tfjs-backend-wasm'))).toBe(true);
  });
});
