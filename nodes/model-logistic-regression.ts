import { z } from 'zod';
import { LogisticRegression } from '../models/logistic-regression';
import { defineNode, NodeInputError } from './define';
import { classIndices, featureMatrix, featureNames } from './lib/model-data';
import { requireInput } from './lib/table';
import type { ModelPreview } from './preview';
import type { ModelValue, SplitValue } from './values';

export const modelLogisticRegression = defineNode({
  type: 'model.logisticRegression',
  version: 1,
  title: 'Logistic regression',
  category: 'Model',
  help: 'Predicts a category (will this customer say yes?) with a probability, from a weighted sum of the other columns.',
  inputs: [{ name: 'data', type: 'split', label: 'Train/test' }],
  outputs: [{ name: 'model', type: 'model', label: 'Model' }],
  params: z.object({
    l2: z.number().min(0).default(1).meta({
      title: 'Regularization (L2)',
      description: 'Higher values keep the weights small and the model simple; 1 is a good start (scikit-learn C = 1 / this).',
    }),
    classWeight: z
      .enum(['none', 'balanced'])
      .default('none')
      .meta({
        title: 'Rare classes',
        description: 'With "balanced", a rare answer (few "yes") counts as much as a common one, so the model does not ignore it.',
        enumLabels: ['Treat every row the same', 'Balance the classes'],
      }),
    maxIter: z.number().int().min(1).max(1000).default(100).meta({
      title: 'Maximum iterations',
      description: 'Upper bound on solver steps; the solver stops earlier once it has converged.',
    }),
  }),
  async run({ params, inputs, ctx }) {
    const split = requireInput<SplitValue>(inputs, 'data');
    if (split.task !== 'classification') {
      throw new NodeInputError(
        `Logistic regression predicts categories, but "${split.target}" holds numbers to estimate; use Linear regression instead.`,
      );
    }
    const features = featureNames(split);
    const X = featureMatrix(split.train, features);
    const y = classIndices(split.train, split.target, split.classes);
    const classifier = await new LogisticRegression(params).fit(X, y, split.classes.length, features, {
      signal: ctx.signal,
      onProgress: (fraction, message) => ctx.progress(fraction, message),
    });
    const model: ModelValue = {
      modelType: 'model.logisticRegression',
      title: 'Logistic regression',
      task: 'classification',
      target: split.target,
      features,
      classes: split.classes,
      estimator: classifier.toJSON(),
      preprocessing: split.preprocessing,
      trainRows: X.rows,
    };
    const weights = classifier.coefficients;
    const coefficients = [
      { name: '(intercept)', values: classifier.intercepts },
      ...features.map((name, j) => ({ name, values: weights.map((row) => row[j]) })),
    ];
    const preview: ModelPreview = {
      kind: 'model',
      model: 'Logistic regression',
      task: 'classification',
      target: split.target,
      trainRows: X.rows,
      features,
      classes: split.classes,
      coefficients,
      summary: [
        `Trained on ${X.rows.toLocaleString('en-US')} rows with ${features.length} inputs to predict ${split.classes.length} classes of "${split.target}".`,
        ...oddsSentences(features, weights, split.classes),
      ],
    };
    return { outputs: { model }, preview };
  },
});

/** For a yes/no target: the inputs that move the odds most, in plain words. */
function oddsSentences(features: string[], weights: number[][], classes: string[]): string[] {
  if (weights.length !== 1) return [];
  return features
    .map((name, j) => ({ name, weight: weights[0][j] }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 3)
    .map(({ name, weight }) => {
      const change = Math.exp(weight) - 1;
      const percent = Math.abs(change * 100).toFixed(0);
      return `Each extra unit of ${name} ${change >= 0 ? 'raises' : 'lowers'} the odds of "${classes[1]}" by ${percent}%.`;
    });
}
