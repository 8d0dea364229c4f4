import fs from 'node:fs';
import { syntheticRows } from './synthetic-table';

/**
 * The seeded synthetic table of the large-table benchmarks (bench-scale.ts, bench-csv-store.ts) as a CSV:
 * the rows of synthetic-table.ts and their yes/no label, written in chunks. Answers the file's size in bytes.
 */
export function writeTable(file: string, rows: number, cols: number, seed: number): number {
  const fd = fs.openSync(file, 'w');
  const header = [...Array.from({ length: cols }, (_, c) => `x${c + 1}`), 'label'].join(',');
  let chunk = `${header}\n`;
  const values = new Array<string>(cols + 1);
  const generator = syntheticRows(cols, seed);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const positive = generator(row);
    for (let c = 0; c < cols; c++) values[c] = String(row[c]);
    values[cols] = positive ? 'yes' : 'no';
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
