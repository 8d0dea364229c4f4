import { z } from 'zod';
import { SupportVectorClassifier } from '../models/svm/svm';
import { defineModelNode } from './lib/model-node';
import { choice } from './lib/params';
import { classWeightOf, rareClassesParam, stratifiedSample } from './lib/training';

export const modelSvm = defineModelNode({
  type: 'model.svm',
  version: 1,
  title: 'Support vector machine',
  help: 'Predicts a category by drawing the widest possible boundary between the classes; with the RBF kernel the boundary can curve. Strong on small and medium tables; gives probabilities too.',
  params: z.object({
    kernel: choice(
      { rbf: 'Curved (RBF)', linear: 'Straight (linear)' },
      {
        default: 'rbf',
        title: 'Boundary shape (kernel)',
        description: 'RBF draws curved boundaries; linear draws straight ones and is faster.',
      },
    ),
    C: z.number().positive().default(1).meta({
      title: 'Strictness (C)',
      description: 'Higher values try harder to classify every training row correctly; lower values allow mistakes for a smoother, more general boundary.',
    }),
    gamma: choice(
      { scale: 'From the data (scale)', auto: '1 / number of columns (auto)', value: 'A value I choose' },
      {
        default: 'scale',
        title: 'Reach of each row (gamma)',
        description: 'Curved boundaries only: how far the influence of one training row reaches. "From the data" picks it from how spread out the columns are and suits most tables.',
      },
    ),
    gammaValue: z.number().positive().default(0.1).meta({
      title: 'Reach value (gamma)',
      description: 'Used when gamma is "A value I choose": larger values make boundaries follow single rows more closely.',
    }),
    classWeight: rareClassesParam('With "balanced", mistakes on a rare answer cost as much in total as on a common one.'),
    maxTrainRows: z.number().int().min(100).max(200_000).default(5_000).meta({
      title: 'Training rows at most',
      description: 'Training time grows with the square of the rows; above this many, the SVM trains on a random sample that keeps the class shares.',
    }),
  }),
  training: {
    tasks: ['classification'],
    limitRows: (params, set) => stratifiedSample(set, params.maxTrainRows),
    search: { kernel: true, C: { min: 0.01, max: 100, scale: 'log', steps: 5 }, gamma: { values: ['scale', 'auto'] } },
    estimator: (params, set) =>
      new SupportVectorClassifier({
        kernel: params.kernel,
        C: params.C,
        gamma: params.gamma === 'value' ? params.gammaValue : params.gamma,
        classWeight: classWeightOf(params, set),
        probability: true,
      }),
  },
  describe({ estimator: svm, set }, split) {
    const sampled = set.X.rows < split.train.rowCount;
    return {
      summary: [
        `${svm.supportVectorCount.toLocaleString('en-US')} training rows define the boundary (support vectors).`,
        ...(sampled
          ? [`Trained on a sample of ${set.X.rows.toLocaleString('en-US')} of the ${split.train.rowCount.toLocaleString('en-US')} training rows; raise "Training rows at most" to use more.`]
          : []),
      ],
    };
  },
});
