import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineNode } from './define';
import { readCsv } from './lib/csv';
import { targetParam } from './lib/params';
import { samplesDir } from './lib/paths';
import { tableFromFrame, tableResult } from './lib/table';

export const SAMPLES = {
  'bank-marketing': {
    file: 'bank-marketing.csv',
    title: 'Bank marketing (45,211 clients; did they subscribe?)',
    target: 'y',
  },
  advertising: {
    file: 'advertising.csv',
    title: 'Advertising (200 markets; TV, radio, newspaper spend and sales)',
    target: 'Sales',
  },
} as const;

export type SampleId = keyof typeof SAMPLES;
const sampleIds = Object.keys(SAMPLES) as [SampleId, ...SampleId[]];

export const dataSample = defineNode({
  type: 'data.sample',
  version: 1,
  title: 'Sample data',
  category: 'Data',
  help: 'Starts the pipeline with one of the built-in sample tables, ready to explore.',
  inputs: [],
  outputs: [{ name: 'table', type: 'table', label: 'Table' }],
  params: z.object({
    sample: z
      .enum(sampleIds)
      .default('bank-marketing')
      .meta({
        title: 'Sample',
        description: 'Which built-in table to load.',
        enumLabels: sampleIds.map((id) => SAMPLES[id].title),
      }),
    target: targetParam("The column the model learns to predict. Leave empty to use the sample's usual one."),
  }),
  async run({ params }) {
    const sample = SAMPLES[params.sample];
    const bytes = fs.readFileSync(/* turbopackIgnore: true */ path.join(samplesDir(), sample.file));
    const { frame, warnings } = readCsv(bytes, sample.file);
    return tableResult(tableFromFrame(frame, params.target || sample.target, sample.file), warnings);
  },
});
