import { CURRENT_SCHEMA_VERSION, type Graph } from '../nodes/graph-document';
import { DESKTOP_CANVAS, layOutSteps, STEP_BOX } from '../nodes/graph-layout';
import type { TemplateInfo } from './api-types';

type Step = { id: string; type: string; params?: Record<string, unknown> };

/** Lays steps out as the editor's Tidy up does, for a 1280×800 window, and wires `from.output → to.input` pairs. */
function graphOf(steps: Step[], wires: [string, string, string, string][]): Graph {
  const boxes = steps.map((step) => ({ id: step.id, ...STEP_BOX }));
  const placed = layOutSteps(boxes, wires.map(([source, , target]) => ({ source, target })), DESKTOP_CANVAS, { x: 40, y: 40 });
  const positions = steps.map((step) => placed.get(step.id)!);
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: steps.map((step, i) => ({ id: step.id, type: step.type, version: 1, params: step.params ?? {}, position: positions[i] })),
    edges: wires.map(([source, sourceHandle, target, targetHandle]) => ({
      id: `${source}.${sourceHandle}-${target}.${targetHandle}`,
      source,
      sourceHandle,
      target,
      targetHandle,
    })),
  };
}

export const templates: TemplateInfo[] = [
  {
    id: 'campaign-response',
    name: 'Predict campaign response',
    description:
      'Which clients will subscribe to a term deposit when called? Trains a logistic regression on 45,211 past calls of a bank campaign and tells how well it spots the 11.7% who said yes.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } },
        { id: 'clean', type: 'prep.cleanMissing', params: { strategy: 'dropRows' } },
        { id: 'encode', type: 'prep.oneHot' },
        { id: 'scale', type: 'prep.normalize', params: { method: 'zscore' } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: true } },
        { id: 'model', type: 'model.logisticRegression', params: { l2: 1, classWeight: 'balanced' } },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      [
        ['data', 'table', 'clean', 'table'],
        ['clean', 'table', 'encode', 'table'],
        ['encode', 'table', 'scale', 'table'],
        ['scale', 'table', 'split', 'table'],
        ['split', 'split', 'model', 'data'],
        ['model', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
  {
    id: 'sales-forecast',
    name: 'Forecast sales from ad spend',
    description:
      'How many units will a market sell for a given TV, radio and newspaper budget? Fits a linear regression (raise the degree for curves) on 200 markets and reports how close its forecasts land.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'advertising', target: 'Sales' } },
        { id: 'columns', type: 'prep.selectColumns', params: { features: ['TV', 'Radio', 'Newspaper'], target: 'Sales' } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: false } },
        { id: 'model', type: 'model.linearRegression', params: { degree: 1, l2: 0 } },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      [
        ['data', 'table', 'columns', 'table'],
        ['columns', 'table', 'split', 'table'],
        ['split', 'split', 'model', 'data'],
        ['model', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
  {
    id: 'compare-response-models',
    name: 'Compare models for campaign response',
    description:
      'Which kind of model should we trust to pick whom to call? Trains a logistic regression, a decision tree and a support vector machine on the same bank campaign data, with the rare "yes" answers balanced, and ranks them on one leaderboard with ROC curves and 5-fold cross-validation.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } },
        { id: 'encode', type: 'prep.oneHot' },
        { id: 'scale', type: 'prep.normalize', params: { method: 'zscore' } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: true } },
        { id: 'balance', type: 'prep.balance', params: { method: 'classWeights' } },
        { id: 'logistic', type: 'model.logisticRegression', params: { l2: 1 } },
        { id: 'tree', type: 'model.decisionTree', params: { maxDepth: 6, minSamplesLeaf: 20 } },
        { id: 'svm', type: 'model.svm', params: { kernel: 'rbf', C: 1, maxTrainRows: 3000 } },
        { id: 'evaluate', type: 'eval.evaluate', params: { folds: 5 } },
      ],
      [
        ['data', 'table', 'encode', 'table'],
        ['encode', 'table', 'scale', 'table'],
        ['scale', 'table', 'split', 'table'],
        ['split', 'split', 'balance', 'split'],
        ['balance', 'split', 'logistic', 'data'],
        ['balance', 'split', 'tree', 'data'],
        ['balance', 'split', 'svm', 'data'],
        ['logistic', 'model', 'evaluate', 'model'],
        ['tree', 'model', 'evaluate', 'model'],
        ['svm', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
  {
    id: 'explain-subscribers',
    name: 'Explain who subscribes',
    description:
      'What do clients who say yes have in common? Grows a shallow decision tree on the bank campaign data: a flowchart of a few plain questions (call length, previous outcome, month...) that a sales team can read, plus which columns matter most.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } },
        { id: 'encode', type: 'prep.oneHot' },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: true } },
        { id: 'tree', type: 'model.decisionTree', params: { maxDepth: 3, minSamplesLeaf: 50, classWeight: 'balanced' } },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      [
        ['data', 'table', 'encode', 'table'],
        ['encode', 'table', 'split', 'table'],
        ['split', 'split', 'tree', 'data'],
        ['tree', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
  {
    id: 'score-call-list',
    name: 'Rank a call list by likely response',
    description:
      'Whom should the call centre ring first this week? Trains a response model on past campaign calls, then scores a client list and sorts it from most to least likely to subscribe, ready to download as CSV. Swap the list node for a CSV file node with your own export.',
    graph: graphOf(
      [
        { id: 'history', type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } },
        { id: 'encode', type: 'prep.oneHot' },
        { id: 'scale', type: 'prep.normalize', params: { method: 'zscore' } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: true } },
        { id: 'model', type: 'model.logisticRegression', params: { l2: 1, classWeight: 'balanced' } },
        { id: 'list', type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } },
        { id: 'score', type: 'predict.score', params: { sortByProbability: true } },
      ],
      [
        ['history', 'table', 'encode', 'table'],
        ['encode', 'table', 'scale', 'table'],
        ['scale', 'table', 'split', 'table'],
        ['split', 'split', 'model', 'data'],
        ['model', 'model', 'score', 'model'],
        ['list', 'table', 'score', 'table'],
      ],
    ),
  },
  {
    id: 'channel-mix',
    name: 'Which ad channel drives sales?',
    description:
      'Is newspaper money wasted, and do TV and radio work better together? Ranks the three channels by how much they tell about sales, then compares a straight-line model, a curved model with channel interactions and a decision tree on 200 markets, with cross-validation.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'advertising', target: 'Sales' } },
        { id: 'columns', type: 'prep.selectColumns', params: { features: ['TV', 'Radio', 'Newspaper'], target: 'Sales' } },
        { id: 'rank', type: 'features.select', params: { k: 3 } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: false } },
        { id: 'straight', type: 'model.linearRegression', params: { degree: 1 } },
        { id: 'curved', type: 'model.linearRegression', params: { degree: 2 } },
        { id: 'tree', type: 'model.decisionTree', params: { maxDepth: 4, minSamplesLeaf: 5 } },
        { id: 'evaluate', type: 'eval.evaluate', params: { folds: 5 } },
      ],
      [
        ['data', 'table', 'columns', 'table'],
        ['columns', 'table', 'rank', 'table'],
        ['rank', 'table', 'split', 'table'],
        ['split', 'split', 'straight', 'data'],
        ['split', 'split', 'curved', 'data'],
        ['split', 'split', 'tree', 'data'],
        ['straight', 'model', 'evaluate', 'model'],
        ['curved', 'model', 'evaluate', 'model'],
        ['tree', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
  {
    id: 'classify-product-photos',
    name: 'Classify product photos',
    description:
      'Which kind of clothing is in each product photo? Trains a convolutional network on 1,000 labelled photos while you watch its learning curves, compares it with an SVM on shape features (HOG), and shows the photos each one gets wrong.',
    graph: graphOf(
      [
        { id: 'photos', type: 'data.images', params: { source: 'sample', sample: 'fashion-products' } },
        { id: 'prepare', type: 'prep.image', params: { size: 28, color: 'grayscale', scale: true } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: true } },
        { id: 'cnn', type: 'model.cnn' },
        { id: 'hog', type: 'features.image', params: { method: 'hog', cellSize: 4, orientations: 9 } },
        { id: 'svm', type: 'model.svm', params: { kernel: 'rbf', C: 10 } },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      [
        ['photos', 'images', 'prepare', 'images'],
        ['prepare', 'images', 'split', 'table'],
        ['split', 'split', 'cnn', 'data'],
        ['split', 'split', 'hog', 'data'],
        ['hog', 'split', 'svm', 'data'],
        ['cnn', 'model', 'evaluate', 'model'],
        ['svm', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
];

export function findTemplate(idOrName: string): TemplateInfo | undefined {
  const wanted = idOrName.trim().toLowerCase();
  return templates.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
}
