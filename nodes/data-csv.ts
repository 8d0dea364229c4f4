import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { readStoredTable } from './lib/columns-file';
import { CsvError } from './lib/csv';
import { storedFileParam, targetParam } from './lib/params';
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
      // Parsed once, when the file was uploaded; runs read the kept columns.
      const { frame, warnings } = await readStoredTable(ctx.datasets.pathOf(params.dataset), 'the uploaded file');
      const sample = sampleOf(frame, params.maxRows);
      return tableResult(tableFromFrame(sample.frame, params.target, 'uploaded file'), [...sample.notes, ...warnings]);
    } catch (error) {
      if (error instanceof CsvError) throw new NodeInputError(error.message);
      throw error;
    }
  },
});

/** At most `maxRows` rows of the table, picked at random (0: all of them), and a note saying so. */
export function sampleOf(frame: Frame, maxRows: number): { frame: Frame; notes: string[] } {
  if (maxRows === 0 || maxRows >= frame.rowCount) return { frame, notes: [] };
  const note = `Using a random sample of ${formatCount(maxRows)} of the ${formatCount(frame.rowCount)} rows, the same rows every run ("Use at most" is ${formatCount(maxRows)}; 0 uses every row).`;
  return { frame: takeRows(frame, sampleRows(frame.rowCount, maxRows, SAMPLE_SEED)), notes: [note] };
}
