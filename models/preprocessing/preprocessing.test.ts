import { describe, expect, it } from 'vitest';
import type { CategoryColumn, Column, Frame, NumberColumn } from '../frame';
import { applyPreprocessing, fitPreprocessing, PreprocessingError, type StepSpec } from './preprocessing';

function frameOf(columns: Record<string, (number | string | null)[]>): Frame {
  const built = Object.entries(columns).map(([name, values]): Column => {
    const isNumeric = values.every((v) => v === null || typeof v === 'number');
    if (isNumeric) return { name, type: 'number', values: Float64Array.from(values, (v) => (v === null ? NaN : (v as number))) };
    return { name, type: 'category', values: values.map((v) => (v === null ? null : String(v))) };
  });
  return { columns: built, rowCount: built[0]?.values.length ?? 0 };
}

function numbers(frame: Frame, name: string): number[] {
  const column = frame.columns.find((c) => c.name === name) as NumberColumn | undefined;
  if (!column || column.type !== 'number') throw new Error(`no number column ${name}`);
  return Array.from(column.values);
}

function texts(frame: Frame, name: string): (string | null)[] {
  const column = frame.columns.find((c) => c.name === name) as CategoryColumn | undefined;
  if (!column || column.type !== 'category') throw new Error(`no text column ${name}`);
  return column.values;
}

const names = (frame: Frame) => frame.columns.map((c) => c.name);

const people = () =>
  frameOf({
    age: [30, null, 50, 40],
    job: ['admin.', 'services', null, 'admin.'],
    balance: [100, 200, 300, 400],
    y: ['no', 'yes', 'no', null],
  });

describe('selectColumns', () => {
  it('keeps every column but the target when no features are named, in table order', () => {
    const spec: StepSpec = { kind: 'selectColumns', features: [], target: 'y' };
    const { output, target } = fitPreprocessing([spec], people(), null);
    expect(names(output)).toEqual(['age', 'job', 'balance', 'y']);
    expect(target).toBe('y');
  });

  it('keeps the chosen features and the current target', () => {
    const spec: StepSpec = { kind: 'selectColumns', features: ['balance', 'age'], target: null };
    const { output, target, fitted } = fitPreprocessing([spec], people(), 'y');
    expect(names(output)).toEqual(['age', 'balance', 'y']);
    expect(target).toBe('y');
    expect(fitted.inputColumns.map((c) => c.name)).toEqual(['age', 'balance', 'y']);
  });

  it('names an unknown column and lists the real ones', () => {
    const spec: StepSpec = { kind: 'selectColumns', features: ['agee'], target: null };
    expect(() => fitPreprocessing([spec], people(), 'y')).toThrow(
      new PreprocessingError('Column "agee" is not in the table (it has: age, job, balance, y).'),
    );
  });
});

describe('cleanMissing', () => {
  const clean = (strategy: Extract<StepSpec, { kind: 'cleanMissing' }>['strategy'], fillValue = ''): StepSpec => ({
    kind: 'cleanMissing',
    strategy,
    columns: [],
    fillValue,
  });

  it('fills with the mean, and text columns with their mode; rows without a target go', () => {
    const { output } = fitPreprocessing([clean('mean')], people(), 'y');
    expect(output.rowCount).toBe(3);
    expect(numbers(output, 'age')).toEqual([30, 40, 50]);
    expect(texts(output, 'job')).toEqual(['admin.', 'services', 'admin.']);
    expect(texts(output, 'y')).toEqual(['no', 'yes', 'no']);
  });

  it('uses the median and the mode of numbers', () => {
    const frame = frameOf({ x: [1, 2, 2, 10, null], y: ['a', 'b', 'a', 'b', 'a'] });
    expect(numbers(fitPreprocessing([clean('median')], frame, 'y').output, 'x')[4]).toBe(2);
    expect(numbers(fitPreprocessing([clean('mode')], frame, 'y').output, 'x')[4]).toBe(2);
    const even = frameOf({ x: [1, 2, 3, 10, null], y: ['a', 'b', 'a', 'b', 'a'] });
    expect(numbers(fitPreprocessing([clean('median')], even, 'y').output, 'x')[4]).toBe(2.5);
  });

  it('parses the constant as a number for number columns', () => {
    const frame = frameOf({ x: [1, null], y: ['a', 'b'] });
    expect(numbers(fitPreprocessing([clean('constant', ' -1.5 ')], frame, 'y').output, 'x')).toEqual([1, -1.5]);
    const mixed = frameOf({ x: [1, null], job: ['a', null], y: ['a', 'b'] });
    expect(() => fitPreprocessing([clean('constant', 'unknown')], mixed, 'y')).toThrow(/Column "x" holds numbers.*"unknown"/);
  });

  it('never fills the target, even when it is named', () => {
    const spec: StepSpec = { kind: 'cleanMissing', strategy: 'constant', columns: ['job', 'y'], fillValue: 'other' };
    const { output } = fitPreprocessing([spec], people(), 'y');
    expect(texts(output, 'y')).toEqual(['no', 'yes', 'no']);
    expect(texts(output, 'job')).toEqual(['admin.', 'services', 'other']);
  });

  it('drops rows with a missing value in the chosen columns', () => {
    const spec: StepSpec = { kind: 'cleanMissing', strategy: 'dropRows', columns: ['age'], fillValue: '' };
    const { output } = fitPreprocessing([spec], people(), 'y');
    expect(numbers(output, 'balance')).toEqual([100, 300]);
    const all = fitPreprocessing([clean('dropRows')], people(), null).output;
    expect(numbers(all, 'balance')).toEqual([100]);
  });

  it('explains a column with nothing to average', () => {
    const frame = frameOf({ x: [null, null], y: ['a', 'b'] });
    expect(() => fitPreprocessing([clean('mean')], frame, 'y')).toThrow(/Column "x" has no values to compute the mean/);
  });
});

