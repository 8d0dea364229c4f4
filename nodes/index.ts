import type { NodeDefinition } from './define';
import { dataCsv } from './data-csv';
import { dataSample } from './data-sample';
import { evalEvaluate } from './eval-evaluate';
import { modelLinearRegression } from './model-linear-regression';
import { modelLogisticRegression } from './model-logistic-regression';
import { prepCleanMissing } from './prep-clean-missing';
import { prepNormalize } from './prep-normalize';
import { prepOneHot } from './prep-one-hot';
import { prepSelectColumns } from './prep-select-columns';
import { prepSplit } from './prep-split';

/** Every node type, in palette order. Adding a node = adding its file and one line here. */
export const allNodes: NodeDefinition[] = [
  dataSample,
  dataCsv,
  prepSelectColumns,
  prepCleanMissing,
  prepOneHot,
  prepNormalize,
  prepSplit,
  modelLinearRegression,
  modelLogisticRegression,
  evalEvaluate,
] as unknown as NodeDefinition[];
