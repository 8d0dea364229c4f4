import fs from 'node:fs';
import { z } from 'zod';
import { defineNode, NodeInputError } from './define';
import { CsvError, readCsv } from './lib/csv';
import { storedFileParam, targetParam } from './lib/params';
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
    dataset: storedFileParam('File', 'Upload a CSV file. Pipelab keeps a copy, so the pipeline still runs if the original moves.', 'dataset'),
    target: targetParam('The column the model learns to predict, e.g. "responded".'),
  }),
  async run({ params, ctx }) {
    if (!params.dataset) throw new NodeInputError('No file chosen yet: upload a CSV file in this node.');
    const bytes = fs.readFileSync(ctx.datasets.pathOf(params.dataset));
    try {
      const { frame, warnings } = readCsv(bytes, 'the uploaded file');
      return tableResult(tableFromFrame(frame, params.target, 'uploaded file'), warnings);
    } catch (error) {
      if (error instanceof CsvError) throw new NodeInputError(error.message);
      throw error;
    }
  },
});
