import type { Matrix } from './frame';
import {
  buildSortedTable,
  emptyStats,
  findBestSplit,
  impurityOf,
  nodeStats,
  partitionRows,
  partitionSlices,
  rootRows,
  SplitWorkspace,
  subtractStats,
  type NodeRows,
  type NodeStats,
  type SortedTable,
  type TreeTarget,
} from './tree-split';

export interface DecisionTreeParams {
  task: 'classification' | 'regression';
  /** gini or entropy for classification, squared_error for regression. */
  criterion: 'gini' | 'entropy' | 'squared_error';
  /** Deepest level a node may sit at (root = 0); null grows until leaves are pure. */
  maxDepth: number | null;
  /** Fewest training rows a leaf may hold. */
  minSamplesLeaf: number;
  /** Fewest training rows a node needs before it may be split. */
  minSamplesSplit: number;
  /** 'balanced' weighs each row by n / (K · rows in its class), like scikit-learn. Classification only. */
  classWeight: 'none' | 'balanced';
}

/** One node of a fitted tree, as plain JSON. */
export interface TreeNodeJSON {
  id: number;
  depth: number;
  /** Training rows reaching the node. */
  samples: number;
  /** Classification: weighted count per class. Regression: [mean]. */
  value: number[];
  impurity: number;
  /** Split: rows with x[feature] ≤ threshold go left. Absent on leaves. */
  feature?: number;
  featureName?: string;
  threshold?: number;
  left?: number;
  right?: number;
}

export interface DecisionTreeJSON {
  kind: 'decisionTree';
  params: DecisionTreeParams;
  featureNames: string[];
  /** Number of classes (0 for regression). */
  nClasses: number;
  nodes: TreeNodeJSON[];
  featureImportances: number[];
}

/** scikit-learn treats a node whose impurity is within rounding of zero as pure. */
const PURE_IMPURITY = Number.EPSILON;

/** Flat arrays for fast prediction; feature −1 marks a leaf. */
interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** `width` numbers per node: class fractions, or the mean. */
  output: Float64Array;
  width: number;
}

interface FittedState {
  featureNames: string[];
  nClasses: number;
  nodes: TreeNodeJSON[];
  featureImportances: number[];
  compiled: CompiledTree;
}

/**
 * CART decision tree with the same algorithm as scikit-learn's DecisionTreeClassifier and
 * DecisionTreeRegressor (splitter='best', all features): for data without tied candidate
 * splits it grows the identical tree. Like scikit-learn, features are rounded to float32 before
 * fitting and predicting.
 */
export class DecisionTree {
  readonly params: DecisionTreeParams;
  private state: FittedState | null = null;

  constructor(params: Partial<DecisionTreeParams> & { task: DecisionTreeParams['task'] }) {
    this.params = resolveParams(params);
  }

  fit(X: Matrix, y: Int32Array | Float64Array, featureNames: string[], nClasses?: number): this {
    const { params } = this;
    if (X.rows < 2) throw new Error(`A decision tree needs at least 2 rows to train on (got ${X.rows}).`);
    if (X.rows !== y.length) throw new Error(`Feature rows (${X.rows}) and target values (${y.length}) differ in count.`);
    if (featureNames.length !== X.cols) {
      throw new Error(`Got ${featureNames.length} feature names for ${X.cols} feature columns.`);
    }
    if (X.cols === 0) throw new Error('There are no feature columns to train on.');
    const classCount = params.task === 'classification' ? resolveClassCount(y, nClasses) : 0;
    const target = trainingTarget(y, classCount, params);
    const table = buildSortedTable(X, featureNames);
    const grown = growTree(table, target, params);
    const nodes = toNodeList(grown, featureNames, params.task);
    this.state = {
      featureNames: [...featureNames],
      nClasses: classCount,
      nodes,
      featureImportances: featureImportances(grown, X.cols),
      compiled: compile(nodes, params.task),
    };
    return this;
  }

