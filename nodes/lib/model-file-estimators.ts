import { z } from 'zod';
import { LIMITS } from '../../models/limits';
import {
  count,
  describeValue,
  finite,
  listOf,
  nameList,
  nameText,
  numberList,
  numberRows,
  plural,
  problem,
  requireLength,
  whole,
} from './model-file-parts';

/**
 * Schemas of the saved table estimators and of the fitted PCA and column selection that feature
 * steps carry. Each one checks what its `fromJSON` and `predict` take on trust: the settings its
 * constructor would refuse, and every length that must agree with another.
 */

const classWeight = z.enum(['none', 'balanced']);
const columns = (n: number) => `the model has ${plural(n, 'column')}`;

/** Columns after expanding `features` columns into polynomial terms up to `degree`, or Infinity past the limit. */
function polynomialTermCount(features: number, degree: number): number {
  let total = 0;
  let ofDegree = 1;
  for (let d = 1; d <= degree; d++) {
    // Monomials of degree d in n variables: C(n + d - 1, d), built from the previous degree's count.
    ofDegree = (ofDegree * (features + d - 1)) / d;
    total += ofDegree;
    if (total > LIMITS.modelFile.polynomialTerms) return Infinity;
  }
  return Math.round(total);
}

// Up to five column names joined, e.g. "TV^2 × Radio"; a fitting warning may name every term.
const termLength = 5 * LIMITS.text.nameLength + 20;
const termName = z.string().max(termLength);
const fittingWarning = z.string().max(LIMITS.modelFile.polynomialTerms * termLength);

export const linearRegressionJson = z
  .object({
    kind: z.literal('linearRegression'),
    params: z.object({ degree: whole.min(1).max(5), l2: finite.min(0) }),
    featureNames: nameList,
    expandedNames: listOf(termName),
    intercept: finite,
    coefficients: numberList,
    warnings: listOf(fittingWarning).optional(),
  })
  .superRefine((json, ctx) => {
    const { degree } = json.params;
    const terms = polynomialTermCount(json.featureNames.length, degree);
    const limit = LIMITS.modelFile.polynomialTerms;
    if (terms === Infinity) {
      return problem(ctx, ['featureNames'], `has ${plural(json.featureNames.length, 'column')}, more than degree ${degree} can expand within ${limit} columns.`);
    }
    const reason = `${plural(json.featureNames.length, 'column')} at degree ${degree} make ${terms}`;
    if (requireLength(ctx, ['expandedNames'], json.expandedNames, terms, 'name', reason)) {
      requireLength(ctx, ['coefficients'], json.coefficients, terms, 'number', columns(terms));
    }
  });

export const logisticRegressionJson = z
  .object({
    kind: z.literal('logisticRegression'),
    params: z.object({ l2: finite.min(0), classWeight, maxIter: whole.min(1) }),
    featureNames: nameList,
    nClasses: whole.min(2),
    coefficients: numberRows,
    intercepts: numberList,
    iterations: count,
    converged: z.boolean(),
  })
  .superRefine((json, ctx) => {
    // Two classes share one row of weights (a sigmoid); more have one row per class (a softmax).
    const rows = json.nClasses === 2 ? 1 : json.nClasses;
    const reason = `${json.nClasses} classes need ${rows}`;
    if (!requireLength(ctx, ['coefficients'], json.coefficients, rows, 'row', reason)) return;
    if (!requireLength(ctx, ['intercepts'], json.intercepts, rows, 'number', reason)) return;
    const p = json.featureNames.length;
    json.coefficients.every((row, k) => requireLength(ctx, ['coefficients', k], row, p, 'number', columns(p)));
  });

const treeNode = z.object({
  id: count,
  depth: count,
  samples: count,
  value: numberList,
  impurity: finite,
  feature: count.optional(),
  featureName: nameText.optional(),
  threshold: finite.optional(),
  left: count.optional(),
  right: count.optional(),
});

