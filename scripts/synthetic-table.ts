import { seededRandom } from '../models/split';

/**
 * The seeded synthetic table of the scale benchmarks: normal-ish numbers rounded to 3 decimals and
 * a yes/no label that depends on the first 8 columns plus noise. Each call of the returned function
 * fills `row` with the next row's values and answers its label (true = "yes"), so the CSV writer of
 * bench-scale.ts and the in-memory fits of bench-logistic-scale.ts see the same numbers.
 */
export function syntheticRows(cols: number, seed: number): (row: Float64Array) => boolean {
  const random = seededRandom(seed);
  const normal = () => (random() + random() + random() + random() - 2) * 1.7;
  const weights = Array.from({ length: cols }, (_, c) => (c < 8 ? normal() : 0));
  return (row) => {
    let score = 0;
    for (let c = 0; c < cols; c++) {
      const value = Math.round(normal() * 1000) / 1000;
      score += weights[c] * value;
      row[c] = value;
    }
    return score + normal() > 0;
  };
}
