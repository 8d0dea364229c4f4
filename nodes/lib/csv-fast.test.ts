import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { readCsv } from './csv';
import { parsePlainNumber, readCsvFast, readPlainCsv } from './csv-fast';
import { readCsvFile, readPlainCsvFile, type CsvFileOptions } from './csv-file';

/**
 * The fast reader must read every file exactly as readCsv does: the same columns, types, values,
 * warnings, separator and header, or the same refusal. FUZZ_RUNS raises the runs for a longer hunt.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 300);
const bytesOf = (text: string) => new TextEncoder().encode(text);

/** What a reader answers, errors included, in a form that compares with toEqual. */
function answerOf(read: () => unknown) {
  try {
    return { result: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const field = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -99999, max: 99999 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(3)),
  fc.constantFrom('', ' ', 'NA', 'n/a', 'NaN', 'null', '?', 'none', 'yes', 'no', '1e999', '.5', '5.', '+3', '-0', '1e5', '0x10', 'Infinity', ' 7 ', '1,5', 'abc'),
);
const rowOf = (width: number) => fc.array(field, { minLength: width, maxLength: width });
const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    header: fc.array(fc.constantFrom('a', 'b', 'a', ' c ', 'spend', ''), { minLength: width, maxLength: width }),
    rows: fc.array(fc.oneof({ weight: 8, arbitrary: rowOf(width) }, { weight: 1, arbitrary: rowOf(width + 1) }, { weight: 1, arbitrary: fc.constant([]) }), { maxLength: 40 }),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    lineBreak: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
  }),
);

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-csv-file-'));
let files = 0;
function fileOf(text: string): string {
  const file = path.join(folder, `table-${files++}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

/** What readCsvFile answers for the file, errors included. */
async function fileAnswerOf(file: string, options: CsvFileOptions) {
  try {
    return { result: await readCsvFile(file, 'table.csv', options) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// Reads of a file on disk: through a buffer of a few bytes (lines cut between reads, long lines growing
// it), and cut into parts at line breaks, read one after the other or by worker threads.
const fileReads = fc.record({ threads: fc.integer({ min: 1, max: 4 }), chunkBytes: fc.integer({ min: 1, max: 64 }) });

describe('fast CSV reader', () => {
  it.prop([table, fileReads], { numRuns: runs })('reads any plain table exactly as readCsv does, from bytes or from a file in parts', async ({ header, rows, delimiter, lineBreak, bom }, reads) => {
    const text = (bom ? '\ufeff' : '') + [header, ...rows].map((row) => row.join(delimiter)).join(lineBreak);
    const bytes = bytesOf(text);
    const expected = answerOf(() => readCsv(bytes, 'table.csv'));
    const fast = answerOf(() => readPlainCsv(bytes));
    if ('result' in fast && fast.result !== null) expect(fast).toEqual(expected);
    expect(answerOf(() => readCsvFast(bytes, 'table.csv'))).toEqual(expected);
    expect(await fileAnswerOf(fileOf(text), { ...reads, inThread: true })).toEqual(expected);
  });

  it('joins the parts of a large file read in parallel: texts met first in a later part, number-like texts, blank lines and CRLF at the cuts', async () => {
    const lines = ['id,spend,code,label'];
    for (let row = 0; row < 3000; row++) {
      const code = row < 1500 ? String(row % 7) : `C${row % 11}`;
      const label = row < 2000 ? (row % 2 ? 'yes' : 'no') : ['maybe', 'no', 'yes'][row % 3];
      lines.push(`${row},${(row * 1.25).toFixed(2)},${code},${label}`);
      if (row % 499 === 0) lines.push('');
    }
    for (const lineBreak of ['\n', '\r\n']) {
      const text = lines.join(lineBreak) + lineBreak;
      const file = fileOf(text);
      const expected = readCsv(bytesOf(text), 'table.csv');
      for (const threads of [2, 3, 4]) {
        const parts = await readPlainCsvFile(file, { threads, chunkBytes: 333, inThread: true });
        expect(parts).toEqual(expected);
      }
      // The same through worker threads (as a large upload is read).
      expect(await readPlainCsvFile(file, { threads: 3, chunkBytes: 4096 })).toEqual(expected);
    }
  });

  it('joins parts that outgrew their room in the shared columns (rows far shorter than the first ones)', async () => {
    // The row guess comes from the first 200 rows, here three times as long as the rest: with 2 parts every
    // part has more rows than its room, with 3 the first part fits and the later ones do not.
    const lines = ['a,b,c,label'];
    for (let row = 0; row < 250; row++) lines.push(`${row}123456.125,${row}654321.5,-${row}111111.25,${row % 3 ? 'yes' : 'no'}`);
    for (let row = 0; row < 6000; row++) lines.push(`${row % 10},${row % 7},${row % 3},${row % 5 ? 'no' : 'maybe'}`);
    const text = lines.join('\n');
    const file = fileOf(text);
    const expected = readCsv(bytesOf(text), 'table.csv');
    for (const threads of [2, 3]) {
      expect(await readPlainCsvFile(file, { threads, chunkBytes: 4096, inThread: true }), `${threads} parts`).toEqual(expected);
      expect(await readPlainCsvFile(file, { threads, chunkBytes: 4096 }), `${threads} parts, threads`).toEqual(expected);
    }
  });

  it('hands the whole file to readCsv when a later part is not plain, with its messages naming the line', async () => {
    const rows = Array.from({ length: 400 }, (_, row) => `${row},${row % 3 ? 'north' : 'south'},${row / 4}`);
    const cases = {
      ragged: (r: string[]) => r.map((row, i) => (i === 300 ? `${row},extra` : row)),
      quoted: (r: string[]) => r.map((row, i) => (i === 301 ? row.replace('north', '"north, east"').replace('south', '"south, west"') : row)),
      accented: (r: string[]) => r.map((row, i) => (i === 302 ? row.replace(/north|south/, 'Zürich') : row)),
      typo: (r: string[]) => r.map((row, i) => (i === 303 ? row.replace(/,[^,]*$/, ',1..5') : row)),
      emptyLastLine: (r: string[]) => [...r, ''],
    };
    for (const [name, change] of Object.entries(cases)) {
      const text = ['id,region,score', ...change(rows)].join('\n');
      const expected = answerOf(() => readCsv(bytesOf(text), 'table.csv'));
      for (const options of [{ threads: 2, inThread: true }, { threads: 2 }]) {
        expect(await fileAnswerOf(fileOf(text), { ...options, chunkBytes: 100 }), name).toEqual(expected);
      }
      if (name !== 'emptyLastLine') expect(await readPlainCsvFile(fileOf(text), { threads: 2, inThread: true }), name).toBeNull();
    }
    expect(answerOf(() => readCsv(bytesOf(['id,region,score', ...cases.ragged(rows)].join('\n')), 'x.csv'))).toEqual({ error: 'Line 302 has 4 values but the header has 3.' });
  });

  it('takes the fast path for a typical export, with text, missing values and blank lines', () => {
    const text = 'id,spend,region,bought\r\n1,10.5,north,yes\r\n\r\n2,NA,south,no\r\n3,-2e3, east ,\r\n';
    const fast = readPlainCsv(bytesOf(text));
    expect(fast).not.toBeNull();
    expect(fast).toEqual(readCsv(bytesOf(text), 'export.csv'));
    expect(fast!.frame.columns.map((c) => c.type)).toEqual(['number', 'number', 'category', 'category']);
  });

  it('leaves quoted, accented, header-less and ragged files to readCsv, with its messages', () => {
    for (const text of ['name,spend\n"Smith, J",3\nLee,4\n', 'name,spend\nJosé,3\nLee,4\n', '1,2\n3,4\n', 'a,b\n1,2\n3\n']) {
      expect(readPlainCsv(bytesOf(text))).toBeNull();
      expect(answerOf(() => readCsvFast(bytesOf(text), 'x.csv'))).toEqual(answerOf(() => readCsv(bytesOf(text), 'x.csv')));
    }
  });

  it.prop([fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x.toExponential(fc.sample(fc.integer({ min: 0, max: 20 }), 1)[0])), fc.stringMatching(/^[+-]?\d{0,18}(\.\d{0,18})?([eE][+-]?\d{1,3})?$/))], { numRuns: runs * 5 })(
    'parses a number to the same double as Number()',
    (text) => {
      const plain = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text);
      const expected = plain && Number.isFinite(Number(text)) ? Number(text) : NaN;
      expect(Object.is(parsePlainNumber(bytesOf(text), 0, text.length), expected)).toBe(true);
    },
  );
});