  /** Class index (classification) or predicted value (regression) per row. */
  predict(X: Matrix): Int32Array | Float64Array {
    const { compiled } = this.fitted();
    const leaves = this.leafOf(X);
    if (this.params.task === 'regression') return Float64Array.from(leaves, (leaf) => compiled.output[leaf]);
    const K = compiled.width;
    return Int32Array.from(leaves, (leaf) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (compiled.output[leaf * K + k] > compiled.output[leaf * K + best]) best = k;
      return best;
    });
  }

  /** rows × K class probabilities, row-major: the class shares of the training rows in each leaf. */
  predictProba(X: Matrix): Float64Array {
    if (this.params.task !== 'classification') {
      throw new Error('Probabilities are only available for classification trees; this tree predicts numbers.');
    }
    const { compiled } = this.fitted();
    const K = compiled.width;
    const leaves = this.leafOf(X);
    const proba = new Float64Array(X.rows * K);
    leaves.forEach((leaf, i) => proba.set(compiled.output.subarray(leaf * K, (leaf + 1) * K), i * K));
    return proba;
  }

  /** Total impurity decrease per feature, normalised to sum to 1 (scikit-learn's feature_importances_). */
  get featureImportances(): number[] {
    return [...this.fitted().featureImportances];
  }

  get nodes(): TreeNodeJSON[] {
    return this.fitted().nodes.map(copyNode);
  }

  /** Deepest level of the tree; a lone root has depth 0. */
  get depth(): number {
    return this.fitted().nodes.reduce((deepest, node) => Math.max(deepest, node.depth), 0);
  }

  get leafCount(): number {
    return this.fitted().nodes.filter((node) => node.left === undefined).length;
  }

  get featureNames(): string[] {
    return [...this.fitted().featureNames];
  }

  /** Plain-language rule for a node's split, e.g. "duration ≤ 521.5"; null for a leaf. */
  ruleFor(nodeId: number): string | null {
    const node = this.fitted().nodes[nodeId];
    if (!node) throw new Error(`The tree has no node ${nodeId}.`);
    if (node.threshold === undefined) return null;
    return `${node.featureName} ≤ ${formatThreshold(node.threshold)}`;
  }

  toJSON(): DecisionTreeJSON {
    const state = this.fitted();
    return {
      kind: 'decisionTree',
      params: { ...this.params },
      featureNames: [...state.featureNames],
      nClasses: state.nClasses,
      nodes: state.nodes.map(copyNode),
      featureImportances: [...state.featureImportances],
    };
  }

  static fromJSON(json: DecisionTreeJSON): DecisionTree {
    if (json.kind !== 'decisionTree') throw new Error(`Expected a decision tree model, got "${json.kind}".`);
    const model = new DecisionTree(json.params);
    const nodes = json.nodes.map(copyNode);
    validateSavedNodes(nodes, json);
    model.state = {
      featureNames: [...json.featureNames],
      nClasses: json.nClasses,
      nodes,
      featureImportances: [...json.featureImportances],
      compiled: compile(nodes, json.params.task),
    };
    return model;
  }

  /** Leaf reached by each row; inputs are rounded to float32 exactly as during training. */
  private leafOf(X: Matrix): Int32Array {
    const { featureNames, compiled } = this.fitted();
    if (X.cols !== featureNames.length) {
      throw new Error(`The model expects ${featureNames.length} feature columns but got ${X.cols}.`);
    }
    const { feature, threshold, left, right } = compiled;
    const leaves = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let node = 0;
      while (feature[node] >= 0) {
        const value = X.data[i * X.cols + feature[node]];
        if (Number.isNaN(value)) {
          throw new Error(`Feature "${featureNames[feature[node]]}" is missing at row ${i + 1}; fill it before predicting.`);
        }
        node = Math.fround(value) <= threshold[node] ? left[node] : right[node];
      }
      leaves[i] = node;
    }
    return leaves;
  }

  private fitted(): FittedState {
    if (!this.state) throw new Error('The decision tree has not been trained yet.');
    return this.state;
  }
}

function resolveParams(params: Partial<DecisionTreeParams> & { task: DecisionTreeParams['task'] }): DecisionTreeParams {
  const { task } = params;
  if (task !== 'classification' && task !== 'regression') {
    throw new Error(`A decision tree's task must be classification or regression (got "${String(task)}").`);
  }
  const resolved: DecisionTreeParams = {
    task,
    criterion: params.criterion ?? (task === 'classification' ? 'gini' : 'squared_error'),
    maxDepth: params.maxDepth ?? null,
    minSamplesLeaf: params.minSamplesLeaf ?? 1,
    minSamplesSplit: params.minSamplesSplit ?? 2,
    classWeight: params.classWeight ?? 'none',
  };
  const classificationCriterion = resolved.criterion === 'gini' || resolved.criterion === 'entropy';
  if (task === 'classification' ? !classificationCriterion : resolved.criterion !== 'squared_error') {
    const allowed = task === 'classification' ? 'gini or entropy' : 'squared_error';
    throw new Error(`The split criterion for ${task} must be ${allowed} (got "${resolved.criterion}").`);
  }
  if (resolved.maxDepth !== null && !(Number.isInteger(resolved.maxDepth) && resolved.maxDepth >= 1)) {
    throw new Error(`Maximum depth must be a whole number of at least 1, or unlimited (got ${resolved.maxDepth}).`);
  }
  if (!Number.isInteger(resolved.minSamplesLeaf) || resolved.minSamplesLeaf < 1) {
    throw new Error(`Minimum rows per leaf must be a whole number of at least 1 (got ${resolved.minSamplesLeaf}).`);
  }
  if (!Number.isInteger(resolved.minSamplesSplit) || resolved.minSamplesSplit < 2) {
    throw new Error(`Minimum rows to split a node must be a whole number of at least 2 (got ${resolved.minSamplesSplit}).`);
  }
  if (resolved.classWeight !== 'none' && resolved.classWeight !== 'balanced') {
    throw new Error(`Class weighting must be none or balanced (got "${resolved.classWeight}").`);
  }
  if (task === 'regression' && resolved.classWeight === 'balanced') {
    throw new Error('Balanced class weights only apply to classification; a regression tree has no classes.');
  }
  return resolved;
}

