import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { categoryColumn, type Frame, type Matrix } from '../../models/frame';
import { NodeInputError } from '../define';
import { featureMatrix } from './model-data';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const frame = (): Frame => ({
  rowCount: 3,
  columns: [
    { name: 'a', type: 'number', values: Float64Array.from([1, 2, 3]) },
    { name: 'b', type: 'number', values: Float64Array.from([4, 5, 6]) },
    categoryColumn('label', Int32Array.from([0, 1, 0]), ['no', 'yes']),
  ],
});

describe('featureMatrix', () => {
  it('shares the table\'s own columns and one row-major copy per table and features, made when first read', () => {
    const table = frame();
    const X = featureMatrix(table, ['a', 'b']);
    expect(X.columns).toEqual([table.columns[0].values, table.columns[1].values]);
    expect(X.columns![0]).toBe(table.columns[0].values);
    const again = featureMatrix(table, ['a', 'b']);
    expect(again.columns).toBe(X.columns);
    expect(Array.from(X.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(again.data).toBe(X.data);
    // Other features replace it.
    const swapped = featureMatrix(table, ['b', 'a']);
    expect(swapped.columns).not.toBe(X.columns);
    expect(Array.from(swapped.data)).toEqual([4, 1, 5, 2, 6, 3]);
  });

  it('gives each caller a matrix of its own, so one that never reads the rows does not keep the row-major copy alive', async () => {
    const table = frame();
    let byRows: Matrix | undefined = featureMatrix(table, ['a', 'b']);
    const byColumns = featureMatrix(table, ['a', 'b']);
    const copy = new WeakRef(byRows.data);
    byRows = undefined;
    // A weakly held object stays alive until the job that made or read it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(copy.deref()).toBeUndefined();
    expect(Array.from(byColumns.data)).toEqual([1, 4, 2, 5, 3, 6]);
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
