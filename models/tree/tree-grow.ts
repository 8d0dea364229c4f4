import { findBestSplit, partitionRows, partitionSlices, rootRows, SplitWorkspace, type NodeRows } from './tree-split';
import { FeatureSampler } from './tree-sampler';
import { emptyStats, impurityOf, nodeStats, type NodeStats, type SortedTable, type TreeTarget } from './tree-table';

/**
 * Grows a CART tree the way scikit-learn's DepthFirstTreeBuilder does: nodes are numbered in
 * depth-first order, left before right, and a node stays a leaf when it is at the depth limit,
 * too small to split, pure, or has no split that helps.
 */

/** scikit-learn treats a node whose impurity is within rounding of zero as pure. */
const PURE_IMPURITY = Number.EPSILON;

export interface GrowthSettings {
  /** null for unlimited. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  randomState: number;
}

/** The fitted tree as parallel arrays, nodes numbered depth-first with left before right like scikit-learn. */
export interface GrownTree {
  depth: number[];
  samples: number[];
  weight: number[];
  impurity: number[];
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  values: number[][];
}

interface PendingNode {
  rows: NodeRows;
  stats: NodeStats;
  depth: number;
  parent: number;
  isLeft: boolean;
  /** Computed from the node's totals when it is created. */
  impurity: number;
  /** How many features are known to be constant in this node (see FeatureSampler). */
  knownConstants: number;
}

interface GrowthLimits {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
}

/** Depth-first like scikit-learn's builder, so node ids come out in the same order. */
export function growTree(table: SortedTable, target: TreeTarget, params: GrowthSettings): GrownTree {
  const tree: GrownTree = { depth: [], samples: [], weight: [], impurity: [], feature: [], threshold: [], left: [], right: [], values: [] };
  const limits: GrowthLimits = {
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit: Math.max(params.minSamplesSplit, 2 * params.minSamplesLeaf),
    minSamplesLeaf: params.minSamplesLeaf,
  };
  const workspace = new SplitWorkspace(table.rows, target.width);
  const sampler = new FeatureSampler(table.cols, params.randomState);
  const rootStats = nodeStats(workspace.rows, target, 0, table.rows, emptyStats(target.width));
  const rootImpurity = impurityOf(rootStats, target.criterion);
  const stack: PendingNode[] = [
    { rows: rootRows(table), stats: rootStats, depth: 0, parent: -1, isLeft: false, impurity: rootImpurity, knownConstants: 0 },
  ];
  const context: GrowthContext = { table, target, limits, workspace, sampler, rootWeight: rootStats.weight };
  while (stack.length > 0) {
    const pending = stack.pop()!;
    const id = addNode(tree, pending);
    if (!mayGrow(pending.depth, pending.stats.samples, pending.impurity, limits)) continue;
    const children = splitNode(context, pending, id);
    if (!children) continue;
    tree.feature[id] = children.split.feature;
    tree.threshold[id] = children.split.threshold;
    stack.push(children.right, children.left);
  }
  return tree;
}

function mayGrow(depth: number, samples: number, impurity: number, limits: GrowthLimits): boolean {
  return depth < limits.maxDepth && samples >= limits.minSamplesSplit && impurity > PURE_IMPURITY;
}

interface GrowthContext {
  table: SortedTable;
  target: TreeTarget;
  limits: GrowthLimits;
  workspace: SplitWorkspace;
  sampler: FeatureSampler;
  rootWeight: number;
}

/** Finds and applies the node's best split; null when it has to stay a leaf. */
function splitNode(context: GrowthContext, node: PendingNode, id: number) {
  const { table, target, limits, workspace, sampler, rootWeight } = context;
  const { stats, impurity, depth } = node;
  const search = findBestSplit(table, target, node.rows, node.knownConstants, stats, limits.minSamplesLeaf, workspace, sampler);
  const { split, constantCount } = search;
  if (!split) return null;
  const [leftRows, rightRows] = partitionRows(table, node.rows, split, workspace);
  const leftStats = nodeStats(workspace.rows, target, leftRows.start, leftRows.end, emptyStats(target.width));
  const rightStats = nodeStats(workspace.rows, target, rightRows.start, rightRows.end, emptyStats(target.width));
  // Each child's impurity comes from its own totals (scikit-learn subtracts the left child's from the
  // parent's): identical for unweighted counts, and otherwise a pure child gets exactly 0, never a
  // rounding residue that would let it split further.
  const leftImpurity = impurityOf(leftStats, target.criterion);
  const rightImpurity = impurityOf(rightStats, target.criterion);
  // scikit-learn's weighted impurity decrease; a split that makes things worse (by more than rounding) is refused.
  const share = (childStats: NodeStats) => childStats.weight / stats.weight;
  const improvement = (stats.weight / rootWeight) * (impurity - share(rightStats) * rightImpurity - share(leftStats) * leftImpurity);
  if (improvement + PURE_IMPURITY < 0) return null;
  if (mayGrow(depth + 1, leftStats.samples, leftImpurity, limits) || mayGrow(depth + 1, rightStats.samples, rightImpurity, limits)) {
    partitionSlices(table, node.rows, [leftRows, rightRows], sampler.features.subarray(constantCount), workspace);
  }
  const child = { depth: depth + 1, parent: id, knownConstants: constantCount };
  return {
    split,
    left: { ...child, rows: leftRows, stats: leftStats, isLeft: true, impurity: leftImpurity },
    right: { ...child, rows: rightRows, stats: rightStats, isLeft: false, impurity: rightImpurity },
  };
}

function addNode(tree: GrownTree, pending: PendingNode): number {
  const id = tree.depth.length;
  const { stats } = pending;
  tree.depth.push(pending.depth);
  tree.samples.push(stats.samples);
  tree.weight.push(stats.weight);
  tree.impurity.push(pending.impurity);
  tree.feature.push(-1);
  tree.threshold.push(Number.NaN);
  tree.left.push(-1);
  tree.right.push(-1);
  tree.values.push(Array.from(stats.sums));
  if (pending.parent >= 0) (pending.isLeft ? tree.left : tree.right)[pending.parent] = id;
  return id;
}

/** Weighted impurity decrease per feature, summed over splits and normalised as scikit-learn does. */
export function featureImportances(tree: GrownTree, featureCount: number): number[] {
  const importances = new Array<number>(featureCount).fill(0);
  tree.feature.forEach((feature, node) => {
    if (feature < 0) return;
    const [l, r] = [tree.left[node], tree.right[node]];
    importances[feature] +=
      tree.weight[node] * tree.impurity[node] - tree.weight[l] * tree.impurity[l] - tree.weight[r] * tree.impurity[r];
  });
  const rootWeight = tree.weight[0];
  for (let j = 0; j < featureCount; j++) importances[j] /= rootWeight;
  const total = importances.reduce((sum, value) => sum + value, 0);
  return total > 0 ? importances.map((value) => value / total) : importances;
}
