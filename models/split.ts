/**
 * Deterministic train/test splitting. The same seed picks the same rows on every machine, so a
 * saved pipeline reproduces its scores.
 */

export interface SplitOptions {
  /** Share of rows for the test part, strictly between 0 and 1. */
  testFraction: number;
  seed: number;
  /** One label per row; when given, each label keeps its share in both parts. */
  stratify?: (string | null)[];
}

/** mulberry32: tiny, fast, and identical everywhere because it only uses 32-bit integer math. */
export function seededRandom(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainTestSplit(rowCount: number, options: SplitOptions): { train: Int32Array; test: Int32Array } {
  const { testFraction, seed, stratify } = options;
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new Error(`The share of test rows must be from 0 up to 1 (got ${testFraction}).`);
  }
  if (rowCount < 2) throw new Error(`A split needs at least 2 rows; the table has ${rowCount}.`);
  // No test rows: every row trains the model, which is then scored by cross-validation only.
  if (testFraction === 0) return partition(rowCount, []);
  if (stratify && stratify.length !== rowCount) {
    throw new Error(`Got ${stratify.length} labels to stratify by for ${rowCount} rows.`);
  }
  // Rounded up like scikit-learn; the epsilon keeps 0.7 * 10 = 7.000000000000001 from becoming 8.
  const testCount = clamp(Math.ceil(testFraction * rowCount - 1e-9), 1, rowCount - 1);
  const random = seededRandom(seed);
  const testRows = stratify
    ? stratifiedTestRows(stratify, testFraction, testCount, random)
    : shuffled(range(rowCount), random).slice(0, testCount);
  return partition(rowCount, testRows);
}

function stratifiedTestRows(
  labels: (string | null)[],
  testFraction: number,
  testCount: number,
  random: () => number,
): number[] {
  const groups = groupRows(labels);
  const quotas = groups.map(({ label, rows }) => {
    if (rows.length < 2) {
      throw new Error(
        `class "${label}" has only 1 row; it cannot be in both train and test. Add rows of that class or remove it.`,
      );
    }
    return clamp(Math.round(testFraction * rows.length), 1, rows.length - 1);
  });
  const sizes = groups.map((g) => g.rows.length);
  balanceQuotas(quotas, sizes.map((size) => size * testFraction), testCount, sizes);
  // Groups are visited in label order, so the draw does not depend on row order of first appearance.
  return groups.flatMap(({ rows }, i) => shuffled(rows, random).slice(0, quotas[i]));
}

/** Labels with their rows in row order, sorted by label; a missing label forms its own group. */
export function groupRows(labels: (string | null)[]): { label: string; rows: number[] }[] {
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, row) => {
    const key = label ?? '(missing)';
    const rows = byLabel.get(key);
    if (rows) rows.push(row);
    else byLabel.set(key, [row]);
  });
  return [...byLabel.keys()].sort().map((label) => ({ label, rows: byLabel.get(label)! }));
}

/**
 * Rounding each class separately can miss the overall test size by a few rows. Moves single rows
 * where the rounding was furthest off, never emptying a class's train or test part.
 */
function balanceQuotas(quotas: number[], exact: number[], total: number, sizes: number[]): void {
  let difference = total - quotas.reduce((sum, q) => sum + q, 0);
  while (difference !== 0) {
    const step = difference > 0 ? 1 : -1;
    let best = -1;
    for (let i = 0; i < quotas.length; i++) {
      const next = quotas[i] + step;
      if (next < 1 || next > sizes[i] - 1) continue;
      const shortfall = (exact[i] - quotas[i]) * step;
      if (best === -1 || shortfall > (exact[best] - quotas[best]) * step) best = i;
    }
    if (best === -1) return;
    quotas[best] += step;
    difference -= step;
  }
}

function partition(rowCount: number, testRows: number[]): { train: Int32Array; test: Int32Array } {
  const inTest = new Uint8Array(rowCount);
  for (const row of testRows) inTest[row] = 1;
  const test = new Int32Array(testRows.length);
  const train = new Int32Array(rowCount - testRows.length);
  let t = 0;
  let r = 0;
  for (let row = 0; row < rowCount; row++) {
    if (inTest[row]) test[t++] = row;
    else train[r++] = row;
  }
  return { train, test };
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(values: T[], random: () => number): T[] {
  const result = values.slice();
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * `size` of `rowCount` rows picked at random, in their original order: the same rows for the same seed
 * on every machine (a partial Fisher-Yates shuffle of the row numbers). All rows when size >= rowCount.
 */
export function sampleRows(rowCount: number, size: number, seed: number): Int32Array {
  const rows = Int32Array.from({ length: rowCount }, (_, i) => i);
  if (size >= rowCount) return rows;
  const random = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (rowCount - i));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows.subarray(0, size).sort();
}
