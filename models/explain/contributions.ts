import type { Matrix } from '../frame';
import type { TreeNodeJSON } from '../tree/decision-tree';
import { groupOfFeature, type ColumnGroup } from './column-groups';

/**
 * What one row's answer owes to each original column: prediction = base + Σ contributions. The scale
 * is the model's own: the value for a regression, the log-odds for a logistic regression, the
 * probability of the class for a tree or a sampled estimate.
 */
export interface RowContributions {
  base: number;
  prediction: number;
  /** One per column group, in the groups' order. */
  contributions: number[];
}

/**
 * Exact contributions of a linear score w·x + b: coef × (x − training mean) per feature, summed per
 * original column; the base is the score of the average training row. For independent features these
 * are the Shapley values (SHAP's LinearExplainer).
 */
export function linearContributions(
  coefficients: ArrayLike<number>,
  intercept: number,
  means: ArrayLike<number>,
  x: ArrayLike<number>,
  groups: readonly ColumnGroup[],
): RowContributions {
  let base = intercept;
  for (let j = 0; j < coefficients.length; j++) base += coefficients[j] * means[j];
  const contributions = groups.map((group) => group.features.reduce((sum, j) => sum + coefficients[j] * (x[j] - means[j]), 0));
  return { base, prediction: base + contributions.reduce((a, b) => a + b, 0), contributions };
}

/** One decision on a row's path down a tree, with how much it moved the answer. */
export interface PathStep {
  feature: number;
  featureName: string;
  threshold: number;
  /** True when the row went to the "≤ threshold" side. */
  atMost: boolean;
  /** The answer at the node before and after the decision. */
  before: number;
  after: number;
}

/** The node's answer: the share of class `output` among its training rows, or its mean. */
function nodeOutput(node: TreeNodeJSON, output: number, task: 'classification' | 'regression'): number {
  if (task === 'regression') return node.value[0];
  const total = node.value.reduce((a, b) => a + b, 0);
  return total > 0 ? node.value[output] / total : 0;
}

/** The decisions along a row's path from the root to its leaf (inputs rounded to float32, as the tree predicts). */
export function treePath(nodes: readonly TreeNodeJSON[], x: ArrayLike<number>, output: number, task: 'classification' | 'regression'): { base: number; prediction: number; steps: PathStep[] } {
  const steps: PathStep[] = [];
  let node = nodes[0];
  const base = nodeOutput(node, output, task);
  while (node.feature !== undefined && node.threshold !== undefined && node.left !== undefined && node.right !== undefined) {
    const atMost = Math.fround(x[node.feature]) <= node.threshold;
    const next = nodes[atMost ? node.left : node.right];
    steps.push({ feature: node.feature, featureName: node.featureName ?? `x${node.feature}`, threshold: node.threshold, atMost, before: nodeOutput(node, output, task), after: nodeOutput(next, output, task) });
    node = next;
  }
  return { base, prediction: nodeOutput(node, output, task), steps };
}

/** Saabas contributions: each split's change of the answer, credited to the column it tested. */
export function treeContributions(nodes: readonly TreeNodeJSON[], x: ArrayLike<number>, output: number, task: 'classification' | 'regression', groups: readonly ColumnGroup[], featureCount: number): RowContributions {
  const { base, prediction, steps } = treePath(nodes, x, output, task);
  const owner = groupOfFeature(groups, featureCount);
  const contributions = new Array<number>(groups.length).fill(0);
  for (const step of steps) contributions[owner[step.feature]] += step.after - step.before;
  return { base, prediction, contributions };
}

export interface SampledShapleyOptions {
  /** Permutations drawn (rounded up to an even number: each is also walked backwards, which halves the noise on near-linear models). */
  samples: number;
  random: () => number;
}

/**
 * Monte-Carlo Shapley values (Štrumbelj & Kononenko's permutation sampling) of one row against a
 * background sample: for each drawn order of the columns, start from a background row and switch
 * the row's columns in one by one, crediting each with the change of the answer. Each chain ends at
 * the row itself, so the contributions add up exactly to prediction − base, where base is the mean
 * answer over the background rows drawn. Cost: samples × (columns + 1) predictions, in one batch.
 */
export function sampledShapley(
  predict: (X: Matrix) => Float64Array,
  x: ArrayLike<number>,
  background: Matrix,
  groups: readonly ColumnGroup[],
  options: SampledShapleyOptions,
): RowContributions {
  const { cols } = background;
  const G = groups.length;
  const pairs = Math.max(1, Math.ceil(options.samples / 2));
  const chains: number[][] = [];
  for (let p = 0; p < pairs; p++) {
    const order = shuffledOrder(G, options.random);
    chains.push(order, [...order].reverse());
  }
  const steps = G + 1;
  const batch: Matrix = { data: new Float64Array(chains.length * steps * cols), rows: chains.length * steps, cols };
  chains.forEach((order, c) => {
    const start = Math.floor(options.random() * background.rows);
    const row = background.data.slice(start * cols, (start + 1) * cols);
    batch.data.set(row, c * steps * cols);
    order.forEach((g, t) => {
      for (const j of groups[g].features) row[j] = x[j];
      batch.data.set(row, (c * steps + t + 1) * cols);
    });
  });
  const answers = predict(batch);
  const contributions = new Array<number>(G).fill(0);
  let base = 0;
  chains.forEach((order, c) => {
    base += answers[c * steps];
    order.forEach((g, t) => (contributions[g] += answers[c * steps + t + 1] - answers[c * steps + t]));
  });
  const n = chains.length;
  return { base: base / n, prediction: answers[steps - 1], contributions: contributions.map((value) => value / n) };
}

function shuffledOrder(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