export const decisionTreeJson = z
  .object({
    kind: z.literal('decisionTree'),
    params: z.object({
      task: z.enum(['classification', 'regression']),
      criterion: z.enum(['gini', 'entropy', 'squared_error']),
      maxDepth: whole.min(1).nullable(),
      minSamplesLeaf: whole.min(1),
      minSamplesSplit: whole.min(2),
      classWeight,
      randomState: whole.min(0).max(0xffffffff),
    }),
    featureNames: nameList,
    nClasses: count,
    nodes: listOf(treeNode),
    featureImportances: numberList,
  })
  .superRefine((json, ctx) => {
    const { task, criterion, classWeight: weighting } = json.params;
    if ((task === 'regression') !== (criterion === 'squared_error')) {
      return problem(ctx, ['params', 'criterion'], `is "${criterion}", which does not suit a ${task} tree.`);
    }
    if (task === 'regression' && weighting === 'balanced') return problem(ctx, ['params', 'classWeight'], 'is "balanced", but a regression tree has no classes.');
    if (task === 'classification' ? json.nClasses < 2 : json.nClasses !== 0) {
      return problem(ctx, ['nClasses'], `is ${json.nClasses}; a ${task} tree needs ${task === 'classification' ? 'at least 2' : '0'}.`);
    }
    const p = json.featureNames.length;
    if (!requireLength(ctx, ['featureImportances'], json.featureImportances, p, 'number', columns(p))) return;
    const width = task === 'classification' ? json.nClasses : 1;
    const { nodes } = json;
    if (nodes.length === 0) return problem(ctx, ['nodes'], 'is empty; a tree has at least its root.');
    for (let id = 0; id < nodes.length; id++) {
      const node = nodes[id];
      const why = task === 'classification' ? `the tree has ${plural(width, 'class', 'es')}` : 'a regression tree holds one mean per node';
      if (!requireLength(ctx, ['nodes', id, 'value'], node.value, width, 'number', why)) return;
      const parts = [node.feature, node.threshold, node.left, node.right].filter((part) => part !== undefined).length;
      if (parts !== 0 && parts !== 4) return problem(ctx, ['nodes', id], 'has only some of the fields of a split (feature, threshold, left, right).');
      if (node.feature !== undefined && node.feature >= p) {
        return problem(ctx, ['nodes', id, 'feature'], `is ${node.feature}, but ${columns(p)}.`);
      }
      for (const side of ['left', 'right'] as const) {
        const child = node[side];
        // Children always come after their parent, which is also what keeps prediction from looping.
        if (child !== undefined && !(child > id && child < nodes.length)) {
          return problem(ctx, ['nodes', id, side], `is ${child}, but a child must come after its parent and within the ${plural(nodes.length, 'node')}.`);
        }
      }
    }
  });

/** scikit-learn's "scale" and "auto", or a width of one's own. */
const gammaSetting = z.unknown().superRefine((value, ctx) => {
  if (value === 'scale' || value === 'auto' || (typeof value === 'number' && value > 0 && Number.isFinite(value))) return;
  problem(ctx, [], `should be "scale", "auto" or a positive number but is ${describeValue(value)}.`);
});

