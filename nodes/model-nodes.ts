import type { ModelNodeDefinition } from './lib/model-node';
import { modelDecisionTree } from './model-decision-tree';
import { modelLinearRegression } from './model-linear-regression';
import { modelLogisticRegression } from './model-logistic-regression';
import { modelSvm } from './model-svm';

/**
 * The models that train on table rows, in palette order. Anything that trains a model again (Evaluate's
 * cross-validation) finds its training here, by the model's type. The convolutional network trains on
 * photos and is never retrained after its node.
 */
export const tableModelNodes: ModelNodeDefinition[] = [modelLinearRegression, modelLogisticRegression, modelDecisionTree, modelSvm];

/** The node that trains models of this type on table rows, if any. */
export function tableModelNode(modelType: string): ModelNodeDefinition | undefined {
  return tableModelNodes.find((node) => node.type === modelType);
}
