import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryCodes, takeRows, type CategoryColumn } from '../../models/frame';
import { classIndices } from './model-data';
import { readColumnsFile, writeColumnsFile } from './columns-file';
import { readCsvFast } from './csv-fast';
import { summarizeColumns } from './summarize';

const csv = 'spend,region,bought\n1.5,north,yes\n2,south,no\n,north,yes\n4,NA,no\n5,east,yes\n';

describe('kept columns file', () => {
  it('gives back the table it was written from, text columns dictionary-encoded as the reader coded them', () => {
    const parsed = readCsvFast(new TextEncoder().encode(csv), 'x.csv');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'columns-')), 't.columns');
    writeColumnsFile(file, parsed);
    const read = readColumnsFile(file)!;
    expect(read).toEqual(parsed);
    const region = read.frame.columns[1] as CategoryColumn;
    expect(Array.from(categoryCodes(region).codes)).toEqual([0, 1, 0, -1, 2]);
    expect(categoryCodes(region).dictionary).toEqual(['north', 'south', 'east']);
    expect(summarizeColumns(read.frame)[1]).toEqual({ name: 'region', type: 'category', missing: 1, distinct: 3 });
    // A split's rows keep the codes; class indices and summaries read them.
    const train = takeRows(read.frame, [4, 1, 0]);
    expect(Array.from(classIndices(train, 'bought', ['no', 'yes']))).toEqual([1, 0, 1]);
    expect(summarizeColumns(train)[1]).toEqual({ name: 'region', type: 'category', missing: 0, distinct: 3 });
    expect(summarizeColumns(takeRows(read.frame, [0, 2]))[1]).toEqual({ name: 'region', type: 'category', missing: 0, distinct: 1 });
  });

  it('refuses a file whose codes point past its texts, so the table is parsed again', () => {
    const parsed = readCsvFast(new TextEncoder().encode(csv), 'x.csv');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'columns-')), 't.columns');
    writeColumnsFile(file, parsed);
    const bytes = fs.readFileSync(file);
    // The last column's codes end the file (each row's int32, then padding): make the first row's code 9.
    const codesStart = bytes.length - 4 * 5 - 4;
    bytes.writeInt32LE(9, codesStart);
    fs.writeFileSync(file, bytes);
    expect(readColumnsFile(file)).toBeNull();
  });

  it('keeps a fixed-decimal column as int32s over a power of ten, giving back the very same doubles, and any other as float64', () => {
    const fixed = Float64Array.from([1.5, -2.25, NaN, 0, 123456.789, -0.001, 2147483.647, 7]);
    const others = [
      Float64Array.from([1.5, -0, 2]), // -0 has no int32
      Float64Array.from([0.1 + 0.2, 1]), // not a short decimal
      Float64Array.from([1e-7, 1]), // more decimals than the scales
      Float64Array.from([3e9, 1]), // past int32
      Float64Array.from([2147483.648, 0.001]), // past int32 once scaled
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'columns-'));
    const sizeOf = (values: Float64Array) => {
      const file = path.join(dir, `c${values.length}-${values[0]}.columns`);
      const table = { frame: { columns: [{ name: 'x', type: 'number' as const, values }], rowCount: values.length }, delimiter: ',', hasHeader: true, warnings: [] };
      writeColumnsFile(file, table);
      const read = readColumnsFile(file)!.frame.columns[0];
      expect(read.type).toBe('number');
      const back = Array.from(read.values as Float64Array);
      expect(back.every((v, i) => Object.is(v, values[i])), `${Array.from(values)} came back as ${back}`).toBe(true);
      return fs.statSync(file).size;
    };
    const fixedSize = sizeOf(fixed);
    const asFloats = sizeOf(Float64Array.from([...fixed.slice(0, 7), 0.1 + 0.2]));
    expect(asFloats - fixedSize).toBeGreaterThanOrEqual(4 * fixed.length - 8);
    for (const values of others) sizeOf(values);
  });
});

