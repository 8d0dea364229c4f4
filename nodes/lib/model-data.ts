import { categoryCodes, columnsMatrix, getColumn, interleaveColumns, labelsOf, toMatrix, type CategoryColumn, type Frame, type Matrix } from '../../models/frame';
import { NodeInputError } from '../define';
import type { SplitValue } from '../values';

/** The feature columns of a split: every column but the target. */
export function featureNames(split: SplitValue): string[] {
  return split.train.columns.map((c) => c.name).filter((name) => name !== split.target);
}

/**
 * The feature columns last asked of each table, with the feature names they were picked for, and their
 * row-major copy while some matrix still holds it. Tables are never changed in place, so the models of one
 * split (and Evaluate scoring them) share the checked columns and that copy (at a million rows hundreds of
 * megabytes and a second or two). Each call answers a matrix of its own over them, which holds the copy only
 * once it reads it: a decision tree trained after logistic regression goes column by column and does not
 * keep logistic regression's copy alive. One per table, so asking for other features replaces it.
 */
interface SharedFeatures {
  key: string;
  columns: readonly Float64Array[];
  rowMajor: WeakRef<Float64Array> | null;
}

const lastFeatures = new WeakMap<Frame, SharedFeatures>();

export function featureMatrix(frame: Frame, features: string[]): Matrix {
  const key = features.join('\u0000');
  let shared = lastFeatures.get(frame);
  if (shared?.key !== key) {
    shared = { key, columns: buildFeatureMatrix(frame, features).columns!, rowMajor: null };
    lastFeatures.set(frame, shared);
  }
  const entry = shared;
  const rows = frame.rowCount;
  return columnsMatrix(entry.columns, rows, () => {
    const known = entry.rowMajor?.deref();
    if (known) return known;
    const data = interleaveColumns(entry.columns, rows);
    entry.rowMajor = new WeakRef(data);
    return data;
  });
}

function buildFeatureMatrix(frame: Frame, features: string[]): Matrix {
  const missing = features.filter((name) => !frame.columns.some((c) => c.name === name));
  if (missing.length) throw new NodeInputError(`The table lacks the column(s) the model was trained on: ${missing.join(', ')}.`);
  try {
    return toMatrix(frame, features);
  } catch (error) {
    throw new NodeInputError((error as Error).message);
  }
}

export function classIndices(frame: Frame, target: string, classes: string[]): Int32Array {
  const index = new Map(classes.map((label, i) => [label, i]));
  const column = getColumn(frame, target);
  if (column.type === 'category') return classIndicesOfCodes(column, target, index);
  const labels = labelsOf(column);
  return Int32Array.from(labels, (label, row) => {
    const found = label === null ? undefined : index.get(label);
    if (found === undefined) throw new NodeInputError(`Row ${row + 1} of "${target}" holds "${label ?? ''}", which is not a known class.`);
    return found;
  });
}

/** classIndices of a text column, through its codes: each dictionary entry is looked up once. */
function classIndicesOfCodes(column: CategoryColumn, target: string, index: Map<string, number>): Int32Array {
  const { codes, dictionary } = categoryCodes(column);
  const classOf = Int32Array.from(dictionary, (text) => index.get(text) ?? -1);
  const indices = new Int32Array(codes.length);
  for (let row = 0; row < codes.length; row++) {
    const found = codes[row] < 0 ? -1 : classOf[codes[row]];
    if (found < 0) throw new NodeInputError(`Row ${row + 1} of "${target}" holds "${column.values[row] ?? ''}", which is not a known class.`);
    indices[row] = found;
  }
  return indices;
}

export function numericTarget(frame: Frame, target: string): Float64Array {
  const column = getColumn(frame, target);
  if (column.type !== 'number') throw new NodeInputError(`The column to predict "${target}" holds text, not numbers.`);
  const missingRow = column.values.findIndex(Number.isNaN);
  if (missingRow >= 0) {
    throw new NodeInputError(`The column to predict "${target}" is empty in row ${missingRow + 1}; add a Clean missing values node.`);
  }
  return column.values;
}
