import fs from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../models/frame';
import { CsvError, readCsv } from './csv';
import { looksLikeParquet, readParquet } from './parquet';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(new URL(`./fixtures/parquet/${name}.parquet`, import.meta.url)));
const valuesOf = (column: Column) => (column.type === 'number' ? [...column.values] : column.values);

/** The bank sample written as Parquet the way a warehouse export types it: whole numbers as INT32, text as STRING. */
function bankAsParquet(): { bytes: Uint8Array; csvColumns: Column[] } {
  const { frame } = readCsv(fs.readFileSync('samples/bank-marketing.csv'), 'bank-marketing.csv');
  const columnData = frame.columns.map((column) =>
    column.type === 'number' ? { name: column.name, data: [...column.values], type: 'INT32' as const } : { name: column.name, data: column.values, type: 'STRING' as const },
  );
  return { bytes: new Uint8Array(parquetWriteBuffer({ columnData })), csvColumns: frame.columns };
}

describe('Parquet tables', () => {
  it('reads a table written as Parquet into the same columns the CSV of it gives', async () => {
    const { bytes, csvColumns } = bankAsParquet();
    expect(looksLikeParquet(bytes)).toBe(true);
    const { frame, warnings } = await readParquet(bytes, 'bank.parquet');
    expect(warnings).toEqual([]);
    expect(frame.rowCount).toBe(45211);
    expect(frame.columns.map((c) => [c.name, c.type])).toEqual(csvColumns.map((c) => [c.name, c.type]));
    frame.columns.forEach((column, i) => expect(valuesOf(column)).toEqual(valuesOf(csvColumns[i])));
  });

  it('reads files from other writers: snappy pages (v2), LZ4, Brotli, decimals; missing values stay missing', async () => {
    // Expected values: the JSON beside each file in apache/parquet-testing, as hyparquet's own tests use them.
    const v2 = (await readParquet(fixture('datapage_v2.snappy'), 'v2.parquet')).frame;
    expect(v2.columns.map((c) => [c.name, c.type])).toEqual([['a', 'category'], ['b', 'number'], ['c', 'number'], ['d', 'category']]);
    expect(v2.columns.map(valuesOf)).toEqual([
      ['abc', 'abc', 'abc', null, 'abc'],
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5, 2],
      ['true', 'true', 'true', 'false', 'true'],
    ]);
    for (const name of ['lz4_raw_compressed', 'brotli_compressed']) {
      const { frame } = await readParquet(fixture(name), `${name}.parquet`);
      expect(frame.columns.map(valuesOf)).toEqual([
        [1593604800, 1593604800, 1593604801, 1593604801],
        ['abc', 'def', 'abc', 'def'],
        [42, 7.7, 42.125, 7.7],
      ]);
    }
    const decimals = (await readParquet(fixture('decimal-column'), 'decimals.parquet')).frame;
    expect(decimals.columns.every((c) => c.type === 'number')).toBe(true);
    expect(valuesOf(decimals.columns[0]).slice(0, 5)).toEqual([40, 74, 140, 152, 190]);
  });

  it('leaves out nested columns with a warning and keeps the flat ones', async () => {
    const { frame, warnings } = await readParquet(fixture('nullable.impala'), 'nested.parquet');
    expect(frame.columns.map((c) => c.name)).toEqual(['id']);
    expect(valuesOf(frame.columns[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(warnings.join(' ')).toMatch(/Column "int_array" holds lists or nested records, which a model cannot read; it was left out\./);
  });

  it('refuses damaged, empty and oversized files with a plain reason', async () => {
    const { bytes } = bankAsParquet();
    const damaged = Uint8Array.from(bytes);
    damaged.fill(7, bytes.length - 300, bytes.length - 8);
    await expect(readParquet(damaged, 'bank.parquet')).rejects.toThrow(CsvError);
    await expect(readParquet(damaged, 'bank.parquet')).rejects.toThrow(/^bank\.parquet (looks like a Parquet file but|could not be read as Parquet|has no rows)/);

    const empty = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'age', data: [], type: 'INT32' }] }));
    await expect(readParquet(empty, 'empty.parquet')).rejects.toThrow('empty.parquet has no rows: the Parquet file holds only column names.');

    const wide = new Uint8Array(parquetWriteBuffer({ columnData: Array.from({ length: 10_001 }, (_, i) => ({ name: `c${i}`, data: [1], type: 'INT32' as const })) }));
    await expect(readParquet(wide, 'wide.parquet')).rejects.toThrow('wide.parquet has 10,001 columns; the limit is 10,000. Export only the columns you need.');
  });

  it('tells Parquet from CSV by content, not by name', () => {
    expect(looksLikeParquet(new TextEncoder().encode('PAR1,b\n1,2\n'))).toBe(false);
    expect(looksLikeParquet(fixture('lz4_raw_compressed'))).toBe(true);
  });
});
