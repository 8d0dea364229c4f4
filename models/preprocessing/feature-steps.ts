import { SelectKBest, type ScoreFunction, type SelectKBestJSON } from './feature-selection';
import { getColumn, labelsOf, toMatrix, type Column, type Frame } from '../frame';
import { PCA, type PCAJSON } from './pca';
import { PreprocessingError } from './preprocessing-error';

/**
 * Feature-extraction steps for tables. Like the other preprocessing steps they are fitted on the
 * training rows only and stored as plain JSON with the model.
 */
export type PcaStepSpec = { kind: 'pca'; components: number; columns: string[] /* empty = every number column but the target */ };
export type SelectBestStepSpec = { kind: 'selectBest'; k: number; score: 'auto' | ScoreFunction };

export interface PcaStepState {
  columns: string[];
  pca: PCAJSON;
}

export interface SelectBestStepState {
  candidates: string[];
  selector: SelectKBestJSON;
}

function numberColumns(frame: Frame, names: string[], target: string | null, step: string): string[] {
  const chosen = names.length ? names : frame.columns.filter((c) => c.type === 'number' && c.name !== target).map((c) => c.name);
  for (const name of chosen) {
    const column = frame.columns.find((c) => c.name === name);
    if (!column) throw new PreprocessingError(`Column "${name}" is not in the table (it has: ${frame.columns.map((c) => c.name).join(', ')}).`);
    if (column.type !== 'number') throw new PreprocessingError(`${step} works on numbers, but "${name}" holds text; one-hot encode it first.`);
  }
  if (chosen.length === 0) throw new PreprocessingError(`${step} found no number columns to work on.`);
  return chosen.filter((name) => name !== target);
}

function asMatrix(frame: Frame, names: string[], step: string) {
  try {
    return toMatrix(frame, names);
  } catch (error) {
    throw new PreprocessingError(`${step}: ${(error as Error).message}`);
  }
}

export function fitPcaStep(spec: PcaStepSpec, frame: Frame, target: string | null): PcaStepState {
  const columns = numberColumns(frame, spec.columns, target, 'PCA');
  const limit = Math.min(frame.rowCount, columns.length);
  if (spec.components > limit) {
    throw new PreprocessingError(`PCA can make at most ${limit} components from ${columns.length} columns and ${frame.rowCount} rows; lower "Components".`);
  }
  const pca = new PCA({ components: spec.components }).fit(asMatrix(frame, columns, 'PCA'), { featureNames: columns });
  return { columns, pca: pca.toJSON() };
}

/** Replaces the PCA's input columns by its components, where the first input column stood. */
export function applyPcaStep(state: PcaStepState, frame: Frame): Frame {
  const pca = PCA.fromJSON(state.pca);
  const projected = pca.transform(asMatrix(frame, state.columns, 'PCA'));
  const names = pca.componentNames();
  const components: Column[] = names.map((name, j) => ({
    name,
    type: 'number',
    values: Float64Array.from({ length: frame.rowCount }, (_, i) => projected.data[i * projected.cols + j]),
  }));
  const inputs = new Set(state.columns);
  const at = frame.columns.findIndex((c) => inputs.has(c.name));
  const kept = frame.columns.filter((c) => !inputs.has(c.name));
  kept.splice(at < 0 ? kept.length : at, 0, ...components);
  return { columns: kept, rowCount: frame.rowCount };
}

export function pcaOutputNames(state: PcaStepState): string[] {
  return PCA.fromJSON(state.pca).componentNames();
}

export function fitSelectBestStep(spec: SelectBestStepSpec, frame: Frame, target: string | null): SelectBestStepState {
  if (target === null) throw new PreprocessingError('Choose the column to predict first: the best columns are the ones that tell most about it.');
  const candidates = numberColumns(frame, [], target, 'Select best columns');
  if (spec.k > candidates.length) {
    throw new PreprocessingError(`There are only ${candidates.length} number columns to choose from; lower "Columns to keep (k)".`);
  }
  const targetColumn = getColumn(frame, target);
  const classification = targetColumn.type === 'category';
  const score: ScoreFunction = spec.score === 'auto' ? (classification ? 'anova' : 'fRegression') : spec.score;
  if (score === 'fRegression' && classification) throw new PreprocessingError(`"${target}" holds categories; use the ANOVA F or mutual information score.`);
  let y: Int32Array | Float64Array;
  let classCount: number | undefined;
  if (classification) {
    const labels = labelsOf(targetColumn);
    const classes = [...new Set(labels.filter((l): l is string => l !== null))].sort();
    if (labels.includes(null)) throw new PreprocessingError(`"${target}" has empty cells; clean them before selecting columns.`);
    y = Int32Array.from(labels, (label) => classes.indexOf(label!));
    classCount = classes.length;
  } else {
    y = (targetColumn as { values: Float64Array }).values;
  }
  const X = asMatrix(frame, candidates, 'Select best columns');
  const selector = new SelectKBest({ k: spec.k, score }).fit(X, y, { featureNames: candidates, classCount });
  return { candidates, selector: selector.toJSON() };
}

/** Drops the candidate columns that were not among the best; text columns pass through. */
export function applySelectBestStep(state: SelectBestStepState, frame: Frame): Frame {
  const kept = new Set(SelectKBest.fromJSON(state.selector).selected);
  const dropped = new Set(state.candidates.filter((name) => !kept.has(name)));
  return { columns: frame.columns.filter((c) => !dropped.has(c.name)), rowCount: frame.rowCount };
}
