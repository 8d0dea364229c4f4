import fs from 'node:fs';
import { syntheticRows } from './synthetic-table';

/**
 * The seeded synthetic table of the large-table benchmarks (bench-scale.ts, bench-csv-store.ts) as a CSV:
 * the rows of synthetic-table.ts and their yes/no label, written in chunks. Answers the file's size in bytes.
 */
export function writeTable(file: string, rows: number, cols: number, seed: number): number {
  const header = [...Array.from({ length: cols }, (_, c) => `x${c + 1}`), 'label'];
  const values = new Array<string>(cols + 1);
  const generator = syntheticRows(cols, seed);
  const row = new Float64Array(cols);
  return writeLines(file, header, rows, () => {
    const positive = generator(row);
    for (let c = 0; c < cols; c++) values[c] = String(row[c]);
    values[cols] = positive ? 'yes' : 'no';
    return values;
  });
}

/** Writes a header and `rows` lines of comma-separated fields (made by `nextRow`) 4 MB at a time; answers the file's size. */
export function writeLines(file: string, header: string[], rows: number, nextRow: () => string[]): number {
  const fd = fs.openSync(file, 'w');
  let chunk = `${header.join(',')}\n`;
  for (let r = 0; r < rows; r++) {
    chunk += `${nextRow().join(',')}\n`;
    if (chunk.length > 4 * 1024 * 1024) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

/**
 * The large-table pipeline of these benchmarks as a graph document: CSV (`dataset`, target `label`) → split →
 * logistic regression + decision tree → Evaluate.
 */
export function scalePipeline(dataset: string) {
  const node = (id: string, type: string, params: Record<string, unknown>, x: number) => ({ id, type, version: 1, params, position: { x, y: 60 } });
  const edge = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({
    id: `${source}.${sourceHandle}-${target}.${targetHandle}`,
    source,
    sourceHandle,
    target,
    targetHandle,
  });
  return {
    schemaVersion: 1,
    nodes: [
      node('data', 'data.csv', { dataset, target: 'label' }, 40),
      node('split', 'prep.split', { testFraction: 0.2, seed: 42, stratify: true }, 290),
      node('logistic', 'model.logisticRegression', { l2: 1 }, 540),
      node('tree', 'model.decisionTree', { maxDepth: 6, minSamplesLeaf: 20 }, 540),
      node('evaluate', 'eval.evaluate', {}, 790),
    ],
    edges: [
      edge('data', 'table', 'split', 'table'),
      edge('split', 'split', 'logistic', 'data'),
      edge('split', 'split', 'tree', 'data'),
      edge('logistic', 'model', 'evaluate', 'model'),
      edge('tree', 'model', 'evaluate', 'model'),
      edge('split', 'split', 'evaluate', 'data'),
    ],
  };
}
