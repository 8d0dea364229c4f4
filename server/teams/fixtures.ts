import type { Graph } from '../../nodes/graph-document';
import type { EvaluationPreview } from '../../nodes/preview';
import type { NodeLookup, NodeTypeInfo } from './lookup';

/** A small node catalog for tests: enough types to exercise titles, defaults and file parameters. */
const TYPES: Record<string, NodeTypeInfo> = {
  'data.csv': {
    title: 'CSV file',
    version: 1,
    defaults: { dataset: '', target: '' },
    params: { dataset: { type: 'string', title: 'File', widget: 'dataset' }, target: { type: 'string', title: 'Column to predict', widget: 'column' } },
  },
  'prep.split': {
    title: 'Train/test split',
    version: 1,
    defaults: { testFraction: 0.2, seed: 42, stratify: true },
    params: { testFraction: { type: 'number', title: 'Test share' }, seed: { type: 'number', title: 'Seed' }, stratify: { type: 'boolean', title: 'Stratify' } },
  },
  'model.logisticRegression': {
    title: 'Logistic regression',
    version: 1,
    defaults: { l2: 1, classWeight: 'none' },
    params: {
      l2: { type: 'number', title: 'Regularization (L2)' },
      classWeight: { type: 'string', title: 'Rare classes', enum: ['none', 'balanced'], enumLabels: ['Treat every row the same', 'Balance the classes'] },
    },
  },
  'model.decisionTree': {
    title: 'Decision tree',
    version: 1,
    defaults: { maxDepth: 5 },
    params: { maxDepth: { type: 'number', title: 'Max depth' } },
  },
  'eval.evaluate': { title: 'Evaluate', version: 1, defaults: { folds: 0, seed: 42 }, params: { folds: { type: 'number' }, seed: { type: 'number' } } },
};

export const testLookup: NodeLookup = (type) => TYPES[type];

export const DATASET_HASH = 'a'.repeat(64);

/** data → split → model → evaluate, with one more wire from split to evaluate. */
export function sampleGraph(): Graph {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'data', type: 'data.csv', version: 1, params: { dataset: DATASET_HASH, target: 'y' }, position: { x: 40, y: 80 } },
      { id: 'split', type: 'prep.split', version: 1, params: { testFraction: 0.2 }, position: { x: 270, y: 80 } },
      { id: 'model', type: 'model.logisticRegression', version: 1, params: { l2: 1 }, position: { x: 500, y: 80 } },
      { id: 'evaluate', type: 'eval.evaluate', version: 1, params: {}, position: { x: 730, y: 260 } },
    ],
    edges: [
      { id: 'e1', source: 'data', sourceHandle: 'table', target: 'split', targetHandle: 'table' },
      { id: 'e2', source: 'split', sourceHandle: 'split', target: 'model', targetHandle: 'data' },
      { id: 'e3', source: 'model', sourceHandle: 'model', target: 'evaluate', targetHandle: 'model' },
      { id: 'e4', source: 'split', sourceHandle: 'split', target: 'evaluate', targetHandle: 'data' },
    ],
  };
}

/** A binary classification evaluation of two models; the second is the best on every metric. */
export function classificationPreview(auc = 0.9): EvaluationPreview {
  return {
    kind: 'evaluation',
    task: 'classification',
    testRows: 200,
    classes: ['no', 'yes'],
    metricNames: ['rocAuc', 'accuracy'],
    best: { rocAuc: 1, accuracy: 1 },
    models: [
      {
        model: 'Decision tree (tree)',
        nodeId: 'tree',
        metrics: { rocAuc: auc - 0.1, accuracy: 0.8 },
        summary: ['The tree is right 80% of the time.'],
        confusion: [
          [90, 10],
          [30, 70],
        ],
        roc: { fpr: [0, 0.3, 1], tpr: [0, 0.6, 1] },
      },
      {
        model: 'Logistic regression (model)',
        nodeId: 'model',
        metrics: { rocAuc: auc, accuracy: 0.85 },
        summary: ['On 200 test rows the model is right 85.0% of the time.'],
        confusion: [
          [95, 5],
          [25, 75],
        ],
        roc: { fpr: [0, 0.1, 0.4, 1], tpr: [0, 0.5, 0.9, 1] },
      },
    ],
  };
}
