import { ConvNet, type ConvNetJSON } from './cnn/cnn';
import type { Estimator } from './estimator';
import { LinearRegression, type LinearRegressionJSON } from './linear/linear-regression';
import { LogisticRegression, type LogisticRegressionJSON } from './linear/logistic-regression';
import { SupportVectorClassifier, type SvmJSON } from './svm/svm';
import { DecisionTree, type DecisionTreeJSON } from './tree/decision-tree';

/** Every trained model kind a saved model may hold, by the `kind` its toJSON writes. */
const RESTORERS: Record<string, (json: never) => Estimator> = {
  linearRegression: (json: LinearRegressionJSON) => LinearRegression.fromJSON(json),
  logisticRegression: (json: LogisticRegressionJSON) => LogisticRegression.fromJSON(json),
  decisionTree: (json: DecisionTreeJSON) => DecisionTree.fromJSON(json),
  supportVectorClassifier: (json: SvmJSON) => SupportVectorClassifier.fromJSON(json),
  convNet: (json: ConvNetJSON) => ConvNet.fromJSON(json),
};

/**
 * Rebuilds a trained estimator from its saved JSON. Each class's fromJSON checks the rest of the
 * shape; an unknown kind is refused with a plain Error (models know nothing of node errors).
 */
export function restoreEstimator(json: unknown): Estimator {
  const kind = (json as { kind?: unknown } | null)?.kind;
  const restore = typeof kind === 'string' && Object.hasOwn(RESTORERS, kind) ? RESTORERS[kind] : undefined;
  if (!restore) throw new Error(`This Pipelab cannot use a model of kind "${kind ?? 'unknown'}".`);
  return restore(json as never);
}
