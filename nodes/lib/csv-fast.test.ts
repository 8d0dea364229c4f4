import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { readCsv } from './csv';
import { parsePlainNumber, readCsvFast, readPlainCsv } from './csv-fast';

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

describe('fast CSV reader', () => {
  it.prop([table], { numRuns: runs })('reads any plain table exactly as readCsv does', ({ header, rows, delimiter, lineBreak, bom }) => {
    const text = (bom ? '\ufeff' : '') + [header, ...rows].map((row) => row.join(delimiter)).join(lineBreak);
    const bytes = bytesOf(text);
    const expected = answerOf(() => readCsv(bytes, 'table.csv'));
    const fast = answerOf(() => readPlainCsv(bytes));
    if ('result' in fast && fast.result !== null) expect(fast).toEqual(expected);
    expect(answerOf(() => readCsvFast(bytes, 'table.csv'))).toEqual(expected);
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