export const supportVectorJson = z
  .object({
    kind: z.literal('supportVectorClassifier'),
    params: z.object({
      kernel: z.enum(['linear', 'rbf']),
      C: finite.positive(),
      gamma: gammaSetting,
      classWeight,
      probability: z.boolean(),
      tol: finite.positive(),
      maxIter: whole.min(-1).refine((n) => n !== 0, { message: 'is 0; it must be at least 1, or -1 for no limit.', abort: true }),
    }),
    featureNames: nameList,
    nClasses: whole.min(2),
    gamma: finite.positive(),
    supportVectors: numberRows,
    supportIndices: listOf(count),
    supportCounts: listOf(count),
    coefficients: numberRows,
    rho: numberList,
    sigmoids: listOf(z.object({ A: finite, B: finite })).nullable(),
    iterations: count,
    converged: z.boolean(),
  })
  .superRefine((json, ctx) => {
    const K = json.nClasses;
    const machines = (K * (K - 1)) / 2;
    const classes = `the model has ${plural(K, 'class', 'es')}`;
    if (!requireLength(ctx, ['supportCounts'], json.supportCounts, K, 'number', classes)) return;
    const total = json.supportCounts.reduce((sum, n) => sum + n, 0);
    const vectors = `"supportCounts" add up to ${total}`;
    if (!requireLength(ctx, ['supportVectors'], json.supportVectors, total, 'row', vectors)) return;
    if (!requireLength(ctx, ['supportIndices'], json.supportIndices, total, 'number', vectors)) return;
    const p = json.featureNames.length;
    if (total * p > LIMITS.modelFile.arrayLength) {
      return problem(ctx, ['supportVectors'], `holds ${plural(total * p, 'number')}; the limit is ${LIMITS.modelFile.arrayLength.toLocaleString('en-US')}.`);
    }
    if (!json.supportVectors.every((row, s) => requireLength(ctx, ['supportVectors', s], row, p, 'number', columns(p)))) return;
    if (!requireLength(ctx, ['coefficients'], json.coefficients, K - 1, 'row', `${classes}, which need ${K - 1}`)) return;
    if (!json.coefficients.every((row, k) => requireLength(ctx, ['coefficients', k], row, total, 'number', vectors))) return;
    const pairs = `${classes}, which make ${plural(machines, 'pair')}`;
    if (!requireLength(ctx, ['rho'], json.rho, machines, 'number', pairs)) return;
    // Scoring and evaluation always ask for probabilities, which come from these sigmoids.
    if (json.sigmoids === null) return problem(ctx, ['sigmoids'], 'is null, but scoring needs the probability calibration it holds.');
    requireLength(ctx, ['sigmoids'], json.sigmoids, machines, 'sigmoid', pairs);
  });

export const pcaJson = z
  .object({
    params: z.object({ components: whole.min(1).nullable() }),
    featureNames: nameList,
    mean: numberList,
    components: numberRows,
    explainedVariance: numberList,
    explainedVarianceRatio: numberList,
  })
  .superRefine((json, ctx) => {
    const p = json.featureNames.length;
    const k = json.components.length;
    if (!requireLength(ctx, ['mean'], json.mean, p, 'number', `the PCA reads ${plural(p, 'column')}`)) return;
    if (k === 0 || k > p) return problem(ctx, ['components'], `has ${plural(k, 'row')}; a PCA of ${plural(p, 'column')} keeps 1 to ${p}.`);
    if (json.params.components !== null && !requireLength(ctx, ['components'], json.components, json.params.components, 'row', '"params.components" asks for that many')) return;
    if (!json.components.every((row, c) => requireLength(ctx, ['components', c], row, p, 'number', `the PCA reads ${plural(p, 'column')}`))) return;
    const kept = `the PCA keeps ${plural(k, 'component')}`;
    if (requireLength(ctx, ['explainedVariance'], json.explainedVariance, k, 'number', kept)) {
      requireLength(ctx, ['explainedVarianceRatio'], json.explainedVarianceRatio, k, 'number', kept);
    }
  });

export const selectKBestJson = z
  .object({
    params: z.object({ k: whole.min(1), score: z.enum(['anova', 'mutualInfo', 'fRegression']) }),
    featureNames: nameList,
    // Scores only explain the choice; a score JSON could not hold (NaN) is saved as null.
    scores: listOf(finite.nullable()),
    pValues: listOf(finite.nullable()).nullable(),
    constant: listOf(z.boolean()),
    kept: listOf(z.boolean()),
  })
  .superRefine((json, ctx) => {
    const p = json.featureNames.length;
    const reason = `the selection weighs ${plural(p, 'column')}`;
    for (const field of ['scores', 'pValues', 'constant', 'kept'] as const) {
      const list = json[field];
      if (list && !requireLength(ctx, [field], list, p, field === 'constant' || field === 'kept' ? 'flag' : 'number', reason)) return;
    }
  });
