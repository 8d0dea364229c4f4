import type { NodeDefinition } from './define';
import { dataCsv } from './data-csv';
import { dataImages } from './data-images';
import { dataModel } from './data-model';
import { dataSample } from './data-sample';
import { evalEvaluate } from './eval-evaluate';
import { featuresImage } from './features-image';
import { featuresPca } from './features-pca';
import { featuresSelect } from './features-select';
import { modelCnn } from './model-cnn';
import { tableModelNodes } from './model-nodes';
import { predictScore } from './predict-score';
import { prepBalance } from './prep-balance';
import { prepCleanMissing } from './prep-clean-missing';
import { prepImage } from './prep-image';
import { prepNormalize } from './prep-normalize';
import { prepOneHot } from './prep-one-hot';
import { prepSelectColumns } from './prep-select-columns';
import { prepSplit } from './prep-split';

/** Every node type, in palette order. Adding a node = adding its file and one line here. */
export const allNodes: NodeDefinition[] = [
  dataSample,
  dataCsv,
  dataModel,
  dataImages,
  prepSelectColumns,
  prepCleanMissing,
  prepOneHot,
  prepNormalize,
  prepImage,
  featuresPca,
  featuresSelect,
  featuresImage,
  prepSplit,
  prepBalance,
  ...tableModelNodes,
  modelCnn,
  evalEvaluate,
  predictScore,
];
