import { describe, expect, it } from 'vitest';
import { columnsMatrix } from '../frame';
import { DecisionTree } from './decision-tree';
import { buildSortedTable, type SortedTable } from './tree-table';
import { MAX_LEVELS, valueAt } from './tree-sort';

// Past 65,536 rows the row numbers need their high byte, and a column may have more distinct values than 16-bit codes hold.
const ROWS = 70_000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A continuous column (every row its own value), one of 1,001 rounded values, and one mostly 0. */
function mixedColumns(): Float64Array[] {
  const random = seeded(11);
  const continuous = Float64Array.from({ length: ROWS }, () => random() * 20 - 10);
  const rounded = Float64Array.from({ length: ROWS }, () => Math.round(random() * 1000) / 100 - 5);
  const sparse = Float64Array.from({ length: ROWS }, () => (random() < 0.75 ? 0 : Math.round(random() * 5000) / 10));
  return [continuous, rounded, sparse];
}

/** Feature j's listed rows and their values, as the split search reads them. */
function listed(table: SortedTable, j: number): { rows: number[]; values: number[] } {
  const { low, high } = table.orders[j];
  const rows = Array.from(low, (_, p) => low[p] | (high[p] << 16));
  const values = rows.map((_, p) => valueAt(table.values[j], table.levels[j], p));
  return { rows, values };
}

describe('the sorted table a decision tree trains on', () => {
  const columns = mixedColumns();
  const table = buildSortedTable(columnsMatrix(columns, ROWS), ['continuous', 'rounded', 'sparse']);

  it('keeps few distinct values as 16-bit codes, and more than 16 bits of them as float32', () => {
    expect(new Set(columns[0]).size).toBeGreaterThan(MAX_LEVELS);
    expect(table.values[0]).toBeInstanceOf(Float32Array);
    expect(table.levels[0]).toBeNull();
    for (const j of [1, 2]) {
      expect(table.values[j]).toBeInstanceOf(Uint16Array);
      const levels = [...table.levels[j]!];
      expect(levels).toEqual([...new Set(levels)].sort((a, b) => a - b));
    }
    // Every distinct value but the mode, whose rows are not listed.
    expect(table.levels[1]!.length).toBe(new Set(Array.from(columns[1], Math.fround)).size - 1);
  });

  it('lists every row but the mode\'s, in value order with ties by row, with its float32 value', () => {
    columns.forEach((column, j) => {
      const rounded = Array.from(column, (value) => Math.fround(value) + 0);
      const mode = table.modes[j];
      const expected = rounded
        .map((value, row) => ({ value, row }))
        .filter(({ value }) => value !== mode)
        .sort((a, b) => a.value - b.value || a.row - b.row);
      const { rows, values } = listed(table, j);
      expect(rows).toEqual(expected.map((entry) => entry.row));
      expect(values).toEqual(expected.map((entry) => entry.value));
    });
    expect(table.modes[2]).toBe(0);
    expect(Math.max(...listed(table, 0).rows)).toBe(ROWS - 1);
  });

  it('splits on float32 values and on codes alike: the best first question, found by trying every threshold', () => {
    const random = seeded(5);
    // A label that follows the continuous column, then one that follows the rounded one.
    for (const [j, name] of [[0, 'continuous'], [1, 'rounded']] as const) {
      const y = Int32Array.from({ length: ROWS }, (_, i) => (columns[j][i] + random() * 4 - 2.3 > 0 ? 1 : 0));
      const stump = new DecisionTree({ task: 'classification', maxDepth: 1 }).fit(columnsMatrix(columns, ROWS), y, { featureNames: ['continuous', 'rounded', 'sparse'] });
      const best = bestGiniSplit(columns, y);
      expect(stump.nodes[0].featureName).toBe(name);
      expect(stump.nodes[0].feature).toBe(best.feature);
      expect(stump.nodes[0].threshold).toBe(best.threshold);
    }
  });
});

/** The first question with the lowest weighted gini over every float32 threshold, by brute force (features in order). */
function bestGiniSplit(columns: Float64Array[], y: Int32Array): { feature: number; threshold: number } {
  let best = { feature: -1, threshold: 0, impurity: Infinity };
  const positives = y.reduce((sum, label) => sum + label, 0);
  columns.forEach((column, feature) => {
    const order = Array.from(column, (value, row) => ({ value: Math.fround(value) + 0, label: y[row] })).sort((a, b) => a.value - b.value);
    let [count, ones] = [0, 0];
    for (let p = 0; p < order.length - 1; p++) {
      count++;
      ones += order[p].label;
      if (order[p + 1].value === order[p].value) continue;
      const gini = (n: number, k: number) => n * (1 - (k / n) ** 2 - ((n - k) / n) ** 2);
      const impurity = gini(count, ones) + gini(order.length - count, positives - ones);
      if (impurity < best.impurity - 1e-9) best = { feature, threshold: order[p].value / 2 + order[p + 1].value / 2, impurity };
    }
  });
  return best;
}
