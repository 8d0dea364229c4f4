import { z } from 'zod';
import { LinearRegression } from '../models/linear-regression';
import { defineNode, NodeInputError } from './define';
import { featureMatrix, featureNames, numericTarget } from './lib/model-data';
import { requireInput } from './lib/table';
import type { ModelPreview } from './preview';
import type { ModelValue, SplitValue } from './values';

const formatNumber = (value: number) => Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });

export const modelLinearRegression = defineNode({
  type: 'model.linearRegression',
  version: 1,
  title: 'Linear regression',
  category: 'Model',
  help: 'Predicts a number (sales, spend, ...) as a weighted sum of the other columns. Raise the degree to follow curves.',
  inputs: [{ name: 'data', type: 'split', label: 'Train/test' }],
  outputs: [{ name: 'model', type: 'model', label: 'Model' }],
  params: z.object({
    degree: z.number().int().min(1).max(5).default(1).meta({
      title: 'Polynomial degree',
      description: '1 fits straight lines; 2 or 3 also fit curves and interactions (e.g. TV × Radio).',
    }),
    l2: z.number().min(0).default(0).meta({
      title: 'Regularization (L2)',
      description: 'Shrinks the weights to avoid overfitting; 0 means ordinary least squares.',
    }),
  }),
  async run({ params, inputs, ctx }) {
    const split = requireInput<SplitValue>(inputs, 'data');
    if (split.task !== 'regression') {
      throw new NodeInputError(
        `Linear regression predicts numbers, but "${split.target}" holds categories; use Logistic regression instead.`,
      );
    }
    const features = featureNames(split);
    const X = featureMatrix(split.train, features);
    const y = numericTarget(split.train, split.target);
    ctx.progress(0.1, 'Solving least squares');
    let regression: LinearRegression;
    try {
      regression = new LinearRegression(params).fit(X, y, features);
    } catch (error) {
      throw new NodeInputError((error as Error).message);
    }
    const names = regression.expandedNames;
    const model: ModelValue = {
      modelType: 'model.linearRegression',
      title: 'Linear regression',
      task: 'regression',
      target: split.target,
      features,
      classes: [],
      estimator: regression.toJSON(),
      preprocessing: split.preprocessing,
      trainRows: X.rows,
    };
    const coefficients = [
      { name: '(intercept)', values: [regression.intercept] },
      ...names.map((name, i) => ({ name, values: [regression.coefficients[i]] })),
    ];
    const strongest = names
      .map((name, i) => ({ name, value: regression.coefficients[i] }))
      .filter((c) => !c.name.includes('^') && !c.name.includes('×'))
      .slice(0, 3)
      .map((c) => `Each extra 1 of ${c.name} ${c.value >= 0 ? 'adds' : 'removes'} ${formatNumber(Math.abs(c.value))} to ${split.target}, other columns unchanged.`);
    const preview: ModelPreview = {
      kind: 'model',
      model: 'Linear regression',
      task: 'regression',
      target: split.target,
      trainRows: X.rows,
      features,
      coefficients,
      summary: [`Trained on ${X.rows.toLocaleString('en-US')} rows with ${names.length} inputs.`, ...(params.degree === 1 ? strongest : [])],
    };
    return { outputs: { model }, preview };
  },
});
