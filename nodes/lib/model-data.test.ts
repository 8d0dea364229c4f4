import { describe, expect, it } from 'vitest';
import { categoryColumn, type Frame } from '../../models/frame';
import { NodeInputError } from '../define';
import { featureMatrix } from './model-data';

const frame = (): Frame => ({
  rowCount: 3,
  columns: [
    { name: 'a', type: 'number', values: Float64Array.from([1, 2, 3]) },
    { name: 'b', type: 'number', values: Float64Array.from([4, 5, 6]) },
    categoryColumn('label', Int32Array.from([0, 1, 0]), ['no', 'yes']),
  ],
});

describe('featureMatrix', () => {
  it('shares one matrix per table and features while it is held, over the table\'s own columns', () => {
    const table = frame();
    const X = featureMatrix(table, ['a', 'b']);
    expect(featureMatrix(table, ['a', 'b'])).toBe(X);
    expect(X.columns).toEqual([table.columns[0].values, table.columns[1].values]);
    expect(X.columns![0]).toBe(table.columns[0].values);
    expect(Array.from(X.data)).toEqual([1, 4, 2, 5, 3, 6]);
    // Other features replace it.
    const swapped = featureMatrix(table, ['b', 'a']);
    expect(swapped).not.toBe(X);
    expect(Array.from(swapped.data)).toEqual([4, 1, 5, 2, 6, 3]);
  });

  it('refuses missing columns, text and gaps as input errors, naming them', () => {
    const table = frame();
    expect(() => featureMatrix(table, ['a', 'c'])).toThrow(new NodeInputError('The table lacks the column(s) the model was trained on: c.'));
    expect(() => featureMatrix(table, ['a', 'label'])).toThrow(NodeInputError);
    expect(() => featureMatrix(table, ['a', 'label'])).toThrow(/"label" holds text/);
    const gap: Frame = { rowCount: 3, columns: [{ name: 'a', type: 'number', values: Float64Array.from([1, Number.NaN, 3]) }] };
    expect(() => featureMatrix(gap, ['a'])).toThrow('Column "a" has missing values (first at row 2); clean them before training.');
  });
});
