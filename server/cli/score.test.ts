import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelPreview, TablePreview } from '../../nodes/preview';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from '../../nodes/test-harness';
import { storedArtifacts } from '../datasets';

const bin = path.resolve('bin/pipelab.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-score-'));

function pipelab(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, PIPELAB_DATA_DIR: dir, PIPELAB_BACKEND: '' },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipelab score', () => {
  const modelFile = path.join(dir, 'model.json');
  const listFile = path.join(dir, 'customers.csv');
  let list: string[];
  let nodeCsv: string;

  beforeAll(async () => {
    const db = await useTempDataDir();
    // More rows than one chunk (5,000), so the command reads, scores and writes several.
    list = customerRows(12_000, 5, false);
    fs.writeFileSync(listFile, `${list.join('\n')}\n`);
    const outcome = await run(
      graph(
        {
          data: ['data.csv', { dataset: await uploadCsv(db, 'train.csv', customerRows(400)), target: 'bought' }],
          encode: ['prep.oneHot'],
          split: ['prep.split', { testFraction: 0.25, seed: 3 }],
          model: ['model.decisionTree'],
          list: ['data.csv', { dataset: await uploadCsv(db, 'customers.csv', list) }],
          score: ['predict.score', { sortByProbability: false }],
        },
        ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data', 'model.model -> score.model', 'list.table -> score.table'],
      ),
    );
    expect(outcome.status).toBe('succeeded');
    fs.writeFileSync(modelFile, storedArtifacts.read((outcome.results.get('model')!.preview as ModelPreview).download!.hash));
    nodeCsv = new TextDecoder().decode(storedArtifacts.read((outcome.results.get('score')!.preview as TablePreview).download!.hash));
  }, 120_000);

  it('writes to stdout what the Score step writes for the same rows, from a file, from stdin and to --output', () => {
    const fromFile = pipelab(['score', modelFile, listFile]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(`${nodeCsv}\n`);
    expect(fromFile.stdout.split('\n')[0]).toBe('spend,visits,region,predicted bought,probability of yes');
    expect(fromFile.stderr).toBe('pipelab score: 12,000 rows scored by Decision tree.\n');
    const fromStdin = pipelab(['score', modelFile, '-'], fs.readFileSync(listFile, 'utf8'));
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    const output = path.join(dir, 'scored.csv');
    expect(pipelab(['score', modelFile, listFile, '--output', output]).code).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toBe(fromFile.stdout);
  });

  it('names a bad line (after writing the chunks before it) and a missing column (before writing anything)', () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, [...list.slice(0, 8_000), '12.5,3', ...list.slice(8_000)].join('\n'));
    const stopped = pipelab(['score', modelFile, bad]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toBe('pipelab score: "bad.csv": Line 8001 has 2 values but the header has 3. Scoring stopped there; the first 5,000 rows were written.\n');
    expect(stopped.stdout.split('\n')).toHaveLength(5_002);
    const toFile = pipelab(['score', modelFile, bad, '--output', path.join(dir, 'bad-scored.csv')]);
    expect(toFile.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'bad-scored.csv'))).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);

    const noVisits = pipelab(['score', modelFile, '-'], list.map((line) => line.replace(/,[^,]*,/, ',')).join('\n'));
    expect(noVisits.code).toBe(2);
    expect(noVisits.stdout).toBe('');
    expect(noVisits.stderr).toBe('pipelab score: standard input: The new rows do not fit the model: The table is missing the column "visits", which the preprocessing needs.\n');
  });

  it('refuses a file that is not a model, and a missing argument, as the other commands do', () => {
    const notModel = pipelab(['score', listFile, listFile]);
    expect(notModel.code).toBe(2);
    expect(notModel.stderr).toMatch(/^pipelab score: "customers\.csv": This file is not a Pipelab model: it is not JSON text\.\n$/);
    const missing = pipelab(['score', modelFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/pipelab score needs a model file and a CSV file \(or - for standard input\)\./);
  });
});
