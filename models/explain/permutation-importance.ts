import type { Matrix } from '../frame';
import { seededRandom } from '../split';
import type { ColumnGroup } from './column-groups';

export interface PermutationImportanceOptions {
  /** Times each column is shuffled (scikit-learn's n_repeats). */
  repeats: number;
  seed: number;
  /**
   * Row orders to use instead of drawing them: permutations[g][r] for group g, repeat r. Lets a test feed
   * scikit-learn the very same shuffles, since its NumPy generator cannot be reproduced here.
   */
  permutations?: ArrayLike<number>[][];
}

export interface ColumnImportance {
  column: string;
  /** Mean score drop over the repeats; larger means the model leans on the column more. */
  mean: number;
  /** Population standard deviation of the drops (NumPy's default, as scikit-learn reports it). */
  std: number;
  drops: number[];
}

/**
 * scikit-learn's permutation_importance: the score on the rows as they are, minus the score once one
 * column's values are shuffled between rows, repeated and averaged. A group of features (the one-hot
 * columns of one text column) is shuffled with one row order, as the original column would be.
 * `score` must be "higher is better" (use minus an error).
 */
export function permutationImportance(
  X: Matrix,
  groups: readonly ColumnGroup[],
  score: (X: Matrix) => number,
  options: PermutationImportanceOptions,
): { baseline: number; importances: ColumnImportance[] } {
  if (!Number.isInteger(options.repeats) || options.repeats < 1) throw new Error(`Repeats must be a whole number of at least 1 (got ${options.repeats}).`);
  const baseline = score(X);
  const random = seededRandom(options.seed);
  const work: Matrix = { data: Float64Array.from(X.data), rows: X.rows, cols: X.cols };
  const importances = groups.map((group, g) => {
    const drops: number[] = [];
    for (let r = 0; r < options.repeats; r++) {
      const order = options.permutations?.[g]?.[r] ?? shuffledRows(X.rows, random);
      if (order.length !== X.rows) throw new Error(`Permutation ${r + 1} of "${group.column}" has ${order.length} rows, not ${X.rows}.`);
      reorderColumns(X, work, group.features, order);
      drops.push(baseline - score(work));
    }
    reorderColumns(X, work, group.features, null);
    const mean = drops.reduce((sum, d) => sum + d, 0) / drops.length;
    const std = Math.sqrt(drops.reduce((sum, d) => sum + (d - mean) ** 2, 0) / drops.length);
    return { column: group.column, mean, std, drops };
  });
  return { baseline, importances };
}

/** Row i of the chosen columns takes row order[i]'s values (as NumPy's X[:, col] = X[order, col]); null restores them. */
function reorderColumns(source: Matrix, target: Matrix, columns: readonly number[], order: ArrayLike<number> | null): void {
  const { cols } = source;
  for (const j of columns) {
    for (let i = 0; i < source.rows; i++) target.data[i * cols + j] = source.data[(order ? order[i] : i) * cols + j];
  }
}

function shuffledRows(count: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
