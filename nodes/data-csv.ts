import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { CsvError } from './lib/csv';
import { readStoredTable } from './lib/columns-file';
import { tableFromFrame, tableResult } from './lib/table';

export const dataCsv = defineNode({
  type: 'data.csv',
  version: 1,
  title: 'CSV file',
  category: 'Data',
  help: 'Starts the pipeline with a table you upload as a CSV file (from Excel, a CRM export, ...). The separator and header are detected for you.',
  inputs: [],
  outputs: [{ name: 'table', type: 'table', label: 'Table' }],
  params: z.object({
    dataset: z.string().default('').meta({
      title: 'File',
      description: 'Upload a CSV file. Pipelab keeps a copy, so the pipeline still runs if the original moves.',
      widget: 'dataset',
    }),
    target: z.string().default('').meta({
      title: 'Column to predict',
      description: 'The column the model learns to predict, e.g. "responded".',
      widget: 'column',
    }),
  }),
  async run({ params, ctx }) {
    if (!params.dataset) throw new NodeInputError('No file chosen yet: upload a CSV file in this node.');
    try {
      // Parsed once, when the file was uploaded; runs read the kept columns.
      const { frame, warnings } = readStoredTable(ctx.datasets.pathOf(params.dataset), 'the uploaded file');
      return tableResult(tableFromFrame(frame, params.target, 'uploaded file'), warnings);
    } catch (error) {
      if (error instanceof CsvError) throw new NodeInputError(error.message);
      throw error;
    }
  },
});
