import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { columnsFileFor, tableParseCount } from '../nodes/lib/columns-file';
import { readCsv } from '../nodes/lib/csv';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from '../nodes/test-harness';
import type { TableValue } from '../nodes/values';
import { storeDataset, storeDatasetFile, storedDatasets, storedPathFor } from './datasets';
import { checkFile } from './files/checks';

const tableOf = async (hash: string, target: string) => {
  const outcome = await run(graph({ data: ['data.csv', { dataset: hash, target }] }, []));
  expect(outcome.status, JSON.stringify(outcome.error ?? outcome)).toBe('succeeded');
  return outcome.results.get('data')!.outputs.table as TableValue;
};

describe('an uploaded table is parsed once', () => {
  it('keeps the columns beside the upload; runs, checks and a second upload of the same file read them', async () => {
    const db = await useTempDataDir();
    const lines = customerRows(500);
    const parsesBefore = tableParseCount();
    const hash = await uploadCsv(db, 'customers.csv', lines);
    expect(tableParseCount()).toBe(parsesBefore + 1);
    const csvFile = storedDatasets.pathOf(hash);
    expect(fs.existsSync(columnsFileFor(csvFile))).toBe(true);

    const first = await tableOf(hash, 'bought');
    const second = await tableOf(hash, 'region');
    const check = await checkFile({ kind: 'dataset', path: csvFile, name: 'customers.csv', hash });
    const again = await storeDataset(db, 'customers copy.csv', fs.readFileSync(csvFile));
    expect(tableParseCount()).toBe(parsesBefore + 1);

    expect(again.hash).toBe(hash);
    expect(check).toMatchObject({ ok: true, kind: 'dataset', facts: { rowCount: 500, delimiter: ',', hasHeader: true } });
    const direct = readCsv(fs.readFileSync(csvFile), 'customers.csv').frame;
    expect(first.frame).toEqual(direct);
    expect(second.frame).toEqual(direct);
    expect(first.target).toBe('bought');
  });

  it('recognises a file on disk already stored (the command line\'s --input) by its hash, with the same facts, unparsed', async () => {
    const db = await useTempDataDir();
    const file = path.join(process.env.PIPELAB_DATA_DIR!, 'list.csv');
    fs.writeFileSync(file, customerRows(300).join('\n'));
    const parsesBefore = tableParseCount();
    const stored = await storeDatasetFile(db, 'list.csv', file);
    expect(tableParseCount()).toBe(parsesBefore + 1);
    const again = await storeDatasetFile(db, 'list.csv', file);
    expect(tableParseCount()).toBe(parsesBefore + 1);
    expect(again.hash).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    expect({ ...again, createdAt: 0 }).toEqual({ ...stored, createdAt: 0 });
    expect(again.columns.map((c) => c.name)).toEqual(['spend', 'visits', 'region', 'bought']);
  });

  it('does not trust a damaged columns file: the CSV is parsed again and the columns rewritten', async () => {
    const db = await useTempDataDir();
    const hash = await uploadCsv(db, 'customers.csv', customerRows(200, 7));
    const columnsFile = columnsFileFor(storedDatasets.pathOf(hash));
    const whole = fs.statSync(columnsFile).size;
    fs.truncateSync(columnsFile, Math.floor(whole / 2));
    const parsesBefore = tableParseCount();

    const table = await tableOf(hash, 'bought');
    expect(tableParseCount()).toBe(parsesBefore + 1);
    expect(table.frame.rowCount).toBe(200);
    expect(fs.statSync(columnsFile).size).toBe(whole);
  });

  it('keeps nothing for a file it refuses', async () => {
    const db = await useTempDataDir();
    const bytes = new TextEncoder().encode('spend,visits\n1,2\n3\n');
    await expect(storeDataset(db, 'ragged.csv', bytes)).rejects.toThrow('Line 3 has 1 values but the header has 2.');
    const uploads = path.join(process.env.PIPELAB_DATA_DIR!, 'uploads');
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
  });

  it('takes a Parquet export as it takes a CSV: parsed once at upload, the same table in a run, read again if its columns file is lost', async () => {
    const db = await useTempDataDir();
    const { frame } = readCsv(new TextEncoder().encode(customerRows(300, 5).join('\n')), 'customers.csv');
    const columnData = frame.columns.map((column) =>
      column.type === 'number' ? { name: column.name, data: [...column.values], type: 'DOUBLE' as const } : { name: column.name, data: column.values, type: 'STRING' as const },
    );
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData }));
    const parsesBefore = tableParseCount();
    const row = await storeDataset(db, 'customers.parquet', bytes);
    expect(row).toMatchObject({ name: 'customers.parquet', rowCount: 300, hasHeader: true });
    expect(row.columns.map((c) => c.name)).toEqual(['spend', 'visits', 'region', 'bought']);
    expect(tableParseCount()).toBe(parsesBefore + 1);

    expect((await tableOf(row.hash, 'bought')).frame).toEqual(frame);
    fs.rmSync(columnsFileFor(storedDatasets.pathOf(row.hash)));
    expect((await tableOf(row.hash, 'bought')).frame).toEqual(frame);
    expect(tableParseCount()).toBe(parsesBefore + 2);
  });
});

