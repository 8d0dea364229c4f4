import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Column, Frame } from '../../models/frame';
import { CsvError, readCsv } from './csv';

const encode = (text: string) => new TextEncoder().encode(text);
const read = (text: string) => readCsv(encode(text), 'test.csv');

function column(frame: Frame, name: string): Column {
  const found = frame.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

function numbersOf(frame: Frame, name: string): number[] {
  const found = column(frame, name);
  if (found.type !== 'number') throw new Error(`${name} holds text`);
  return Array.from(found.values);
}

function csvError(run: () => unknown): CsvError {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

describe('readCsv', () => {
  it('reads numbers and text, trimming values', () => {
    const { frame, delimiter, hasHeader, warnings } = read('age,job\n 30 ,admin.\n-2.5, blue collar \n1e3,x\n');
    expect([delimiter, hasHeader, warnings]).toEqual([',', true, []]);
    expect(frame.rowCount).toBe(3);
    expect(numbersOf(frame, 'age')).toEqual([30, -2.5, 1000]);
    expect(column(frame, 'job').values).toEqual(['admin.', 'blue collar', 'x']);
  });

  it.each([
    [';', 'a;b;c\n1;2;3\n4;5;6'],
    ['\t', 'a\tb\tc\n1\t2\t3\n4\t5\t6'],
    ['|', 'a|b|c\n1|2|3\n4|5|6'],
    [';', 'price;qty\n1,5;2\n2,5;3'],
  ])('detects the %j separator', (expected, text) => {
    expect(read(text).delimiter).toBe(expected);
  });

  it('keeps a separator inside quotes as part of the value', () => {
    const { frame } = read('name,city,score\n"Smith, John","Paris, FR",1\n"O\'Neil ""Jr""",Rome,2');
    expect(column(frame, 'name').values).toEqual(['Smith, John', 'O\'Neil "Jr"']);
    expect(column(frame, 'city').values).toEqual(['Paris, FR', 'Rome']);
  });

  it('strips a byte order mark and accepts Windows line ends', () => {
    const { frame } = read('\uFEFFid,name\r\n1,a\r\n2,b\r\n');
    expect(frame.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(column(frame, 'name').values).toEqual(['a', 'b']);
  });

  it('skips blank lines', () => {
    expect(read('a,b\n1,2\n\n   \n3,4\n\n').frame.rowCount).toBe(2);
  });

  it('treats the usual markers as missing', () => {
    const { frame } = read('x,t\n1,a\nNA,n/a\nnan,NULL\n?,\n5,b');
    expect(numbersOf(frame, 'x')).toEqual([1, NaN, NaN, NaN, 5]);
    expect(column(frame, 't').values).toEqual(['a', null, null, null, 'b']);
  });

  it('names the columns itself when the first row is data', () => {
    const { frame, hasHeader, warnings } = read('1,a\n2,b');
    expect(hasHeader).toBe(false);
    expect(frame.rowCount).toBe(2);
    expect(frame.columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
    expect(warnings[0]).toMatch(/column_1 to column_2/);
  });

  it('takes an all-text first row as the header unless its values recur below', () => {
    expect(read('name,city\nBob,Paris\nAnn,Rome').hasHeader).toBe(true);
    expect(read('yes,no\nno,yes\nyes,yes').hasHeader).toBe(false);
  });

  it('makes empty and repeated header names unique, with a warning', () => {
    const { frame, warnings } = read('x,,x\n1,2,3');
    expect(frame.columns.map((c) => c.name)).toEqual(['x', 'column_2', 'x_2']);
    expect(warnings.join(' ')).toMatch(/"x" appears more than once/);
  });

  it('ignores the empty column made by a separator at the end of every line', () => {
    const { frame, warnings } = read('a;b;\n1;2;\n3;4;');
    expect(frame.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(warnings).toHaveLength(1);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(csvError(() => read('')).message).toMatch(/The file is empty/);
    expect(csvError(() => read(' \n\n')).message).toMatch(/The file is empty/);
    expect(csvError(() => read('age,job\n')).message).toMatch(/has a header but no rows/);
  });

  it('names the physical line of a row with the wrong number of values', () => {
    const text = 'a,b,c,d\n1,2,3,4\n\n"multi\nline",2,3,4\n5,6,7,8,9\n';
    const error = csvError(() => read(text));
    expect(error.message).toBe('Line 6 has 5 values but the header has 4.');
    expect(error.line).toBe(6);
  });

  it('names the column, line and value that break a number column', () => {
    const rows = ['age,job', ...Array.from({ length: 6 }, (_, i) => `${20 + i},x`), 'forty,y', '50,z'];
    const error = csvError(() => read(rows.join('\n')));
    expect(error.message).toBe('Column "age" holds numbers, but line 8 has "forty"; fix the value or leave it empty.');
    expect(error.line).toBe(8);
  });

  it('reads decimal commas when the separator is not a comma', () => {
    const { frame, warnings } = read('price;qty\n1,5;2\n-0,25;3\n7;4');
    expect(numbersOf(frame, 'price')).toEqual([1.5, -0.25, 7]);
    expect(warnings).toEqual(['Column "price" uses decimal commas; values such as 1,5 are read as 1.5.']);
    expect(column(read('price,qty\n"1,5",2\n"2,5",3').frame, 'price').type).toBe('category');
  });

  it('reads a column of mostly text as text', () => {
    const { frame } = read('code\nA1\nB2\n3');
    expect(column(frame, 'code').values).toEqual(['A1', 'B2', '3']);
  });

  it('names the line of bytes that are not UTF-8', () => {
    const bytes = new Uint8Array([...encode('name,city\nAnn,Rome\nJos'), 0xe9, ...encode(',Paris\n')]);
    const error = csvError(() => readCsv(bytes, 'latin1.csv'));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/line 3 .*save it as UTF-8 \(CSV UTF-8 in Excel\)/);
  });

  it('recognizes an Excel workbook', () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(csvError(() => readCsv(bytes, 'report.xlsx')).message).toMatch(/Excel workbook/);
  });

  it('reports a quote that is never closed', () => {
    expect(csvError(() => read('a,b\n1,2\n"open,3\n4,5')).message).toMatch(/Line 3 opens a quote/);
  });
});

describe('sample files', () => {
  const sample = (name: string) => readFileSync(path.join(__dirname, '../../samples', name));

  // How fast it reads is measured by scripts/bench-scale.ts, not timed here: a busy machine would fail it.
  it('reads bank-marketing.csv', () => {
    const { frame, delimiter, hasHeader, warnings } = readCsv(sample('bank-marketing.csv'), 'bank-marketing.csv');
    expect([delimiter, hasHeader, warnings]).toEqual([';', true, []]);
    expect(frame.rowCount).toBe(45211);
    const numeric = frame.columns.filter((c) => c.type === 'number').map((c) => c.name);
    expect(numeric).toEqual(['age', 'balance', 'day', 'duration', 'campaign', 'pdays', 'previous']);
    expect(frame.columns.filter((c) => c.type === 'category')).toHaveLength(10);
    expect(new Set<string | number | null>(column(frame, 'y').values)).toEqual(new Set(['no', 'yes']));
  });

  it('reads advertising.csv', () => {
    const { frame, delimiter } = readCsv(sample('advertising.csv'), 'advertising.csv');
    expect(delimiter).toBe(',');
    expect(frame.rowCount).toBe(200);
    expect(frame.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Number:number',
      'TV:number',
      'Radio:number',
      'Newspaper:number',
      'Sales:number',
    ]);
  });
});
