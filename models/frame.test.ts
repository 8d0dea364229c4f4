import { describe, expect, it } from 'vitest';
import { categoryCodes, categoryColumn, categoryCounts, distinctValues, takeRows, takeRowsReleasing, toMatrix, type CategoryColumn, type Column, type Frame } from './frame';
import { fitPreprocessing } from './preprocessing/preprocessing';

const plain = (values: (string | null)[]): CategoryColumn => ({ name: 'region', type: 'category', values });

describe('dictionary-encoded text columns', () => {
  it('encodes a plain column once, texts in order of first appearance, -1 for missing', () => {
    const column = plain(['north', null, 'south', 'north', 'east']);
    const encoded = categoryCodes(column);
    expect(Array.from(encoded.codes)).toEqual([0, -1, 1, 0, 2]);
    expect(encoded.dictionary).toEqual(['north', 'south', 'east']);
    expect(categoryCodes(column)).toBe(encoded);
  });

  it('builds a column from codes whose rows read back as texts, and whose codes are the ones given', () => {
    const codes = Int32Array.from([1, 1, -1, 0]);
    const column = categoryColumn('answer', codes, ['no', 'yes']);
    expect(column.values).toEqual(['yes', 'yes', null, 'no']);
    expect(categoryCodes(column).codes).toBe(codes);
    expect(column.values[0]).toBe(column.values[1]);
  });

  it('keeps the codes through a row subset, which counts and lists only the texts it holds', () => {
    const frame: Frame = { columns: [plain(['a', 'b', 'c', 'b', null])], rowCount: 5 };
    const subset = takeRows(frame, [3, 1, 4]).columns[0] as CategoryColumn;
    expect(subset.values).toEqual(['b', 'b', null]);
    expect(categoryCodes(subset).dictionary).toEqual(['a', 'b', 'c']);
    const { counts, missing } = categoryCounts(subset);
    expect([Array.from(counts), missing]).toEqual([[0, 2, 0], 1]);
    expect(distinctValues(subset)).toEqual(['b']);
  });

  it('one-hot encodes a column built from codes exactly as the same texts given as strings', () => {
    const texts = ['red', 'blue', null, 'green', 'blue', 'red'];
    const fromCodes = categoryColumn('colour', Int32Array.from([0, 1, -1, 2, 1, 0]), ['red', 'blue', 'green', 'unused']);
    const spec = [{ kind: 'oneHot' as const, columns: [], dropFirst: false }];
    const viaCodes = fitPreprocessing(spec, { columns: [fromCodes], rowCount: 6 }, null);
    const viaTexts = fitPreprocessing(spec, { columns: [{ name: 'colour', type: 'category', values: texts }], rowCount: 6 }, null);
    expect(viaCodes.output).toEqual(viaTexts.output);
    expect(viaCodes.fitted).toEqual(viaTexts.fitted);
    expect(viaCodes.output.columns.map((c) => c.name)).toEqual(['colour=blue', 'colour=green', 'colour=red']);
  });
});

describe('feature matrices over a table\'s columns', () => {
  const frame: Frame = {
    rowCount: 3,
    columns: [
      { name: 'a', type: 'number', values: Float64Array.from([1, 2, 3]) },
      { name: 'b', type: 'number', values: Float64Array.from([10, 20, 30]) },
      categoryColumn('c', Int32Array.from([0, 1, 0]), ['x', 'y']),
    ],
  };

  it('shares the columns and copies them row by row only when the rows are read', () => {
    const X = toMatrix(frame, ['b', 'a']);
    expect(X.columns![0]).toBe(frame.columns[1].values);
    expect([X.rows, X.cols]).toEqual([3, 2]);
    expect(Array.from(X.data)).toEqual([10, 1, 20, 2, 30, 3]);
    expect(X.data).toBe(X.data);
  });

  it('refuses text and missing values when made, naming the first column in the order asked', () => {
    const gap: Frame = { rowCount: 3, columns: [...frame.columns, { name: 'd', type: 'number', values: Float64Array.from([1, Number.NaN, 3]) }] };
    expect(() => toMatrix(gap, ['a', 'd', 'c'])).toThrow('Column "d" has missing values (first at row 2); clean them before training.');
    expect(() => toMatrix(gap, ['a', 'c', 'd'])).toThrow('Column "c" holds text; encode it (One-hot encode) before training.');
  });
});

describe('takeRowsReleasing', () => {
  it('gives each part the rows takeRows gives, and lets go of every column it was handed', () => {
    const table: Frame = {
      rowCount: 5,
      columns: [
        { name: 'x', type: 'number', values: Float64Array.from([1.5, 2, Number.NaN, 4, 5]) },
        categoryColumn('label', Int32Array.from([0, 1, -1, 1, 0]), ['no', 'yes']),
      ],
    };
    const parts = [Int32Array.from([0, 2, 3]), Int32Array.from([1, 4])];
    const handed: (Column | undefined)[] = [...table.columns];
    const [train, test] = takeRowsReleasing(handed, parts);
    expect(handed).toEqual([undefined, undefined]);
    expect(train).toEqual(takeRows(table, parts[0]));
    expect(test).toEqual(takeRows(table, parts[1]));
    expect(categoryCodes(test.columns[1] as CategoryColumn)).toEqual({ codes: Int32Array.from([1, 0]), dictionary: ['no', 'yes'] });
    // The table itself is untouched.
    expect(table.columns[0].values).toHaveLength(5);
  });
});
