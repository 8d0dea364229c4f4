import { z } from 'zod';
import { LinearRegression } from '../models/linear/linear-regression';
import { defineModelNode } from './lib/model-node';

const formatNumber = (value: number) => Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });

export const modelLinearRegression = defineModelNode({
  type: 'model.linearRegression',
  version: 1,
  title: 'Linear regression',
  help: 'Predicts a number (sales, spend, ...) as a weighted sum of the other columns. Raise the degree to follow curves.',
  params: z.object({
    degree: z.number().int().min(1).max(5).default(1).meta({
      title: 'Curve flexibility (polynomial degree)',
      description: '1 fits straight lines; 2 or 3 also follow curves and columns that work together (e.g. TV × Radio). Higher degrees can chase noise.',
    }),
    l2: z.number().min(0).default(0).meta({
      title: 'Shrink weights: ridge strength (L2)',
      description: 'Keeps the weights small so the model does not chase quirks of the training rows. 0 fits the rows as closely as possible.',
    }),
  }),
  training: {
    tasks: ['regression'],
    search: { degree: { values: [1, 2, 3] }, l2: { values: [0, 0.01, 0.1, 1, 10, 100] } },
    estimator: (params) => new LinearRegression(params),
  },
  fittingMessage: 'Solving least squares',
  describe({ estimator: regression }, split, params) {
    const names = regression.expandedNames;
    const coefficients = [
      { name: '(intercept)', values: [regression.intercept] },
      ...names.map((name, i) => ({ name, values: [regression.coefficients[i]] })),
    ];
    const effects =
      params.degree === 1
        ? names
            .map((name, i) => ({ name, value: regression.coefficients[i] }))
            .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
            .slice(0, 3)
            .map(
              (c) =>
                `Each extra 1 of ${c.name} ${c.value >= 0 ? 'adds' : 'removes'} ${formatNumber(Math.abs(c.value))} to ${split.target}, other columns unchanged.`,
            )
        : [];
    return {
      coefficients,
      coefficientHeaders: ['Weight'],
      warnings: regression.warnings.length ? regression.warnings : undefined,
      summary: effects,
    };
  },
});
