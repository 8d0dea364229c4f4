import type { Column, Frame } from '../../models/frame';
import type { Estimator } from '../../models/estimator';
import { restoreEstimator } from '../../models/estimators';
import type { ModelValue } from '../values';
import type { CsvChunk } from './csv-chunks';
import { csvCell } from './csv-write';
import { predictColumns, refusePhotoModel } from './score-rows';

/** What a streamed scoring has done so far. */
export interface ScoringProgress {
  rows: number;
  unscored: number;
  chunks: number;
  warnings: string[];
}

/**
 * The Score step's table: the new rows' own columns (less any a prediction column replaces), then the
 * prediction and its probabilities. Shared by the in-memory Score step and the streamed scoring.
 */
export function scoredFrame(frame: Frame, predictions: Column[]): Frame {
  const kept = frame.columns.filter((column) => !predictions.some((p) => p.name === column.name));
  return { columns: [...kept, ...predictions], rowCount: frame.rowCount };
}

/** The rows of a frame as CSV lines, each ending in "\n", written as csv-write writes every download. */
function csvLines(frame: Frame): string {
  const { columns } = frame;
  let text = '';
  for (let row = 0; row < frame.rowCount; row++) {
    let line = csvCell(columns[0].values[row]);
    for (let c = 1; c < columns.length; c++) line += `,${csvCell(columns[c].values[row])}`;
    text += `${line}\n`;
  }
  return text;
}

/**
 * Scores a table chunk by chunk and yields the scored CSV as text: the header with the first chunk, then
 * each chunk's rows in the order they came. Rows are not sorted by probability: that would need them all.
 * The model's column checks run on every chunk, so a missing column is refused on the first one.
 */
export async function* scoreCsvChunks(
  model: ModelValue,
  chunks: AsyncIterable<CsvChunk>,
  progress: ScoringProgress = { rows: 0, unscored: 0, chunks: 0, warnings: [] },
  estimator: Estimator = restoreEstimator(model.estimator),
): AsyncGenerator<string> {
  refusePhotoModel(model, 'Score photos with an Evaluate step in the app instead.');
  let header: string[] | null = null;
  for await (const chunk of chunks) {
    const { columns, unscored } = predictColumns(model, chunk.frame, estimator);
    const scored = scoredFrame(chunk.frame, columns);
    let text = '';
    if (!header) {
      header = scored.columns.map((c) => c.name);
      progress.warnings.push(...chunk.warnings);
      text = `${header.map(csvCell).join(',')}\n`;
    }
    progress.rows += chunk.frame.rowCount;
    progress.unscored += unscored;
    progress.chunks++;
    yield text + csvLines(scored);
  }
}
