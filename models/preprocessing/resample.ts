import { seededRandom } from '../split';

/**
 * Rebalancing of imbalanced class targets, for training rows only (the test rows must keep the
 * real class mix, or the scores would flatter the model). Labels are class numbers; the results
 * are row indices into `labels`, sorted ascending, the same for the same seed.
 */

/**
 * Every row once, plus rows of the smaller classes drawn at random with replacement until each
 * class has as many rows as the largest (like imbalanced-learn's RandomOverSampler).
 */
export function randomOverSample(labels: Int32Array, seed: number): Int32Array {
  const groups = rowsByClass(labels);
  const target = Math.max(0, ...groups.map((rows) => rows.length));
  const random = seededRandom(seed);
  const chosen = Array.from(labels.keys());
  for (const rows of groups) {
    for (let extra = rows.length; extra < target; extra++) chosen.push(rows[Math.floor(random() * rows.length)]);
  }
  return Int32Array.from(chosen).sort();
}

/**
 * Rows of the larger classes drawn at random without replacement down to the smallest class's
 * count; the smallest class keeps all its rows (like imbalanced-learn's RandomUnderSampler).
 */
export function randomUnderSample(labels: Int32Array, seed: number): Int32Array {
  const groups = rowsByClass(labels);
  const target = Math.min(...groups.map((rows) => rows.length));
  const random = seededRandom(seed);
  const chosen: number[] = [];
  for (const rows of groups) {
    // A partial Fisher-Yates shuffle: the first `target` slots are a uniform sample.
    const pool = rows.slice();
    for (let i = 0; i < target; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
      chosen.push(pool[i]);
    }
  }
  return Int32Array.from(chosen).sort();
}

/**
 * scikit-learn's class_weight="balanced": n / (K · count_k), so every class carries the same total
 * weight. K counts the classes present; a class with no rows gets weight 0 (scikit-learn refuses
 * such a class), since there is nothing of it to weigh.
 */
export function balancedClassWeights(labels: Int32Array, nClasses: number): number[] {
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of labels) {
    if (!(label >= 0 && label < nClasses)) {
      throw new Error(`Class labels must be class numbers from 0 to ${nClasses - 1}; got ${label}.`);
    }
    counts[label]++;
  }
  const present = counts.filter((count) => count > 0).length;
  return counts.map((count) => (count > 0 ? labels.length / (present * count) : 0));
}

/** Row indices of each class present, classes in ascending label order. */
function rowsByClass(labels: Int32Array): number[][] {
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, row) => {
    const rows = byLabel.get(label);
    if (rows) rows.push(row);
    else byLabel.set(label, [row]);
  });
  return [...byLabel.keys()].sort((a, b) => a - b).map((label) => byLabel.get(label)!);
}
