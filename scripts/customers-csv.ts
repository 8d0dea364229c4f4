import fs from 'node:fs';
import { seededRandom } from '../models/split';
import { writeLines } from './bench-tables';

/** Seeded synthetic customer lists for the scoring benchmarks: 20 numeric columns, a region and a plan. */
const NUMERIC = 20;
const REGIONS = ['north', 'south', 'east', 'west', 'centre'];
const PLANS = ['basic', 'plus', 'family', 'business', 'student', 'senior', 'trial', 'annual', 'monthly', 'promo', 'legacy', 'partner'];

/** Writes N seeded rows; with a label ("bought") for training, without one for the list to score. */
export function writeCustomers(file: string, rows: number, seed: number, withLabel: boolean): number {
  const random = seededRandom(seed);
  const normal = () => (random() + random() + random() + random() - 2) * 1.7;
  const weights = Array.from({ length: NUMERIC }, (_, c) => (c < 6 ? 1 - c * 0.3 : 0));
  const header = [...Array.from({ length: NUMERIC }, (_, c) => `x${c + 1}`), 'region', 'plan', ...(withLabel ? ['bought'] : [])];
  return writeLines(file, header, rows, () => {
    const values: string[] = [];
    let score = 0;
    for (let c = 0; c < NUMERIC; c++) {
      const value = Math.round(normal() * 1000) / 1000;
      score += weights[c] * value;
      values.push(String(value));
    }
    const region = Math.floor(random() * REGIONS.length);
    const plan = Math.floor(random() * PLANS.length);
    values.push(REGIONS[region], PLANS[plan]);
    if (withLabel) values.push(score + (region === 0 ? 1 : 0) + normal() > 0.5 ? 'yes' : 'no');
    return values;
  });
}


/** Trains logistic regression on a customer list in this process, as a run would, and writes its model file (what "Download model" gives). */
export async function trainModelFile(trainCsv: string, modelFile: string): Promise<void> {
  const { useTempDataDir, graph, run } = await import('../nodes/test-harness');
  const { storeDataset, storedArtifacts } = await import('../server/datasets');
  const db = await useTempDataDir();
  const dataset = await storeDataset(db, 'train.csv', fs.readFileSync(trainCsv));
  const outcome = await run(
    graph(
      {
        data: ['data.csv', { dataset: dataset.hash, target: 'bought' }],
        encode: ['prep.oneHot'],
        split: ['prep.split', { testFraction: 0.2, seed: 42 }],
        model: ['model.logisticRegression'],
      },
      ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data'],
    ),
  );
  if (outcome.status !== 'succeeded') throw new Error(`training failed: ${outcome.error}`);
  const download = (outcome.results.get('model')!.preview as { download: { hash: string } }).download;
  fs.writeFileSync(modelFile, storedArtifacts.read(download.hash));
}
