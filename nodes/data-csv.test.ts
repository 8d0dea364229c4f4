import { describe, expect, it } from 'vitest';
import { sampleRows } from '../models/split';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from './test-harness';
import type { TablePreview } from './preview';
import type { TableValue } from './values';

async function readWithLimit(hash: string, maxRows: number) {
  const outcome = await run(graph({ data: ['data.csv', { dataset: hash, target: 'bought', maxRows }] }, []));
  expect(outcome.status).toBe('succeeded');
  const result = outcome.results.get('data')!;
  return { table: result.outputs.table as TableValue, preview: result.preview as TablePreview };
}

describe('CSV node: use at most N rows', () => {
  it('uses a random sample of the rows, the same every run, and says so on the preview', async () => {
    const db = await useTempDataDir();
    const lines = customerRows(1000, 3);
    const hash = await uploadCsv(db, 'customers.csv', lines);

    const first = await readWithLimit(hash, 150);
    const second = await readWithLimit(hash, 150);
    expect(first.table.frame.rowCount).toBe(150);
    expect(first.preview.rowCount).toBe(150);
    expect(first.preview.notes).toContain('Using a random sample of 150 of the 1,000 rows, the same rows every run ("Use at most" is 150; 0 uses every row).');
    expect(second.table.frame).toEqual(first.table.frame);

    const all = await readWithLimit(hash, 0);
    expect(all.table.frame.rowCount).toBe(1000);
    expect(all.preview.notes ?? []).not.toContainEqual(expect.stringContaining('random sample'));
    // The sampled rows are rows of the file, in the file's order.
    const spend = (t: TableValue) => t.frame.columns.find((c) => c.name === 'spend')!.values as Float64Array;
    const picked = sampleRows(1000, 150, 42);
    expect(Array.from(spend(first.table))).toEqual(Array.from(picked, (row) => spend(all.table)[row]));
    expect((await readWithLimit(hash, 5000)).table.frame.rowCount).toBe(1000);
  });

  it('refuses a limit that is negative, fractional or above the largest sample', async () => {
    const db = await useTempDataDir();
    const hash = await uploadCsv(db, 'customers.csv', customerRows(50));
    for (const maxRows of [-1, 2.5, 10_000_001]) {
      const outcome = await run(graph({ data: ['data.csv', { dataset: hash, target: 'bought', maxRows }] }, []));
      expect(outcome.status).not.toBe('succeeded');
    }
  });
});

describe('sampleRows', () => {
  it('picks distinct rows in order, the same for the same seed, different for another', () => {
    const rows = sampleRows(10_000, 500, 42);
    expect(rows.length).toBe(500);
    expect(new Set(rows).size).toBe(500);
    expect(Array.from(rows)).toEqual([...rows].sort((a, b) => a - b));
    expect(rows.every((row) => row >= 0 && row < 10_000)).toBe(true);
    expect(sampleRows(10_000, 500, 42)).toEqual(rows);
    expect(sampleRows(10_000, 500, 7)).not.toEqual(rows);
  });
});
