import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { storedArtifacts } from '../../server/datasets';
import { readModelFile } from '../data-model';
import type { ModelPreview, TablePreview } from '../preview';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from '../test-harness';
import type { ModelValue } from '../values';
import { readCsvChunks } from './csv-chunks';
import { scoreCsvChunks, type ScoringProgress } from './score-stream';

async function* bytesOf(text: string, pieceBytes = 4096): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += pieceBytes) yield bytes.subarray(at, at + pieceBytes);
}

async function scoreStreamed(model: ModelValue, csv: string, rowsPerChunk: number, progress?: ScoringProgress): Promise<string> {
  let out = '';
  for await (const text of scoreCsvChunks(model, readCsvChunks(bytesOf(csv), 'list.csv', { rowsPerChunk }), progress)) out += text;
  return out;
}

/** A new customer list with what real lists have: empty cells, quoted text with separators and line breaks. */
function newCustomers(count: number): string[] {
  const [header, ...rows] = customerRows(count, 7, false);
  return [
    `${header},note`,
    ...rows.map((row, i) => {
      const cells = row.split(',');
      if (i % 97 === 3) cells[0] = '';
      if (i % 113 === 5) cells[2] = 'NA';
      const note = i % 41 === 0 ? '"called, twice\nno answer"' : i % 10 === 0 ? '=1+1' : `n${i % 13}`;
      return [...cells, note].join(',');
    }),
  ];
}

describe('scoring a CSV a chunk at a time', () => {
  let db: Db;
  let model: ModelValue;
  let list: string[];
  let nodeCsv: string;

  beforeAll(async () => {
    db = await useTempDataDir();
    const training = await uploadCsv(db, 'customers.csv', customerRows(300));
    list = newCustomers(2600);
    const listHash = await uploadCsv(db, 'new-customers.csv', list);
    const outcome = await run(
      graph(
        {
          data: ['data.csv', { dataset: training, target: 'bought' }],
          clean: ['prep.cleanMissing', { strategy: 'dropRows' }],
          encode: ['prep.oneHot'],
          split: ['prep.split', { testFraction: 0.25, seed: 3 }],
          model: ['model.logisticRegression'],
          list: ['data.csv', { dataset: listHash }],
          score: ['predict.score', { sortByProbability: false }],
        },
        ['data.table -> clean.table', 'clean.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data', 'model.model -> score.model', 'list.table -> score.table'],
      ),
    );
    expect(outcome.status).toBe('succeeded');
    const modelPreview = outcome.results.get('model')!.preview as ModelPreview;
    model = readModelFile(storedArtifacts.read(modelPreview.download!.hash)).model;
    const scorePreview = outcome.results.get('score')!.preview as TablePreview;
    nodeCsv = new TextDecoder().decode(storedArtifacts.read(scorePreview.download!.hash));
  }, 120_000);

  it('writes what the Score step writes (same columns, same predictions), in one chunk or in many', async () => {
    const csv = list.join('\n');
    const progress: ScoringProgress = { rows: 0, unscored: 0, chunks: 0, warnings: [] };
    const chunked = await scoreStreamed(model, csv, 250, progress);
    expect(progress).toMatchObject({ rows: 2600, chunks: 11 });
    expect(progress.unscored).toBeGreaterThan(0);
    expect(chunked).toBe(`${nodeCsv}\n`);
    expect(chunked.split('\n')[0]).toBe('spend,visits,region,note,predicted bought,probability of yes');
    expect(await scoreStreamed(model, csv, 10_000)).toBe(chunked);
  });

  it('names a missing column before writing anything, and a bad line further down', async () => {
    const withoutVisits = list.map((line) => line.replace(/^([^,]*),[^,]*,/, '$1,'));
    await expect(scoreStreamed(model, withoutVisits.join('\n'), 250)).rejects.toThrow('The table is missing the column "visits", which the preprocessing needs.');
    const bad = [...list.slice(0, 1800), '12.5,3', ...list.slice(1800)];
    const out: string[] = [];
    const scoring = scoreCsvChunks(model, readCsvChunks(bytesOf(bad.join('\n')), 'list.csv', { rowsPerChunk: 250 }));
    await expect(
      (async () => {
        for await (const text of scoring) out.push(text);
      })(),
    ).rejects.toThrow(/^Line \d+ has 2 values but the header has 4\.$/);
    // The seven whole chunks before the bad row were scored and handed on.
    expect(out).toHaveLength(7);
  });

  it('refuses a model trained on photos', async () => {
    const photoModel = { ...model, modelType: 'model.cnn' } as ModelValue;
    await expect(scoreStreamed(photoModel, list.join('\n'), 250)).rejects.toThrow('was trained on photos, and scoring works on table rows');
  });
});