describe('a table file on disk (the command line\'s --input)', () => {
  it('is copied, hashed and parsed once, and read by runs as the same table as an upload of its bytes', async () => {
    const db = await useTempDataDir();
    const file = path.join(process.env.PIPELAB_DATA_DIR!, 'customers-in.csv');
    const text = customerRows(400, 3).join('\r\n');
    fs.writeFileSync(file, text);
    const parsesBefore = tableParseCount();
    const row = await storeDatasetFile(db, 'customers.csv', file);
    expect(row.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(row).toMatchObject({ rowCount: 400, sizeBytes: Buffer.byteLength(text), delimiter: ',', hasHeader: true });
    expect(fs.readFileSync(storedPathFor('dataset', row.hash), 'utf8')).toBe(text);
    expect(await storeDatasetFile(db, 'customers again.csv', file)).toMatchObject({ hash: row.hash, rowCount: 400 });
    expect(tableParseCount()).toBe(parsesBefore + 1);
    expect((await tableOf(row.hash, 'bought')).frame).toEqual(readCsv(new TextEncoder().encode(text), 'customers.csv').frame);
    expect(tableParseCount()).toBe(parsesBefore + 1);
    expect(fs.readdirSync(path.join(process.env.PIPELAB_DATA_DIR!, 'uploads')).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('reads a pipe as it reads a file (`--input data=<(…)`), keeping what came through it', async () => {
    const db = await useTempDataDir();
    const source = path.join(process.env.PIPELAB_DATA_DIR!, 'customers-in.csv');
    const text = customerRows(300, 3).join('\n');
    fs.writeFileSync(source, text);
    const pipe = path.join(process.env.PIPELAB_DATA_DIR!, 'customers.pipe');
    execFileSync('mkfifo', [pipe]);
    const writer = spawn('sh', ['-c', `cat "${source}" > "${pipe}"`]);
    const written = new Promise((resolve) => writer.once('exit', resolve));
    const row = await storeDatasetFile(db, 'customers.csv', pipe);
    expect(await written).toBe(0);
    expect(row).toMatchObject({ hash: createHash('sha256').update(text).digest('hex'), rowCount: 300, sizeBytes: Buffer.byteLength(text) });
    expect(fs.readFileSync(storedPathFor('dataset', row.hash), 'utf8')).toBe(text);
  });

  it('keeps nothing for a file it refuses, and says which line is wrong', async () => {
    const db = await useTempDataDir();
    const file = path.join(process.env.PIPELAB_DATA_DIR!, 'ragged.csv');
    fs.writeFileSync(file, 'spend,visits\n1,2\n3\n');
    await expect(storeDatasetFile(db, 'ragged.csv', file)).rejects.toThrow('Line 3 has 1 values but the header has 2.');
    const uploads = path.join(process.env.PIPELAB_DATA_DIR!, 'uploads');
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
  });
});

describe('an upload is refused when no column could be predicted', () => {
  async function checkUpload(name: string, text: string) {
    await useTempDataDir();
    const file = path.join(process.env.PIPELAB_DATA_DIR!, name);
    fs.writeFileSync(file, text);
    const hash = createHash('sha256').update(text).digest('hex');
    return { result: await checkFile({ kind: 'dataset', path: file, name, hash }), hash };
  }

  it('refuses a file with a single column, naming it, and keeps no parsed columns', async () => {
    const { result, hash } = await checkUpload('emails.csv', 'email\na@x.com\nb@x.com\na@x.com\n');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^The file has only one column \(“email”\): a model needs one column to predict/) });
    expect(fs.existsSync(columnsFileFor(storedPathFor('dataset', hash)))).toBe(false);
  });

  it('refuses a file of ids and names only', async () => {
    const { result } = await checkUpload('people.csv', 'id,name\nC-1,Ann\nC-2,Bob\nC-3,Cleo\nC-4,Dan\n');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^No column can be predicted: every column either holds a different text on each row \(like ids or names\)/) });
  });

  it('accepts the same ids beside a column that repeats', async () => {
    const { result } = await checkUpload('people.csv', 'id,name,bought\nC-1,Ann,yes\nC-2,Bob,no\nC-3,Cleo,no\n');
    expect(result).toMatchObject({ ok: true, kind: 'dataset' });
  });
});
