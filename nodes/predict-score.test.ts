import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { storedArtifacts, storedDatasets } from '../server/datasets';
import type { Frame } from '../models/frame';
import { columnsFileFor, openColumnsFile, readStoredTable } from './lib/columns-file';
import { frameToCsvPieces } from './lib/csv-write';
import { scoreRowBlocks, type BlockSizes, type ScoreOptions } from './lib/score-blocks';
import { rowBlocksOf, storedTableValue } from './lib/stored-table';
import { tablePreview } from './lib/summarize';
import { scoreTable } from './predict-score';
import type { TablePreview } from './preview';
import type { ModelValue, TableValue } from './values';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from './test-harness';

let db: Db;
let trainingFile: string;
let listFile: string;

/** New customers with empty cells (rows a "drop rows" cleaning leaves unscored), texts to quote, and a column named "reason 1". */
function newCustomers(count: number): string[] {
  const [header, ...rows] = customerRows(count, 99, false);
  return [
    `${header},reason 1,note`,
    ...rows.map((row, i) => {
      const cells = row.split(',');
      if (i % 37 === 5) cells[0] = '';
      if (i % 53 === 7) cells[2] = '';
      const note = i % 11 === 0 ? '"=call, now"' : i % 7 === 0 ? '' : `n${i % 5}`;
      return [...cells, `old ${i % 3}`, note].join(',');
    }),
  ];
}

beforeAll(async () => {
  db = await useTempDataDir();
  const training = customerRows(600).map((row, i) => (i % 41 === 3 ? row.replace(/^[\d.]+,/, ',') : row));
  trainingFile = await uploadCsv(db, 'customers.csv', training);
  listFile = await uploadCsv(db, 'new-customers.csv', newCustomers(2300));
});

const noProgress = { progress: () => {}, signal: new AbortController().signal };

async function listFrame(): Promise<Frame> {
  return (await readStoredTable(storedDatasets.pathOf(listFile), 'new-customers.csv')).frame;
}

/** The file and preview Score gives on the whole table at once: what the streamed scoring must equal. */
async function wholeTable(model: ModelValue, options: ScoreOptions): Promise<{ csv: string; preview: TablePreview }> {
  const { scored, notes } = scoreTable(model, await listFrame(), options, noProgress);
  return { csv: [...frameToCsvPieces(scored)].join(''), preview: tablePreview(scored, null, 20, notes) };
}

function listTable(): TableValue {
  const layout = openColumnsFile(columnsFileFor(storedDatasets.pathOf(listFile)))!;
  return storedTableValue(layout, '', 'new-customers.csv');
}

function expectSamePreview(streamed: TablePreview, whole: TablePreview): void {
  expect(streamed.rows).toEqual(whole.rows);
  expect(streamed.rowCount).toBe(whole.rowCount);
  expect(streamed.notes).toEqual(whole.notes);
  expect(streamed.columns.length).toBe(whole.columns.length);
  streamed.columns.forEach((column, c) => {
    const { mean, ...rest } = whole.columns[c];
    expect(column).toMatchObject(rest);
    // The mean is added up block by block, in another order when sorted.
    if (mean !== undefined) expect(column.mean).toBeCloseTo(mean, 9);
  });
}

const trainAll = () =>
  run(
    graph(
      {
        data: ['data.csv', { dataset: trainingFile, target: 'bought' }],
        clean: ['prep.cleanMissing', { strategy: 'dropRows' }],
        encode: ['prep.oneHot'],
        scale: ['prep.normalize'],
        split: ['prep.split', { testFraction: 0.25, seed: 3 }],
        logistic: ['model.logisticRegression'],
        tree: ['model.decisionTree', { maxDepth: 3, minSamplesLeaf: 5 }],
        svm: ['model.svm'],
        numbers: ['data.csv', { dataset: listFile, target: 'visits' }],
        numbersClean: ['prep.cleanMissing', { strategy: 'dropRows' }],
        numbersEncode: ['prep.oneHot'],
        numbersSplit: ['prep.split', { testFraction: 0.25, seed: 3 }],
        linear: ['model.linearRegression'],
        list: ['data.csv', { dataset: listFile }],
        score: ['predict.score', { sortByProbability: true, addReasons: true }],
        scoreTree: ['predict.score', { sortByProbability: true, addReasons: false }],
      },
      [
        'data.table -> clean.table',
        'clean.table -> encode.table',
        'encode.table -> scale.table',
        'scale.table -> split.table',
        'split.split -> logistic.data',
        'split.split -> tree.data',
        'split.split -> svm.data',
        'numbers.table -> numbersClean.table',
        'numbersClean.table -> numbersEncode.table',
        'numbersEncode.table -> numbersSplit.table',
        'numbersSplit.split -> linear.data',
        'logistic.model -> score.model',
        'list.table -> score.table',
        'tree.model -> scoreTree.model',
        'list.table -> scoreTree.table',
      ],
    ),
  );

