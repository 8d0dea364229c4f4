import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../models/frame';
import { readCsv } from './csv';
import { readCsvChunks, type CsvChunk } from './csv-chunks';

/** The bytes of a text, handed over `pieceBytes` at a time, as a slow pipe would. */
async function* pieces(text: string | Uint8Array, pieceBytes: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let at = 0; at < bytes.length; at += pieceBytes) yield bytes.subarray(at, at + pieceBytes);
}

async function readAll(text: string | Uint8Array, rowsPerChunk: number, pieceBytes = 7): Promise<CsvChunk[]> {
  const chunks: CsvChunk[] = [];
  for await (const chunk of readCsvChunks(pieces(text, pieceBytes), 'list.csv', { rowsPerChunk })) chunks.push(chunk);
  return chunks;
}

/** The chunks joined back into one frame. */
function joined(chunks: CsvChunk[]): Frame {
  const first = chunks[0].frame;
  return {
    rowCount: chunks.reduce((sum, c) => sum + c.frame.rowCount, 0),
    columns: first.columns.map((column, i) => {
      // A column empty in the first chunks takes its type from the first chunk with values; its empties are NaN then.
      const type = chunks.at(-1)!.frame.columns[i].type;
      const values = chunks.flatMap((c) => Array.from(c.frame.columns[i].values as ArrayLike<number | string | null>, (v) => (v === null && type === 'number' ? NaN : v)));
      return { name: column.name, type, values } as never;
    }),
  };
}

const asPlain = (frame: Frame) => ({ rowCount: frame.rowCount, columns: frame.columns.map((c) => ({ name: c.name, type: c.type, values: Array.from(c.values as ArrayLike<unknown>) })) });

const awkward = [
  'id;note;amount;later',
  ...Array.from({ length: 40 }, (_, i) => {
    const note = i % 5 === 0 ? `"says ""hi"";\r\nthen leaves"` : i % 7 === 0 ? 'NA' : `plain ${i}`;
    const amount = i % 6 === 0 ? '' : `${i},5`;
    const later = i < 23 ? '' : `${i * 2}`;
    return `${i};${note};${amount};${later}`;
  }),
].join('\r\n');

describe('reading a CSV a chunk at a time', () => {
  it('gives the rows, names and types readCsv gives for the whole file, however the bytes and rows are cut', async () => {
    const whole = readCsv(new TextEncoder().encode(awkward), 'list.csv');
    for (const [rowsPerChunk, pieceBytes] of [[4, 3], [9, 1], [1000, 64]]) {
      const chunks = await readAll(awkward, rowsPerChunk, pieceBytes);
      expect(chunks.length).toBe(Math.ceil(40 / rowsPerChunk));
      expect(chunks.every((c) => c.frame.rowCount <= rowsPerChunk)).toBe(true);
      expect(asPlain(joined(chunks))).toEqual(asPlain(whole.frame));
      expect(chunks[0].warnings).toEqual(whole.warnings);
    }
  });

  it('names the line of a ragged row and of a text value in a number column, counted from the top of the file', async () => {
    const rows = ['a,b,c', ...Array.from({ length: 30 }, (_, i) => `${i},${i * 2},x${i}`)];
    const ragged = [...rows.slice(0, 25), '1,2', ...rows.slice(25)].join('\n');
    await expect(readAll(ragged, 5)).rejects.toThrow('Line 26 has 2 values but the header has 3.');
    const typo = [...rows.slice(0, 28), '7,seven,x', ...rows.slice(28)].join('\n');
    await expect(readAll(typo, 5)).rejects.toThrow('Column "b" holds numbers, but line 29 has "seven"; fix the value or leave it empty.');
  });

  it('refuses a quote that never closes, and bytes that are not UTF-8, naming the line', async () => {
    const rows = ['a,b', ...Array.from({ length: 12 }, (_, i) => `${i},${i}`)];
    await expect(readAll([...rows, '"open,1', '3,4'].join('\n'), 4)).rejects.toThrow('Line 14 opens a quote (") that is never closed');
    const latin1 = Buffer.concat([Buffer.from(`${rows.join('\n')}\n`), Buffer.from([0x63, 0xe9, 0x2c, 0x31, 0x0a])]);
    await expect(readAll(latin1, 4)).rejects.toThrow('The file is not UTF-8 text: line 14 has characters that cannot be read.');
  });

  it('guesses the separator from the same first rows as readCsv, however small the chunks', async () => {
    // One row per chunk: "#|" alone looks like two fields split by "|"; the file's first rows say one column.
    const text = 'c0\n#|\n"q"';
    expect(asPlain(joined(await readAll(text, 1, 3)))).toEqual(asPlain(readCsv(new TextEncoder().encode(text), 'list.csv').frame));
  });

  it('refuses what readCsv refuses in the first chunk: an empty file, a workbook', async () => {
    await expect(readAll('', 5)).rejects.toThrow('The file is empty.');
    await expect(readAll(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0]), 5)).rejects.toThrow('This is an Excel workbook');
  });
});

describe('chunked reading of hostile files', () => {
  // Cells that stress the row finder: quotes, separators and line breaks of every kind, numbers, missing markers.
  const cell = fc.oneof(
    fc.constantFrom('', 'NA', '?', '1', '-2.5', '1e3', '3,5', 'x', ' y ', '"q"', '"a,b"', '"line\nbreak"', '"cr\r\nlf"', '"say ""hi"""', 'mid"quote'),
    fc.string({ maxLength: 4 }),
  );
  const file = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n')).chain(([width, separator, lineBreak]) =>
    fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 30 }).map((rows) =>
      [Array.from({ length: width }, (_, i) => `c${i}`), ...rows].map((row) => row.join(separator)).join(lineBreak),
    ),
  );

  property.prop([file, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9 })], { numRuns: 300 })(
    'reads what readCsv reads, or refuses with readCsv\'s kind of error, however it is cut',
    async (text, rowsPerChunk, pieceBytes) => {
      let whole: Frame | Error;
      try {
        whole = readCsv(new TextEncoder().encode(text), 'list.csv').frame;
      } catch (error) {
        whole = error as Error;
      }
      let chunked: Frame | Error;
      try {
        chunked = joined(await readAll(text, rowsPerChunk, pieceBytes));
      } catch (error) {
        chunked = error as Error;
      }
      if (whole instanceof Error) {
        // "Mostly numbers, so one text value is a typo" is a whole-file rule: the chunked reader types a column
        // from its first chunk, so a column whose first rows are text stays text. Every other refusal is the same.
        if (/holds numbers, but line/.test(whole.message) && !(chunked instanceof Error)) return;
        expect(chunked).toBeInstanceOf(Error);
        expect((chunked as Error).name).toBe('CsvError');
      } else if (!(chunked instanceof Error)) {
        expect(chunked.rowCount).toBe(whole.rowCount);
        expect(chunked.columns.map((c) => c.name)).toEqual(whole.columns.map((c) => c.name));
      } else {
        // The whole file can read a column as text where a later chunk finds text in what the first chunk read as
        // numbers: the chunked reader refuses that row, naming it, rather than changing the column's type midway.
        expect(chunked.message).toMatch(/holds numbers, but line \d+ has/);
      }
    },
  );
});