function resolveClassCount(y: Int32Array | Float64Array, nClasses: number | undefined): number {
  let highest = -1;
  const seen = new Set<number>();
  y.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0) {
      throw new Error(`Class labels must be class indexes 0, 1, 2, …; row ${i + 1} has ${label}.`);
    }
    highest = Math.max(highest, label);
    seen.add(label);
  });
  const count = nClasses ?? highest + 1;
  if (highest >= count) throw new Error(`Label index ${highest} is outside 0..${count - 1}.`);
  if (seen.size < 2) throw new Error('The column to predict has only one class; there is nothing to learn.');
  return count;
}

/** Per-class row weights; 'balanced' gives n / (K · count_k) over the K classes present, as sklearn does. */
function classWeights(y: Int32Array | Float64Array, classCount: number, mode: DecisionTreeParams['classWeight']): Float64Array {
  const weights = new Float64Array(classCount).fill(1);
  if (mode === 'none') return weights;
  const counts = new Float64Array(classCount);
  for (const label of y) counts[label]++;
  const present = counts.filter((count) => count > 0).length;
  for (let k = 0; k < classCount; k++) if (counts[k] > 0) weights[k] = y.length / (present * counts[k]);
  return weights;
}

function trainingTarget(y: Int32Array | Float64Array, classCount: number, params: DecisionTreeParams): TreeTarget {
  if (params.task === 'classification') {
    const labels = Int32Array.from(y);
    return {
      criterion: params.criterion,
      width: classCount,
      labels,
      classWeights: classWeights(labels, classCount, params.classWeight),
      // Two classes are scanned as a running count of class 1, which is faster than per-class counts.
      scalar: classCount === 2 ? Float64Array.from(labels) : null,
    };
  }
  const values = Float64Array.from(y);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new Error(`The column to predict has a missing or infinite value at row ${bad + 1}.`);
  return { criterion: 'squared_error', width: 1, labels: new Int32Array(0), classWeights: Float64Array.of(1), scalar: values };
}

/** The fitted tree as parallel arrays, nodes numbered depth-first with left before right like scikit-learn. */
interface GrownTree {
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
  /** From the parent's split search, as scikit-learn does; the root's is computed from its totals. */
  impurity: number;
  /** Features that may still vary in this node (their slices are valid). */
  features: Int32Array;
}

interface GrowthLimits {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
}