describe('oneHot', () => {
  const frame = () => frameOf({ month: ['may', 'jan', 'may'], job: ['b', 'a', null], age: [1, 2, 3], y: ['no', 'yes', 'no'] });

  it('replaces each text column in place with sorted 0/1 columns, leaving the target alone', () => {
    const spec: StepSpec = { kind: 'oneHot', columns: [], dropFirst: false };
    const { output } = fitPreprocessing([spec], frame(), 'y');
    expect(names(output)).toEqual(['month=jan', 'month=may', 'job=a', 'job=b', 'age', 'y']);
    expect(numbers(output, 'month=may')).toEqual([1, 0, 1]);
    expect(numbers(output, 'job=a')).toEqual([0, 1, 0]);
    expect(numbers(output, 'job=b')).toEqual([1, 0, 0]);
  });

  it('drops the first category when asked', () => {
    const spec: StepSpec = { kind: 'oneHot', columns: ['month'], dropFirst: true };
    expect(names(fitPreprocessing([spec], frame(), 'y').output)).toEqual(['month=may', 'job', 'age', 'y']);
  });

  it('encodes a category never seen in training as all zeros', () => {
    const spec: StepSpec = { kind: 'oneHot', columns: ['month'], dropFirst: false };
    const { fitted } = fitPreprocessing([spec], frame(), 'y');
    const fresh = frameOf({ month: ['dec', 'jan'], job: ['a', 'a'], age: [1, 1], y: ['no', 'no'] });
    const output = applyPreprocessing(fitted, fresh);
    expect(numbers(output, 'month=jan')).toEqual([0, 1]);
    expect(numbers(output, 'month=may')).toEqual([0, 0]);
  });
});

describe('normalize', () => {
  it('z-scores with the population standard deviation', () => {
    const frame = frameOf({ x: [1, 2, 3, 4], y: [10, 20, 30, 40] });
    const spec: StepSpec = { kind: 'normalize', method: 'zscore', columns: [] };
    const { output } = fitPreprocessing([spec], frame, 'y');
    const std = Math.sqrt(1.25);
    numbers(output, 'x').forEach((v, i) => expect(v).toBeCloseTo((i + 1 - 2.5) / std, 12));
    expect(numbers(output, 'y')).toEqual([10, 20, 30, 40]);
  });

  it('turns constant columns into zeros, not NaN, and keeps missing values missing', () => {
    const frame = frameOf({ c: [0.1, 0.1, 0.1], m: [1, null, 3] });
    for (const method of ['zscore', 'minmax'] as const) {
      const { output } = fitPreprocessing([{ kind: 'normalize', method, columns: [] }], frame, null);
      expect(numbers(output, 'c')).toEqual([0, 0, 0]);
      expect(Number.isNaN(numbers(output, 'm')[1])).toBe(true);
    }
  });

  it('scales min-max to [0, 1] on the fitted rows', () => {
    const frame = frameOf({ x: [2, 4, 6] });
    const { output } = fitPreprocessing([{ kind: 'normalize', method: 'minmax', columns: ['x'] }], frame, null);
    expect(numbers(output, 'x')).toEqual([0, 0.5, 1]);
  });

  it('refuses a text column', () => {
    const spec: StepSpec = { kind: 'normalize', method: 'zscore', columns: ['job'] };
    expect(() => fitPreprocessing([spec], people(), 'y')).toThrow(/Column "job" holds text/);
  });
});

