import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { CsvError } from './lib/csv';
import { storedFileParam, targetParam } from './lib/params';
import { openStoredTable, storedRows, storedTablePreview, storedTableValue } from './lib/stored-table';
import { tableFromFrame, tableResult } from './lib/table';
import { takeRows, type Frame } from '../models/frame';
import { formatCount, LIMITS } from '../models/limits';
import { sampleRows } from '../models/split';

/** Seed of the row sample: fixed, so a pipeline uses the same rows every run. */
const SAMPLE_SEED = 42;

export const dataCsv = defineNode({
  type: 'data.csv',
  version: 1,
  title: 'CSV file',
  category: 'Data',
  help: 'Starts the pipeline with a table you upload as a CSV file (from Excel, a CRM export, ...) or a Parquet file (a data warehouse export). The separator and header are detected for you.',
  inputs: [],
  outputs: [{ name: 'table', type: 'table', label: 'Table' }],
  params: z.object({
    dataset: storedFileParam('File', 'Upload a CSV or Parquet file. Pipelab keeps a copy, so the pipeline still runs if the original moves.', 'dataset'),
    target: targetParam('The column the model learns to predict, e.g. "responded".'),
    maxRows: z.number().int().min(0).max(LIMITS.table.sampleRows).default(0).meta({
      title: 'Use at most (rows)',
      description: 'Use at most this many rows: a random sample, the same rows every run. Handy to try a pipeline quickly on a million-row export. 0 uses every row.',
    }),
  }),
  async run({ params, ctx }) {
    if (!params.dataset) throw new NodeInputError('No file chosen yet: upload a CSV or Parquet file in this node.');
    try {
      // Parsed once, when the file was uploaded; runs read the kept columns, and only as far as they need:
      // the preview a column at a time, Score new rows a block of rows at a time, other steps all at once.
      const stored = await openStoredTable(ctx.datasets.pathOf(params.dataset), 'the uploaded file');
      if ('table' in stored) {
        const sample = sampleOf(stored.table.frame, params.maxRows);
        return tableResult(tableFromFrame(sample.frame, params.target, 'uploaded file'), [...sample.notes, ...stored.table.warnings]);
      }
      const { layout } = stored;
      if (params.maxRows === 0 || params.maxRows >= layout.rowCount) {
        const table = storedTableValue(layout, params.target, 'uploaded file');
        return { outputs: { table }, preview: storedTablePreview(layout, table.target, layout.warnings) };
      }
      const sample = storedRows(layout, sampleRows(layout.rowCount, params.maxRows, SAMPLE_SEED));
      return tableResult(tableFromFrame(sample, params.target, 'uploaded file'), [sampleNote(layout.rowCount, params.maxRows), ...layout.warnings]);
    } catch (error) {
      if (error instanceof CsvError) throw new NodeInputError(error.message);
      throw error;
    }
  },
});

/** At most `maxRows` rows of the table, picked at random (0: all of them), and a note saying so. */
export function sampleOf(frame: Frame, maxRows: number): { frame: Frame; notes: string[] } {
  if (maxRows === 0 || maxRows >= frame.rowCount) return { frame, notes: [] };
  return { frame: takeRows(frame, sampleRows(frame.rowCount, maxRows, SAMPLE_SEED)), notes: [sampleNote(frame.rowCount, maxRows)] };
}

const sampleNote = (rowCount: number, maxRows: number) =>
  `Using a random sample of ${formatCount(maxRows)} of the ${formatCount(rowCount)} rows, the same rows every run ("Use at most" is ${formatCount(maxRows)}; 0 uses every row).`;
