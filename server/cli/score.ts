import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import { CsvError } from '../../nodes/lib/csv';
import { readCsvChunks } from '../../nodes/lib/csv-chunks';
import { refusePhotoModel } from '../../nodes/lib/score-rows';
import { scoreCsvChunks, type ScoringProgress } from '../../nodes/lib/score-stream';
import type { ModelValue } from '../../nodes/values';
import { UsageError } from './usage-error';

/** A model or table refused before any row is written: said plainly, without the usage text. */
class RefusedInput extends Error {}

/** Rows read, scored and written at a time: small enough to keep memory flat, large enough for fast batches. */
export const SCORE_ROWS_PER_CHUNK = 5000;

function loadModel(file: string): ModelValue {
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) throw new UsageError(`score: model file "${file}" does not exist.`);
  try {
    const { model } = readModelFile(fs.readFileSync(file));
    refusePhotoModel(model, 'Score photos with an Evaluate step in the app instead.');
    return model;
  } catch (error) {
    if (error instanceof NodeInputError) throw new RefusedInput(`"${path.basename(file)}": ${error.message}`);
    throw error;
  }
}

function openInput(file: string): AsyncIterable<Uint8Array> {
  if (file === '-') return process.stdin;
  if (!fs.existsSync(file)) throw new UsageError(`score: file "${file}" does not exist.`);
  if (fs.statSync(file).isDirectory()) throw new UsageError(`score: "${file}" is a folder; give a CSV file.`);
  return fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
}

/** Passes the scored text on, printing the reader's notes on the file (renamed columns…) once the first chunk is read. */
async function* withNotes(scored: AsyncIterable<string>, progress: ScoringProgress): AsyncGenerator<string> {
  for await (const text of scored) {
    if (progress.chunks === 1) for (const warning of progress.warnings) process.stderr.write(`pipelab score: note: ${warning}\n`);
    yield text;
  }
}

/**
 * `pipelab score <model-file> <customers.csv | -> [--output scored.csv]`: the Score step on a file of any
 * length, read, scored and written a chunk at a time. Exit 0 when every row is written; 2 when the model,
 * the file or its columns are refused before any row is written; 1 when a row further down is refused
 * (the rows before it have been written, and the message names the line).
 */
export async function scoreCommand(positionals: string[], values: { output?: string }, rowsPerChunk = SCORE_ROWS_PER_CHUNK): Promise<number> {
  try {
    return await scoreFile(positionals, values, rowsPerChunk);
  } catch (error) {
    if (!(error instanceof RefusedInput)) throw error;
    process.stderr.write(`pipelab score: ${error.message}\n`);
    return 2;
  }
}

async function scoreFile(positionals: string[], values: { output?: string }, rowsPerChunk: number): Promise<number> {
  const [modelFile, inputFile] = positionals;
  if (!modelFile || !inputFile) throw new UsageError('pipelab score needs a model file and a CSV file (or - for standard input).');
  const model = loadModel(modelFile);
  const input = openInput(inputFile);
  const name = inputFile === '-' ? 'standard input' : path.basename(inputFile);
  // A named output is written beside it and renamed when complete, so a failed scoring leaves no half file.
  const partial = values.output ? `${values.output}.partial-${process.pid}` : null;
  const out: Writable = partial ? fs.createWriteStream(partial) : process.stdout;
  const progress: ScoringProgress = { rows: 0, unscored: 0, chunks: 0, warnings: [] };
  try {
    const scored = scoreCsvChunks(model, readCsvChunks(input, name, { rowsPerChunk }), progress);
    // pipeline() waits while the reader (a pipe, a slow disk) has not taken the last chunk: backpressure.
    await pipeline(Readable.from(withNotes(scored, progress)), out, { end: Boolean(partial) });
    if (partial) fs.renameSync(partial, values.output!);
  } catch (error) {
    // A reader that stops early (`| head`) closes the pipe: that ends the job, it is not a failure.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    if (partial) {
      out.destroy();
      fs.rmSync(partial, { force: true });
    }
    if (!(error instanceof CsvError || error instanceof NodeInputError)) throw error;
    const where = name === 'standard input' ? name : `"${name}"`;
    if (progress.rows === 0) throw new RefusedInput(`${where}: ${error.message}`);
    const written = partial ? 'nothing was written' : `the first ${progress.rows.toLocaleString('en-US')} rows were written`;
    process.stderr.write(`pipelab score: ${where}: ${error.message} Scoring stopped there; ${written}.\n`);
    return 1;
  }
  const unscored = progress.unscored ? ` (${progress.unscored.toLocaleString('en-US')} not scored: they have empty cells the model's cleaning step drops)` : '';
  process.stderr.write(`pipelab score: ${progress.rows.toLocaleString('en-US')} rows scored by ${model.title}${unscored}.\n`);
  return 0;
}
