import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryCodes, categoryColumn, takeRows, type CategoryColumn } from '../../models/frame';
import { classIndices } from './model-data';
import { readColumnsFile, writeColumnsFile } from './columns-file';
import { readCsvFast } from './csv-fast';
import { summarizeColumns } from './summarize';

const csv = 'spend,region,bought\n1.5,north,yes\n2,south,no\n,north,yes\n4,NA,no\n5,east,yes\n';

describe('kept columns file', () => {
  it('gives back the table it was written from, text columns dictionary-encoded as the reader coded them', async () => {
    const parsed = readCsvFast(new TextEncoder().encode(csv), 'x.csv');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'columns-')), 't.columns');
    await writeColumnsFile(file, parsed);
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

  it('refuses a file whose codes point past its texts, so the table is parsed again', async () => {
    const parsed = readCsvFast(new TextEncoder().encode(csv), 'x.csv');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'columns-')), 't.columns');
    await writeColumnsFile(file, parsed);
    const bytes = fs.readFileSync(file);
    // The last column's codes end the file (each row's int32, then padding): make the first row's code 9.
    const codesStart = bytes.length - 4 * 5 - 4;
    bytes.writeInt32LE(9, codesStart);
    fs.writeFileSync(file, bytes);
    expect(readColumnsFile(file)).toBeNull();
  });

  it('writes columns longer than one write (8 MiB) whole, an odd number of text codes between number columns', async () => {
    const rows = 1_100_001;
    const spend = Float64Array.from({ length: rows }, (_, row) => (row % 97 === 0 ? NaN : row * 0.25 - 1000));
    const codes = Int32Array.from({ length: rows }, (_, row) => (row % 5) - 1);
    const visits = Float64Array.from({ length: rows }, (_, row) => rows - row);
    const frame = { columns: [{ name: 'spend', type: 'number' as const, values: spend }, categoryColumn('region', codes, ['north', 'south', 'east', 'west']), { name: 'visits', type: 'number' as const, values: visits }], rowCount: rows };
    const table = { frame, delimiter: ',', hasHeader: true, warnings: [] };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'columns-')), 't.columns');
    await writeColumnsFile(file, table);
    expect(readColumnsFile(file)).toEqual(table);
  });
});
