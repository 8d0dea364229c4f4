import { describe, expect, it } from 'vitest';
import type { Frame } from '../../models/frame';
import { summarizeColumns, tablePreview } from './summarize';

const frame: Frame = {
  rowCount: 4,
  columns: [
    { name: 'age', type: 'number', values: Float64Array.from([30, NaN, 50, 40]) },
    { name: 'job', type: 'category', values: ['admin.', null, 'admin.', 'services'] },
    { name: 'empty', type: 'number', values: Float64Array.from([NaN, NaN, NaN, NaN]) },
  ],
};

describe('summarizeColumns', () => {
  it('counts missing and distinct values and describes numbers', () => {
    expect(summarizeColumns(frame)).toEqual([
      { name: 'age', type: 'number', missing: 1, min: 30, max: 50, mean: 40, distinct: 3 },
      { name: 'job', type: 'category', missing: 1, distinct: 2 },
      { name: 'empty', type: 'number', missing: 4 },
    ]);
  });

  it('counts the different values of a number column only while they are few', () => {
    const many = Float64Array.from({ length: 100 }, (_, i) => i);
    const [summary] = summarizeColumns({ rowCount: 100, columns: [{ name: 'spend', type: 'number', values: many }] });
    expect(summary.distinct).toBeUndefined();
    const [flag] = summarizeColumns({ rowCount: 4, columns: [{ name: 'bought', type: 'number', values: Float64Array.from([0, 1, 1, 0]) }] });
    expect(flag.distinct).toBe(2);
  });
});

describe('tablePreview', () => {
  it('shows the first rows with missing values as null, as plain JSON', () => {
    const preview = tablePreview(frame, 'job', 2, ['note']);
    expect(preview).toMatchObject({ kind: 'table', rowCount: 4, target: 'job', notes: ['note'] });
    expect(preview.rows).toEqual([
      [30, 'admin.', null],
      [null, null, null],
    ]);
    expect(JSON.parse(JSON.stringify(preview))).toEqual(preview);
  });

  it('leaves notes out when there are none and shows up to 20 rows by default', () => {
    const big: Frame = { rowCount: 30, columns: [{ name: 'x', type: 'number', values: new Float64Array(30) }] };
    const preview = tablePreview(big, null);
    expect(preview.rows).toHaveLength(20);
    expect(preview).not.toHaveProperty('notes');
  });
});