describe('applying fitted steps', () => {
  const steps: StepSpec[] = [
    { kind: 'selectColumns', features: ['age', 'job'], target: 'y' },
    { kind: 'cleanMissing', strategy: 'mean', columns: [], fillValue: '' },
    { kind: 'oneHot', columns: [], dropFirst: false },
    { kind: 'normalize', method: 'zscore', columns: ['age'] },
  ];

  it('reproduces the fitted output, also after a JSON round trip', () => {
    const { fitted, output } = fitPreprocessing(steps, people(), null);
    const restored = JSON.parse(JSON.stringify(fitted));
    expect(applyPreprocessing(restored, people())).toEqual(output);
    expect(fitted.target).toBe('y');
    expect(fitted.outputColumns.map((c) => c.name)).toEqual(['age', 'job=admin.', 'job=services', 'y']);
    expect(fitted.inputColumns).toEqual([
      { name: 'age', type: 'number' },
      { name: 'job', type: 'category' },
      { name: 'y', type: 'category' },
    ]);
  });

  it('uses only the statistics of the rows it was fitted on', () => {
    const train = frameOf({ age: [10, 20], job: ['a', 'b'], y: ['no', 'yes'] });
    const test = frameOf({ age: [null, 1000], job: ['a', 'c'], y: ['no', 'yes'] });
    const { fitted } = fitPreprocessing(steps.slice(0, 2), train, null);
    expect(numbers(applyPreprocessing(fitted, test), 'age')).toEqual([15, 1000]);
  });

  it('scores new rows without the target when told so', () => {
    const { fitted } = fitPreprocessing(steps, people(), null);
    const fresh = frameOf({ job: ['services'], age: [40], extra: ['ignored'] });
    const output = applyPreprocessing(fitted, fresh, { hasTarget: false });
    expect(names(output)).toEqual(['age', 'job=admin.', 'job=services']);
    expect(numbers(output, 'job=services')).toEqual([1]);
    expect(() => applyPreprocessing(fitted, fresh)).toThrow(/missing the column "y"/);
  });

  it('names every missing input column', () => {
    const { fitted } = fitPreprocessing(steps, people(), null);
    expect(() => applyPreprocessing(fitted, frameOf({ other: [1] }))).toThrow(
      new PreprocessingError('The table is missing the columns "age", "job", "y", which the preprocessing needs.'),
    );
  });

  it('names a column that holds text where numbers were fitted', () => {
    const { fitted } = fitPreprocessing(steps, people(), null);
    const wrong = frameOf({ age: ['forty'], job: ['a'], y: ['no'] });
    expect(() => applyPreprocessing(fitted, wrong)).toThrow(/Column "age" held numbers .* "forty"/);
  });

  it('accepts numbers where text was fitted, and an empty text column where numbers were', () => {
    const { fitted } = fitPreprocessing([{ kind: 'oneHot', columns: ['code'], dropFirst: false }], frameOf({ code: ['1', '2', 'x'] }), null);
    expect(numbers(applyPreprocessing(fitted, frameOf({ code: [2] })), 'code=2')).toEqual([1]);
    const numeric = fitPreprocessing([{ kind: 'normalize', method: 'minmax', columns: [] }], frameOf({ a: [1, 2] }), null).fitted;
    const empty: Frame = { columns: [{ name: 'a', type: 'category', values: [null] }], rowCount: 1 };
    expect(Number.isNaN(numbers(applyPreprocessing(numeric, empty), 'a')[0])).toBe(true);
  });

  it('does not require columns that a later selection drops', () => {
    const specs: StepSpec[] = [
      { kind: 'normalize', method: 'zscore', columns: [] },
      { kind: 'selectColumns', features: ['age'], target: 'y' },
    ];
    const { fitted } = fitPreprocessing(specs, people(), null);
    expect(fitted.inputColumns.map((c) => c.name)).toEqual(['age', 'y']);
  });
});
