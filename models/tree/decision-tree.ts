import { featureNamesOf, type Estimator, type FitOptions } from '../estimator';
import type { Matrix } from '../frame';
import { featureImportances, growTree, type GrownTree } from './tree-grow';
import { buildSortedTable, type TreeTarget } from './tree-table';

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
  /**
   * Settles ties between equally good splits the way scikit-learn's random_state does (default 0):
   * the same number grows the same tree as scikit-learn with that random_state.
   */
  randomState: number;
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

/** Flat arrays for fast prediction; feature −1 marks a leaf. */
interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** `width` numbers per node: class fractions, or the mean. */
  output: Float64Array;
  width: number;
  /** Per node: the most likely class (the first on a tie, as scikit-learn), or the mean. */
  prediction: Float64Array;
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
 * DecisionTreeRegressor (splitter='best', all features). Equally good splits are settled in
 * scikit-learn's feature order for the same random_state, so it grows scikit-learn's tree (for
 * unweighted classes exactly; with weights or numeric targets an exact tie can rarely fall the
 * other way on rounding). Like scikit-learn, features are rounded to float32 before fitting and
 * predicting. The fitting itself lives in tree-grow.ts, tree-split.ts and tree-table.ts.
 */
export class DecisionTree implements Estimator {
  readonly params: DecisionTreeParams;
  private state: FittedState | null = null;

  constructor(params: Partial<DecisionTreeParams> & { task: DecisionTreeParams['task'] }) {
    this.params = resolveParams(params);
  }

  /** Uses `featureNames` and `classCount`; growing a tree is one quick pass, so there is nothing to cancel or report midway. */
  fit(X: Matrix, y: Int32Array | Float64Array, options: FitOptions = {}): this {
    const { params } = this;
    const featureNames = featureNamesOf(X, options);
    if (X.rows < 2) throw new Error(`A decision tree needs at least 2 rows to train on (got ${X.rows}).`);
    if (X.rows !== y.length) throw new Error(`Feature rows (${X.rows}) and target values (${y.length}) differ in count.`);
    if (featureNames.length !== X.cols) {
      throw new Error(`Got ${featureNames.length} feature names for ${X.cols} feature columns.`);
    }
    if (X.cols === 0) throw new Error('There are no feature columns to train on.');
    const classCount = params.task === 'classification' ? resolveClassCount(y, options.classCount) : 0;
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
    const { prediction } = this.fitted().compiled;
    const leaves = this.leafOf(X);
    const predictions = this.params.task === 'regression' ? new Float64Array(X.rows) : new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) predictions[i] = prediction[leaves[i]];
    return predictions;
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
    for (let i = 0; i < X.rows; i++) {
      for (let k = 0; k < K; k++) proba[i * K + k] = compiled.output[leaves[i] * K + k];
    }
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
    // A matrix over a table's columns is read as columns: its row-major copy is never made for a tree.
    const valueAt = X.columns ? columnReader(X.columns) : rowMajorReader(X);
    for (let i = 0; i < X.rows; i++) {
      let node = 0;
      while (feature[node] >= 0) {
        const value = valueAt(i, feature[node]);
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
    randomState: params.randomState ?? 0,
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
  if (!Number.isInteger(resolved.randomState) || resolved.randomState < 0 || resolved.randomState > 0xffffffff) {
    throw new Error(`The random seed must be a whole number from 0 to 4294967295 (got ${resolved.randomState}).`);
  }
  if (task === 'regression' && resolved.classWeight === 'balanced') {
    throw new Error('Balanced class weights only apply to classification; a regression tree has no classes.');
  }
  return resolved;
}

function resolveClassCount(y: Int32Array | Float64Array, nClasses: number | undefined): number {
  let highest = -1;
  let varies = false;
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new Error(`Class labels must be class indexes 0, 1, 2, …; row ${i + 1} has ${label}.`);
    }
    highest = Math.max(highest, label);
    varies ||= label !== y[0];
  }
  const count = nClasses ?? highest + 1;
  if (highest >= count) throw new Error(`Label index ${highest} is outside 0..${count - 1}.`);
  if (!varies) throw new Error('The column to predict has only one class; there is nothing to learn.');
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
      scalar: classCount === 2 ? Uint8Array.from(labels) : null,
    };
  }
  const values = Float64Array.from(y);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new Error(`The column to predict has a missing or infinite value at row ${bad + 1}.`);
  return { criterion: 'squared_error', width: 1, labels: new Int32Array(0), classWeights: Float64Array.of(1), scalar: values };
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
    prediction: new Float64Array(nodes.length),
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
    const mostLikely = node.value.reduce((best, v, k) => (v > node.value[best] ? k : best), 0);
    compiled.prediction[id] = task === 'classification' ? mostLikely : node.value[0];
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

/**
 * The shortest decimal within a quarter float32 step of the threshold. Thresholds lie halfway
 * between two float32 training values, at least one float32 step apart, so the rounded number
 * still separates them: 0.11845 rather than 0.11845000088214874.
 */
function formatThreshold(threshold: number): string {
  const tolerance = Math.abs(threshold) * 2 ** -25;
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(threshold.toPrecision(digits));
    if (Math.abs(candidate - threshold) <= tolerance) return String(candidate);
  }
  return String(threshold);
}

function columnReader(columns: readonly Float64Array[]): (row: number, feature: number) => number {
  return (row, feature) => columns[feature][row];
}

function rowMajorReader(X: Matrix): (row: number, feature: number) => number {
  const { data, cols } = X;
  return (row, feature) => data[row * cols + feature];
}
