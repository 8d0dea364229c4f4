import { profileFrame, type ColumnProfile } from '../../models/evaluation/drift-profile';
import { takeRows } from '../../models/frame';
import type { Estimator } from '../../models/estimator';
import type { ArtifactRef, NodeContext } from '../define';
import type { ModelValue, SplitValue } from '../values';
import { predictColumns } from './score-rows';

/** What a model learned from, kept beside it so that a prediction API can tell when new rows look different. */
export interface TrainingReference {
  rows: number;
  /** The raw input columns of the training rows, before any preprocessing. */
  columns: ColumnProfile[];
  /** The model's own predictions on (a sample of) its training rows. */
  predictions: ColumnProfile[];
}

/** Predicting every training row again would double the cost of training large tables; 500 rows fill the decile bins of the predictions well enough. */
const PREDICTION_SAMPLE_ROWS = 500;
/** Multiclass models add one probability column per class; the label and a few columns tell the story. */
const MAX_PREDICTION_COLUMNS = 3;

export function trainingReference(model: ModelValue, split: SplitValue, estimator: Estimator): TrainingReference | undefined {
  if (model.imageFeatures || model.imagePreparation) return undefined;
  const inputs = model.preprocessing.inputColumns.map((c) => c.name).filter((name) => name !== model.target);
  const raw = split.rawTrain;
  const step = Math.max(1, Math.ceil(raw.rowCount / PREDICTION_SAMPLE_ROWS));
  const sample = takeRows(raw, Array.from({ length: Math.ceil(raw.rowCount / step) }, (_, i) => i * step));
  let predictions: ColumnProfile[] = [];
  try {
    predictions = profileFrame({ columns: predictColumns(model, sample, estimator).columns.slice(0, MAX_PREDICTION_COLUMNS), rowCount: sample.rowCount });
  } catch {
    // A model that cannot score row tables one by one still gets its input columns profiled.
  }
  return { rows: raw.rowCount, columns: profileFrame(raw, inputs), predictions };
}

/** Stores the reference next to the model file; publishing the model keeps a copy with the prediction API. */
export function storeTrainingReference(reference: TrainingReference, ctx: NodeContext): ArtifactRef {
  return ctx.artifacts.write(`${ctx.nodeId}-training-reference.json`, JSON.stringify(reference));
}
