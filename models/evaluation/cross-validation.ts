import { groupRows, seededRandom, shuffled } from '../split';

/**
 * K-fold cross-validation indices. With `stratify`, folds are built like scikit-learn's
 * StratifiedKFold(shuffle=True): the labels, sorted, are dealt round-robin to the folds to decide
 * how many rows of each class every fold tests, then each class's rows are shuffled into those
 * slots. Every fold then keeps the class shares, and fold sizes differ by at most one row.
 */

export interface KFoldOptions {
  folds: number;
  seed: number;
  /** One label per row; when given, each fold keeps every class's share. */
  stratify?: (string | null)[];
}

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

export function kFoldIndices(rowCount: number, options: KFoldOptions): Fold[] {
  const { folds, seed, stratify } = options;
  if (!Number.isInteger(folds) || folds < 2) {
    throw new Error(`Cross-validation needs a whole number of at least 2 folds (got ${folds}).`);
  }
  if (folds > rowCount) {
    throw new Error(`${folds} folds need at least ${folds} rows; the table has ${rowCount}.`);
  }
  if (stratify && stratify.length !== rowCount) {
    throw new Error(`Got ${stratify.length} labels to stratify by for ${rowCount} rows.`);
  }
  const random = seededRandom(seed);
  const foldOfRow = stratify ? stratifiedAssignment(stratify, folds, random) : plainAssignment(rowCount, folds, random);
  return Array.from({ length: folds }, (_, fold) => partition(foldOfRow, fold));
}

/** Mean and population standard deviation (numpy's default, ddof = 0), e.g. of fold scores. */
export function meanAndStd(values: number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Like scikit-learn's KFold(shuffle=True): the first rowCount % folds folds get one extra row. */
function plainAssignment(rowCount: number, folds: number, random: () => number): Int32Array {
  const order = shuffled(Array.from({ length: rowCount }, (_, i) => i), random);
  const foldOfRow = new Int32Array(rowCount);
  const base = Math.floor(rowCount / folds);
  const extra = rowCount % folds;
  let position = 0;
  for (let fold = 0; fold < folds; fold++) {
    const size = base + (fold < extra ? 1 : 0);
    for (let i = 0; i < size; i++) foldOfRow[order[position++]] = fold;
  }
  return foldOfRow;
}

function stratifiedAssignment(labels: (string | null)[], folds: number, random: () => number): Int32Array {
  const groups = groupRows(labels);
  for (const { label, rows } of groups) {
    if (rows.length < folds) {
      const rowWord = rows.length === 1 ? 'row' : 'rows';
      throw new Error(
        `class "${label}" has only ${rows.length} ${rowWord}, fewer than the ${folds} folds; ` +
          'use fewer folds or add rows of that class.',
      );
    }
  }
  // Deal the sorted labels round-robin: fold f tests the classes of positions f, f + folds, …
  const slots = groups.map(() => new Array<number>(folds).fill(0));
  let position = 0;
  groups.forEach(({ rows }, g) => {
    for (let i = 0; i < rows.length; i++, position++) slots[g][position % folds]++;
  });
  const foldOfRow = new Int32Array(labels.length);
  groups.forEach(({ rows }, g) => {
    const foldsForClass = slots[g].flatMap((count, fold) => new Array<number>(count).fill(fold));
    shuffled(foldsForClass, random).forEach((fold, i) => (foldOfRow[rows[i]] = fold));
  });
  return foldOfRow;
}

function partition(foldOfRow: Int32Array, fold: number): Fold {
  let testCount = 0;
  for (const f of foldOfRow) if (f === fold) testCount++;
  const test = new Int32Array(testCount);
  const train = new Int32Array(foldOfRow.length - testCount);
  let t = 0;
  let r = 0;
  for (let row = 0; row < foldOfRow.length; row++) {
    if (foldOfRow[row] === fold) test[t++] = row;
    else train[r++] = row;
  }
  return { train, test };
}
