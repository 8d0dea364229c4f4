import { z } from 'zod';
import { usesDevice } from '../models/linear/logistic-objective';
import { LogisticRegression } from '../models/linear/logistic-regression';
import { defineModelNode } from './lib/model-node';
import { classWeightOf, rareClassesParam } from './lib/training';

export const modelLogisticRegression = defineModelNode({
  type: 'model.logisticRegression',
  version: 1,
  title: 'Logistic regression',
  help: 'Predicts a category (will this customer say yes?) with a probability, from a weighted sum of the other columns.',
  params: z.object({
    l2: z.number().min(0).default(1).meta({
      title: 'Shrink weights: ridge strength (L2)',
      description: 'Higher values keep the weights small and the model simple, so it does not chase quirks of the training rows. 1 is a good start.',
    }),
    classWeight: rareClassesParam('With "balanced", a rare answer (few "yes") counts as much as a common one, so the model does not ignore it.'),
    maxIter: z.number().int().min(1).max(1000).default(100).meta({
      title: 'Training steps at most (iterations)',
      description: 'How long the model may keep adjusting its weights. It stops earlier once they stop changing; raise this only if it says it did not finish.',
    }),
  }),
  training: {
    tasks: ['classification'],
    // Good strengths span several powers of ten: 0.001 to 100 (scikit-learn's C from 1000 to 0.01).
    search: { l2: { min: 0.001, max: 100, scale: 'log', steps: 6 } },
    // Several classes on a mid-sized table run their matrix products on TensorFlow.js (models/linear/logistic-objective.ts).
    tensorflow: (set) => set.task === 'classification' && usesDevice(set.X, set.classes.length),
    estimator: (params, set) => new LogisticRegression({ ...params, classWeight: classWeightOf(params, set) }),
  },
  describe({ estimator: classifier, model }, split) {
    const weights = classifier.coefficients;
    const binary = weights.length === 1;
    const coefficients = [
      { name: '(intercept)', values: classifier.intercepts },
      ...model.features.map((name, j) => ({ name, values: weights.map((row) => row[j]) })),
    ];
    return {
      // A yes/no model shows one weight per column and its odds ratio.
      coefficients: binary ? coefficients.map((c) => ({ name: c.name, values: [c.values[0], Math.exp(c.values[0])] })) : coefficients,
      coefficientHeaders: binary ? [`Weight for "${split.classes[1]}"`, 'Odds ratio'] : split.classes,
      warnings: classifier.converged ? undefined : ['The solver stopped at its iteration limit before converging; raise "Maximum iterations".'],
      summary: binary ? oddsSentences(model.features, weights[0], split.classes[1]) : [],
    };
  },
});

/** For a yes/no target: the inputs that move the odds most, in plain words. */
function oddsSentences(features: string[], weights: number[], positive: string): string[] {
  return features
    .map((name, j) => ({ name, weight: weights[j] }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 3)
    .map(({ name, weight }) => {
      const change = Math.exp(weight) - 1;
      const size = Math.abs(change) >= 1 ? `${(1 + change).toFixed(1)}×` : `${Math.abs(change * 100).toFixed(0)}%`;
      const verb = change >= 0 ? (Math.abs(change) >= 1 ? 'multiplies' : 'raises') : 'lowers';
      return `Each extra unit of ${name} ${verb} the odds of "${positive}" by ${size}.`;
    });
}
