import { CURRENT_SCHEMA_VERSION, type Graph } from '../nodes/graph-document';
import { DESKTOP_CANVAS, layOutSteps, STEP_BOX } from '../nodes/graph-layout';
import type { TemplateInfo } from './api-types';

type Step = { id: string; type: string; params?: Record<string, unknown> };
type Wire = [source: string, sourceHandle: string, target: string, targetHandle: string];

/** Lays steps out as the editor's Tidy up does, for a 1280×800 window, and wires `from.output → to.input` pairs. */
function graphOf(steps: Step[], wires: Wire[]): Graph {
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

/** Table steps wired one after the other, each reading the table the one before it writes. */
function tableChain(...ids: string[]): Wire[] {
  return ids.slice(1).map((id, i) => [ids[i], 'table', id, 'table']);
}

/** Models that train on the split rows `source` hands on. */
function trainedOn(source: string, ...models: string[]): Wire[] {
  return models.map((model) => [source, 'split', model, 'data']);
}

/** Models scored side by side by the 'evaluate' step on the test rows of the 'split' step. */
function evaluated(...models: string[]): Wire[] {
  return [...models.map((model): Wire => [model, 'model', 'evaluate', 'model']), ['split', 'split', 'evaluate', 'data']];
}

const bankCalls = (id = 'data'): Step => ({ id, type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } });
const adSpend: Step = { id: 'data', type: 'data.sample', params: { sample: 'advertising', target: 'Sales' } };
const adChannels: Step = {
  id: 'columns',
  type: 'prep.selectColumns',
  params: { features: ['TV', 'Radio', 'Newspaper'], target: 'Sales' },
};
const oneHot: Step = { id: 'encode', type: 'prep.oneHot' };
const zScore: Step = { id: 'scale', type: 'prep.normalize', params: { method: 'zscore' } };
const testSplit = (stratify: boolean): Step => ({ id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify } });
const evaluate = (params?: Step['params']): Step => ({ id: 'evaluate', type: 'eval.evaluate', params });

export const templates: TemplateInfo[] = [
  {
    id: 'campaign-response',
    name: 'Predict campaign response',
    description:
      'Which clients will subscribe to a term deposit when called? Trains a logistic regression on 45,211 past calls of a bank campaign and tells how well it spots the 11.7% who said yes.',
    graph: graphOf(
      [
        bankCalls(),
        { id: 'clean', type: 'prep.cleanMissing', params: { strategy: 'dropRows' } },
        oneHot,
        zScore,
        testSplit(true),
        { id: 'model', type: 'model.logisticRegression', params: { l2: 1, classWeight: 'balanced' } },
        evaluate(),
      ],
      [...tableChain('data', 'clean', 'encode', 'scale', 'split'), ...trainedOn('split', 'model'), ...evaluated('model')],
    ),
  },
  {
    id: 'sales-forecast',
    name: 'Forecast sales from ad spend',
    description:
      'How many units will a market sell for a given TV, radio and newspaper budget? Fits a linear regression (raise the degree for curves) on 200 markets and reports how close its forecasts land.',
    graph: graphOf(
      [adSpend, adChannels, testSplit(false), { id: 'model', type: 'model.linearRegression', params: { degree: 1, l2: 0 } }, evaluate()],
      [...tableChain('data', 'columns', 'split'), ...trainedOn('split', 'model'), ...evaluated('model')],
    ),
  },
  {
    id: 'compare-response-models',
    name: 'Compare models for campaign response',
    description:
      'Which kind of model should we trust to pick whom to call? Trains a logistic regression, a decision tree and a support vector machine on the same bank campaign data, with the rare "yes" answers balanced, and ranks them on one leaderboard with ROC curves and 5-fold cross-validation.',
    graph: graphOf(
      [
        bankCalls(),
        oneHot,
        zScore,
        testSplit(true),
        { id: 'balance', type: 'prep.balance', params: { method: 'classWeights' } },
        { id: 'logistic', type: 'model.logisticRegression', params: { l2: 1 } },
        { id: 'tree', type: 'model.decisionTree', params: { maxDepth: 6, minSamplesLeaf: 20 } },
        { id: 'svm', type: 'model.svm', params: { kernel: 'rbf', C: 1, maxTrainRows: 3000 } },
        evaluate({ folds: 5 }),
      ],
      [
        ...tableChain('data', 'encode', 'scale', 'split'),
        ['split', 'split', 'balance', 'split'],
        ...trainedOn('balance', 'logistic', 'tree', 'svm'),
        ...evaluated('logistic', 'tree', 'svm'),
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
        bankCalls(),
        oneHot,
        testSplit(true),
        { id: 'tree', type: 'model.decisionTree', params: { maxDepth: 3, minSamplesLeaf: 50, classWeight: 'balanced' } },
        evaluate(),
      ],
      [...tableChain('data', 'encode', 'split'), ...trainedOn('split', 'tree'), ...evaluated('tree')],
    ),
  },
  {
    id: 'score-call-list',
    name: 'Rank a call list by likely response',
    description:
      'Whom should the call centre ring first this week? Trains a response model on past campaign calls, then scores a client list and sorts it from most to least likely to subscribe, ready to download as CSV. Swap the list node for a CSV file node with your own export.',
    graph: graphOf(
      [
        bankCalls('history'),
        oneHot,
        zScore,
        testSplit(true),
        { id: 'model', type: 'model.logisticRegression', params: { l2: 1, classWeight: 'balanced' } },
        bankCalls('list'),
        { id: 'score', type: 'predict.score', params: { sortByProbability: true, addReasons: true } },
      ],
      [
        ...tableChain('history', 'encode', 'scale', 'split'),
        ...trainedOn('split', 'model'),
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
        adSpend,
        adChannels,
        { id: 'rank', type: 'features.select', params: { k: 3 } },
        testSplit(false),
        { id: 'straight', type: 'model.linearRegression', params: { degree: 1 } },
        { id: 'curved', type: 'model.linearRegression', params: { degree: 2 } },
        { id: 'tree', type: 'model.decisionTree', params: { maxDepth: 4, minSamplesLeaf: 5 } },
        evaluate({ folds: 5 }),
      ],
      [
        ...tableChain('data', 'columns', 'rank', 'split'),
        ...trainedOn('split', 'straight', 'curved', 'tree'),
        ...evaluated('straight', 'curved', 'tree'),
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
        testSplit(true),
        { id: 'cnn', type: 'model.cnn' },
        { id: 'hog', type: 'features.image', params: { method: 'hog', cellSize: 4, orientations: 9 } },
        { id: 'svm', type: 'model.svm', params: { kernel: 'rbf', C: 10 } },
        evaluate(),
      ],
      [
        ['photos', 'images', 'prepare', 'images'],
        ['prepare', 'images', 'split', 'table'],
        ...trainedOn('split', 'cnn', 'hog'),
        ['hog', 'split', 'svm', 'data'],
        ...evaluated('cnn', 'svm'),
      ],
    ),
  },
];

export function findTemplate(idOrName: string): TemplateInfo | undefined {
  const wanted = idOrName.trim().toLowerCase();
  return templates.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
}
