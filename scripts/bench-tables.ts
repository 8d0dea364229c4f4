import fs from 'node:fs';
import { seededRandom } from '../models/split';

/**
 * The seeded synthetic table of the large-table benchmarks (bench-scale.ts, bench-csv-store.ts): rows of
 * normal-ish numbers (3 decimals) and a yes/no label that depends on a few of them, written in chunks.
 * Answers the file's size in bytes.
 */
export function writeTable(file: string, rows: number, cols: number, seed: number): number {
  const random = seededRandom(seed);
  const normal = () => (random() + random() + random() + random() - 2) * 1.7;
  const weights = Array.from({ length: cols }, (_, c) => (c < 8 ? normal() : 0));
  const fd = fs.openSync(file, 'w');
  const header = [...Array.from({ length: cols }, (_, c) => `x${c + 1}`), 'label'].join(',');
  let chunk = `${header}\n`;
  const values = new Array<string>(cols + 1);
  for (let r = 0; r < rows; r++) {
    let score = 0;
    for (let c = 0; c < cols; c++) {
      const value = Math.round(normal() * 1000) / 1000;
      score += weights[c] * value;
      values[c] = String(value);
    }
    values[cols] = score + normal() > 0 ? 'yes' : 'no';
    chunk += `${values.join(',')}\n`;
    if (chunk.length > 4 * 1024 * 1024) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}
