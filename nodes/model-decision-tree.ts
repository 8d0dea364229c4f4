import { z } from 'zod';
import { DecisionTree } from '../models/tree/decision-tree';
import { defineModelNode } from './lib/model-node';
import { choice } from './lib/params';
import { classWeightOf, rareClassesParam } from './lib/training';
import type { TreeNodePreview } from './preview';
import type { SplitValue } from './values';

const MAX_TREE_NODES_SHOWN = 511;

export const modelDecisionTree = defineModelNode({
  type: 'model.decisionTree',
  version: 1,
  title: 'Decision tree',
  help: 'Learns a flowchart of yes/no questions about the columns ("duration over 8 minutes?") that ends in a prediction. Easy to read; predicts categories or numbers.',
  params: z.object({
    criterion: choice(
      { gini: 'Fewest mixed answers (Gini)', entropy: 'Most information gained (entropy)' },
      {
        default: 'gini',
        title: 'How questions are picked (criterion)',
        description:
          'How a question is judged when predicting categories; both usually give similar trees. Numbers always use squared error.',
      },
    ),
    maxDepth: z.number().int().min(0).max(50).default(5).meta({
      title: 'Questions in a row at most (depth)',
      description: 'How many questions in a row at most. Deeper trees fit the training rows better but may not generalize; 0 means no limit.',
    }),
    minSamplesLeaf: z.number().int().min(1).default(20).meta({
      title: 'Rows behind each answer at least (leaf size)',
      description: 'Each final answer must rest on at least this many training rows; larger values give simpler, steadier trees.',
    }),
    classWeight: rareClassesParam('With "balanced", a rare answer counts as much as a common one.'),
  }),
  training: {
    tasks: ['classification', 'regression'],
    search: { maxDepth: { values: [2, 4, 6, 8, 10] }, minSamplesLeaf: { values: [1, 5, 20, 50] } },
    estimator: (params, set) =>
      new DecisionTree({
        task: set.task,
        criterion: set.task === 'regression' ? 'squared_error' : params.criterion,
        maxDepth: params.maxDepth || null,
        minSamplesLeaf: params.minSamplesLeaf,
        classWeight: classWeightOf(params, set),
      }),
  },
  describe({ estimator: tree, model }, split) {
    const importances = tree.featureImportances
      .map((importance, j) => ({ feature: model.features[j], importance }))
      .filter((item) => item.importance > 0)
      .sort((a, b) => b.importance - a.importance);
    const top = importances.slice(0, 3).map((item) => `${item.feature} (${(item.importance * 100).toFixed(0)}%)`);
    return {
      importances,
      tree: treePreview(tree, split),
      summary: [
        `The tree asks up to ${tree.depth} questions and ends in ${tree.leafCount} answers.`,
        ...(top.length ? [`The columns that matter most: ${top.join(', ')}.`] : []),
      ],
    };
  },
});

function formatValue(value: number): string {
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

function treePreview(tree: DecisionTree, split: SplitValue): TreeNodePreview[] {
  return tree.nodes.slice(0, MAX_TREE_NODES_SHOWN).map((node) => {
    let prediction: string;
    if (split.task === 'classification') {
      const total = node.value.reduce((a, b) => a + b, 0) || 1;
      const best = node.value.indexOf(Math.max(...node.value));
      prediction = `predicts "${split.classes[best]}" (${((node.value[best] / total) * 100).toFixed(0)}%)`;
    } else {
      prediction = `predicts ${formatValue(node.value[0])}`;
    }
    const rule = tree.ruleFor(node.id) ?? undefined;
    const inRange = (id?: number) => (id !== undefined && id < MAX_TREE_NODES_SHOWN ? id : undefined);
    return {
      id: node.id,
      depth: node.depth,
      samples: node.samples,
      value: node.value,
      impurity: node.impurity,
      rule,
      left: inRange(node.left),
      right: inRange(node.right),
      prediction,
    };
  });
}
