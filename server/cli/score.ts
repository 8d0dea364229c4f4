import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import { CsvError } from '../../nodes/lib/csv';
import { readCsvChunks } from '../../nodes/lib/csv-chunks';
import { refusePhotoModel } from '../../nodes/lib/score-rows';
import { scoreCsvChunks, type ScoringProgress } from '../../nodes/lib/score-stream';
import type { ModelValue } from '../../nodes/values';
import { UsageError } from './inputs';

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

/** Writes text, waiting when the reader (a pipe, a slow disk) has not taken the last writes yet. */
async function writeWithBackpressure(out: Writable, text: string): Promise<void> {
  if (out.write(text)) return;
  await Promise.race([once(out, 'drain'), once(out, 'error').then(([error]) => Promise.reject(error))]);
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
  // A reader that stops early (`| head`) closes the pipe: that is the end of the job, not an error.
  if (!partial) process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : undefined));
  const progress: ScoringProgress = { rows: 0, unscored: 0, chunks: 0, warnings: [] };
  try {
    for await (const text of scoreCsvChunks(model, readCsvChunks(input, name, { rowsPerChunk }), progress)) {
      if (progress.chunks === 1) for (const warning of progress.warnings) process.stderr.write(`pipelab score: note: ${warning}\n`);
      await writeWithBackpressure(out, text);
    }
    if (partial) {
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      fs.renameSync(partial, values.output!);
    }
  } catch (error) {
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