/** Depth-first like scikit-learn's builder, so node ids come out in the same order. */
function growTree(table: SortedTable, target: TreeTarget, params: DecisionTreeParams): GrownTree {
  const tree: GrownTree = { depth: [], samples: [], weight: [], impurity: [], feature: [], threshold: [], left: [], right: [], values: [] };
  const limits: GrowthLimits = {
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit: Math.max(params.minSamplesSplit, 2 * params.minSamplesLeaf),
    minSamplesLeaf: params.minSamplesLeaf,
  };
  const workspace = new SplitWorkspace(table.rows, target.width);
  const rootStats = nodeStats(workspace.rows, target, 0, table.rows, emptyStats(target.width));
  const allFeatures = Int32Array.from({ length: table.cols }, (_, j) => j);
  const stack: PendingNode[] = [
    { rows: rootRows(table), stats: rootStats, depth: 0, parent: -1, isLeft: false, impurity: impurityOf(rootStats, target.criterion), features: allFeatures },
  ];
  while (stack.length > 0) {
    const pending = stack.pop()!;
    const id = addNode(tree, pending);
    if (!mayGrow(pending.depth, pending.stats.samples, pending.impurity, limits)) continue;
    const children = splitNode(table, target, pending, id, rootStats.weight, limits, workspace);
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

/** Finds and applies the node's best split; null when it has to stay a leaf. */
function splitNode(
  table: SortedTable,
  target: TreeTarget,
  node: PendingNode,
  id: number,
  rootWeight: number,
  limits: GrowthLimits,
  workspace: SplitWorkspace,
) {
  const { stats, impurity, depth } = node;
  const { split, varyingFeatures } = findBestSplit(table, target, node.rows, node.features, stats, limits.minSamplesLeaf, workspace);
  if (!split) return null;
  const [leftRows, rightRows] = partitionRows(table, node.rows, split, workspace);
  const leftStats = nodeStats(workspace.rows, target, leftRows.start, leftRows.end, emptyStats(target.width));
  const rightStats = nodeStats(workspace.rows, target, rightRows.start, rightRows.end, emptyStats(target.width));
  // scikit-learn derives the right child's impurity from parent minus left; do the same for identical rounding.
  const leftImpurity = impurityOf(leftStats, target.criterion);
  const rightImpurity = impurityOf(subtractStats(stats, leftStats, emptyStats(target.width)), target.criterion);
  const [leftWeight, rightWeight] = [leftStats.weight, stats.weight - leftStats.weight];
  const improvement =
    (stats.weight / rootWeight) * (impurity - (rightWeight / stats.weight) * rightImpurity - (leftWeight / stats.weight) * leftImpurity);
  if (improvement + PURE_IMPURITY < 0) return null;
  if (mayGrow(depth + 1, leftStats.samples, leftImpurity, limits) || mayGrow(depth + 1, rightStats.samples, rightImpurity, limits)) {
    partitionSlices(table, node.rows, [leftRows, rightRows], varyingFeatures, workspace);
  }
  const child = { depth: depth + 1, parent: id, features: varyingFeatures };
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
function featureImportances(tree: GrownTree, featureCount: number): number[] {
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

function toNodeList(tree: GrownTree, featureNames: string[], task: DecisionTreeParams['task']): TreeNodeJSON[] {
  return tree.depth.map((depth, id) => {
    const value = task === 'regression' ? [tree.values[id][0] / tree.weight[id]] : tree.values[id];
    const node: TreeNodeJSON = { id, depth, samples: tree.samples[id], value, impurity: tree.impurity[id] };
    const feature = tree.feature[id];
    if (feature >= 0) {
      Object.assign(node, { feature, featureName: featureNames[feature], threshold: tree.threshold[id] });
      Object.assign(node, { left: tree.left[id], right: tree.right[id] });
    }
    return node;
  });
}

function compile(nodes: TreeNodeJSON[], task: DecisionTreeParams['task']): CompiledTree {
  const width = nodes[0].value.length;
  const compiled: CompiledTree = {
    feature: new Int32Array(nodes.length).fill(-1),
    threshold: new Float64Array(nodes.length),
    left: new Int32Array(nodes.length).fill(-1),
    right: new Int32Array(nodes.length).fill(-1),
    output: new Float64Array(nodes.length * width),
    width,
  };
  nodes.forEach((node, id) => {
    if (node.feature !== undefined) {
      compiled.feature[id] = node.feature;
      compiled.threshold[id] = node.threshold!;
      compiled.left[id] = node.left!;
      compiled.right[id] = node.right!;
    }
    const total = task === 'classification' ? node.value.reduce((sum, v) => sum + v, 0) : 1;
    node.value.forEach((v, k) => (compiled.output[id * width + k] = v / (total === 0 ? 1 : total)));
  });
  return compiled;
}

function validateSavedNodes(nodes: TreeNodeJSON[], json: DecisionTreeJSON): void {
  const width = json.params.task === 'classification' ? json.nClasses : 1;
  if (nodes.length === 0) throw new Error('Saved decision tree has no nodes.');
  nodes.forEach((node, id) => {
    const childOk = (child: number | undefined) => child !== undefined && Number.isInteger(child) && child > id && child < nodes.length;
    const isSplit = node.feature !== undefined;
    if (node.value.length !== width || (isSplit && !(childOk(node.left) && childOk(node.right) && node.feature! < json.featureNames.length))) {
      throw new Error(`Saved decision tree is inconsistent at node ${id}.`);
    }
  });
}

function copyNode(node: TreeNodeJSON): TreeNodeJSON {
  return { ...node, value: [...node.value] };
}

/** Six significant digits read well and still separate the two values a threshold sits between in practice. */
function formatThreshold(threshold: number): string {
  return String(Number(threshold.toPrecision(6)));
}