let models: Record<'logistic' | 'tree' | 'svm' | 'linear', ModelValue>;
let canvas: Awaited<ReturnType<typeof trainAll>>;

describe('Score new rows, streamed from a data source', () => {
  beforeAll(async () => {
    canvas = await trainAll();
    expect(canvas.error).toBeFalsy();
    const model = (id: string) => canvas.results.get(id)!.outputs.model as ModelValue;
    models = { logistic: model('logistic'), tree: model('tree'), svm: model('svm'), linear: model('linear') };
  }, 180_000);

  it('writes, on the canvas, the file and preview the whole table gives', async () => {
    for (const [id, model, options] of [
      ['score', models.logistic, { sortByProbability: true, addReasons: true }],
      ['scoreTree', models.tree, { sortByProbability: true, addReasons: false }],
    ] as const) {
      const preview = canvas.results.get(id)!.preview as TablePreview;
      const whole = await wholeTable(model, options);
      expect(new TextDecoder().decode(storedArtifacts.read(preview.download!.hash))).toBe(whole.csv);
      expectSamePreview(preview, whole.preview);
    }
    // Rows with an empty spend are left unscored by the model's cleaning, and said so.
    expect((canvas.results.get('score')!.preview as TablePreview).notes!.join(' ')).toMatch(/\d+ rows were not scored/);
  });

  // Blocks of 250 rows, runs of 300 lines merged two at a time: every path of the streamed scoring is taken.
  const small: BlockSizes = { blockRows: 250, runLines: 300, fanIn: 2 };
  const cases: [keyof typeof models, ScoreOptions][] = [
    ['logistic', { sortByProbability: true, addReasons: true }],
    ['logistic', { sortByProbability: false, addReasons: true }],
    ['logistic', { sortByProbability: true, addReasons: false }],
    ['tree', { sortByProbability: true, addReasons: true }],
    ['svm', { sortByProbability: true, addReasons: true }],
    ['svm', { sortByProbability: false, addReasons: true }],
    ['linear', { sortByProbability: true, addReasons: true }],
  ];
  it.each(cases)('gives the same bytes block by block: %s model, %o', async (name, options) => {
    const model = models[name];
    const streamed = scoreRowBlocks(model, rowBlocksOf(listTable())!, options, { artifacts: storedArtifacts, fileName: 'scored.csv' }, noProgress, small);
    const whole = await wholeTable(model, options);
    const text = new TextDecoder().decode(storedArtifacts.read(streamed.stored.hash));
    expect(text.split('\n')).toHaveLength(2301);
    expect(text).toBe(whole.csv);
    expectSamePreview(streamed.preview, whole.preview);
  }, 60_000);

  it('refuses new rows that lack a column the model needs, as the whole table does, leaving no file behind', async () => {
    const layout = openColumnsFile(columnsFileFor(storedDatasets.pathOf(trainingFile)))!;
    const training = storedTableValue(layout, '', 'customers.csv');
    const artifacts = path.join(process.env.PIPELAB_DATA_DIR!, 'artifacts');
    const before = fs.readdirSync(artifacts).length;
    const options = { sortByProbability: true, addReasons: false };
    const streamed = () => scoreRowBlocks(models.linear, rowBlocksOf(training)!, options, { artifacts: storedArtifacts, fileName: 'scored.csv' }, noProgress, small);
    expect(streamed).toThrow(/^The new rows do not fit the model: .*"reason 1"/);
    expect(() => scoreTable(models.linear, training.frame, options, noProgress)).toThrow(/^The new rows do not fit the model: .*"reason 1"/);
    expect(fs.readdirSync(artifacts)).toHaveLength(before);
    const sorting = path.join(process.env.PIPELAB_DATA_DIR!, 'tmp');
    expect(fs.existsSync(sorting) ? fs.readdirSync(sorting) : []).toEqual([]);
  });

  it('hands other steps the whole table, and its preview summarises every row', async () => {
    const table = listTable();
    const frame = await listFrame();
    expect(rowBlocksOf(table)!.read(100, 130)).toEqual({ columns: frame.columns.map((c) => ({ ...c, values: c.values.slice(100, 130) })), rowCount: 30 });
    expect(table.frame).toEqual(frame);
    // A step that builds on the table makes a new value, which is not read in blocks.
    expect(rowBlocksOf({ ...table })).toBeUndefined();
    const listPreview = canvas.results.get('list')!.preview as TablePreview;
    expect(listPreview).toEqual(tablePreview(frame, null, 20));
    // Score's own output is the whole scored table, computed when a step reads it.
    const scored = canvas.results.get('score')!.outputs.table as TableValue;
    const { scored: whole } = scoreTable(models.logistic, frame, { sortByProbability: true, addReasons: true }, noProgress);
    expect(scored.frame).toEqual(whole);
  });
});
