import {
  applyPcaStep,
  applySelectBestStep,
  fitPcaStep,
  fitSelectBestStep,
  pcaOutputNames,
  type PcaStepSpec,
  type PcaStepState,
  type SelectBestStepSpec,
  type SelectBestStepState,
} from './feature-steps';
import { categoryCodes, distinctValues, isMissing, labelsOf, takeRows, type Column, type ColumnType, type Frame } from '../frame';
import { PreprocessingError } from './preprocessing-error';

/**
 * One preparation step as the user configured it. An empty `columns` (or `features`) list means the
 * usual ones: every column but the target (selectColumns, cleanMissing), every text column (oneHot),
 * every number column (normalize). The target column is never filled, encoded or scaled.
 */
export type StepSpec =
  | { kind: 'selectColumns'; features: string[]; target: string | null /* null = keep the current target */ }
  | { kind: 'cleanMissing'; strategy: 'dropRows' | FillStrategy; columns: string[]; fillValue: string }
  | { kind: 'oneHot'; columns: string[]; dropFirst: boolean }
  | { kind: 'normalize'; method: 'zscore' | 'minmax'; columns: string[] }
  | PcaStepSpec
  | SelectBestStepSpec;

/** 'constant' reads fillValue as a number for number columns. */
type FillStrategy = 'mean' | 'median' | 'mode' | 'constant';

interface ColumnInfo {
  name: string;
  type: ColumnType;
}

/** Everything needed to repeat the preprocessing on new rows; plain JSON, stored with models. */
export interface FittedPreprocessingJSON {
  steps: { spec: StepSpec; state: unknown }[];
  /** Raw columns the steps read, with the type they had when fitted. */
  inputColumns: ColumnInfo[];
  target: string | null;
  outputColumns: ColumnInfo[];
}

export { PreprocessingError } from './preprocessing-error';

interface SelectState {
  features: string[];
  target: string | null;
}
interface CleanMissingState {
  /** Rows missing a value in any of these are removed. */
  dropWhenMissing: string[];
  fills: { column: string; value: number | string }[];
}
interface OneHotState {
  encodings: { column: string; categories: string[]; dropFirst: boolean }[];
}
interface NormalizeState {
  /** Each value becomes (value - offset) / scale. */
  columns: { name: string; offset: number; scale: number }[];
}
type StepState = SelectState | CleanMissingState | OneHotState | NormalizeState | PcaStepState | SelectBestStepState;

// Beyond this many categories one-hot encoding is almost surely an identifier column, and the
// resulting table would not fit in memory for large files.
const MAX_ONE_HOT_CATEGORIES = 250;

export function fitPreprocessing(
  specs: StepSpec[],
  frame: Frame,
  target: string | null,
): { fitted: FittedPreprocessingJSON; output: Frame; target: string | null } {
  if (target !== null) requireColumn(frame, target);
  let current = frame;
  let currentTarget = target;
  const steps: FittedPreprocessingJSON['steps'] = [];
  for (const spec of specs) {
    const { state, target: nextTarget } = fitStep(spec, current, currentTarget);
    current = applyStep(spec, state, current);
    currentTarget = nextTarget;
    assertUniqueNames(current);
    steps.push({ spec: structuredClone(spec), state });
  }
  const outputColumns = describe(current.columns);
  const needed = neededInputs(steps, outputColumns.map((c) => c.name));
  const inputColumns = describe(frame.columns.filter((c) => needed.has(c.name)));
  return { fitted: { steps, inputColumns, target: currentTarget, outputColumns }, output: current, target: currentTarget };
}

/**
 * Repeats fitted steps on new rows and returns exactly the fitted output columns. With
 * hasTarget=false (scoring new data) the target column is not needed, and ignored if present.
 */
export function applyPreprocessing(
  fitted: FittedPreprocessingJSON,
  frame: Frame,
  options: { hasTarget?: boolean } = {},
): Frame {
  const ignoredTarget = options.hasTarget === false ? fitted.target : null;
  const withoutTarget = { columns: frame.columns.filter((c) => c.name !== ignoredTarget), rowCount: frame.rowCount };
  let current = conformInputs(fitted.inputColumns, withoutTarget, ignoredTarget);
  for (const step of fitted.steps) current = applyStep(step.spec, step.state as StepState, current);
  const names = fitted.outputColumns.map((c) => c.name).filter((name) => name !== ignoredTarget);
  return { columns: names.map((name) => requireColumn(current, name)), rowCount: current.rowCount };
}

function fitStep(spec: StepSpec, frame: Frame, target: string | null): { state: StepState; target: string | null } {
  switch (spec.kind) {
    case 'selectColumns':
      return fitSelect(spec, frame, target);
    case 'cleanMissing':
      return { state: fitCleanMissing(spec, frame, target), target };
    case 'oneHot':
      return { state: fitOneHot(spec, frame, target), target };
    case 'normalize':
      return { state: fitNormalize(spec, frame, target), target };
    case 'pca':
      return { state: fitPcaStep(spec, frame, target), target };
    case 'selectBest':
      return { state: fitSelectBestStep(spec, frame, target), target };
    default:
      throw new PreprocessingError(`Unknown preprocessing step "${(spec as { kind: string }).kind}".`);
  }
}

// Steps skip absent columns: conformInputs has already checked that only the ignored target can be absent.
const APPLY_STEP: Record<StepSpec['kind'], (state: never, frame: Frame) => Frame> = {
  selectColumns: applySelect,
  cleanMissing: applyCleanMissing,
  oneHot: applyOneHot,
  normalize: applyNormalize,
  pca: applyPcaStep,
  selectBest: applySelectBestStep,
};

function applyStep(spec: StepSpec, state: StepState, frame: Frame): Frame {
  return (APPLY_STEP[spec.kind] as (state: StepState, frame: Frame) => Frame)(state, frame);
}

/** Walks the steps backwards to find which raw columns the final output depends on. */
function neededInputs(steps: FittedPreprocessingJSON['steps'], outputs: string[]): Set<string> {
  const needed = new Set(outputs);
  for (let i = steps.length - 1; i >= 0; i--) {
    const { spec, state } = steps[i];
    if (spec.kind === 'cleanMissing') {
      const clean = state as CleanMissingState;
      for (const name of clean.dropWhenMissing) needed.add(name);
    } else if (spec.kind === 'pca') {
      const pca = state as PcaStepState;
      if (pcaOutputNames(pca).some((name) => needed.has(name))) pca.columns.forEach((name) => needed.add(name));
    } else if (spec.kind === 'oneHot') {
      for (const encoding of (state as OneHotState).encodings) {
        const outputs = encoding.categories.map((category) => encodedName(encoding.column, category));
        if (!outputs.some((name) => needed.has(name))) continue;
        outputs.forEach((name) => needed.delete(name));
        needed.add(encoding.column);
      }
    }
  }
  return needed;
}

// ---- selectColumns ----

function fitSelect(spec: Extract<StepSpec, { kind: 'selectColumns' }>, frame: Frame, current: string | null) {
  const target = spec.target ?? current;
  if (target !== null) requireColumn(frame, target);
  spec.features.forEach((name) => requireColumn(frame, name));
  const chosen = spec.features.length > 0 ? new Set(spec.features) : new Set(frame.columns.map((c) => c.name));
  const features = frame.columns.map((c) => c.name).filter((name) => chosen.has(name) && name !== target);
  if (features.length === 0) {
    const besides = target ? ` besides the target "${target}"` : '';
    throw new PreprocessingError(`No feature columns are left${besides}; pick at least one.`);
  }
  return { state: { features, target } satisfies SelectState, target };
}

function applySelect(state: SelectState, frame: Frame): Frame {
  const keep = new Set(state.features);
  if (state.target !== null) keep.add(state.target);
  return { columns: frame.columns.filter((c) => keep.has(c.name)), rowCount: frame.rowCount };
}

// ---- cleanMissing ----

function fitCleanMissing(
  spec: Extract<StepSpec, { kind: 'cleanMissing' }>,
  frame: Frame,
  target: string | null,
): CleanMissingState {
  const columns = chosenColumns(frame, spec.columns, target, () => true);
  const targetRows = target !== null ? [target] : [];
  if (spec.strategy === 'dropRows') {
    return { dropWhenMissing: [...targetRows, ...columns.map((c) => c.name)], fills: [] };
  }
  const strategy = spec.strategy;
  const fills = columns.map((column) => ({ column: column.name, value: fillValueFor(column, strategy, spec.fillValue) }));
  return { dropWhenMissing: targetRows, fills };
}

function fillValueFor(column: Column, strategy: FillStrategy, fillValue: string): number | string {
  if (strategy === 'constant') return constantFor(column, fillValue);
  // Text has no mean or median; its most frequent value is the closest equivalent.
  const statistic = column.type === 'category' ? 'mode' : strategy;
  const value = column.type === 'category' ? mostFrequent(column.values) : numberStatistic(column.values, strategy);
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
    throw new PreprocessingError(
      `Column "${column.name}" has no values to compute the ${statistic} from; fill it with a constant or remove it.`,
    );
  }
  return value;
}

function constantFor(column: Column, fillValue: string): number | string {
  const text = fillValue.trim();
  if (column.type === 'category') {
    if (text === '') throw new PreprocessingError(`Enter a fill value for the text column "${column.name}".`);
    return text;
  }
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) {
    throw new PreprocessingError(
      `Column "${column.name}" holds numbers, so the fill value must be a number ("${fillValue}" is not).`,
    );
  }
  return value;
}

function numberStatistic(values: Float64Array, strategy: 'mean' | 'median' | 'mode'): number {
  if (strategy === 'mean') return mean(values);
  return strategy === 'median' ? median(values) : (mostFrequent(values) ?? NaN);
}

function applyCleanMissing(state: CleanMissingState, frame: Frame): Frame {
  const fillByName = new Map(state.fills.map((fill) => [fill.column, fill.value]));
  const columns = frame.columns.map((column): Column => {
    if (!fillByName.has(column.name)) return column;
    const fill = fillByName.get(column.name)!;
    if (column.type === 'number') {
      const values = column.values;
      const filledValues = new Float64Array(values.length);
      // A plain loop: Float64Array.map calls a function per value, a large part of scoring a request's rows.
      for (let i = 0; i < values.length; i++) filledValues[i] = Number.isNaN(values[i]) ? (fill as number) : values[i];
      return { ...column, values: filledValues };
    }
    return { ...column, values: column.values.map((v) => v ?? String(fill)) };
  });
  const filled = { columns, rowCount: frame.rowCount };
  const checked = state.dropWhenMissing.map((name) => findColumn(filled, name)).filter((c) => c !== undefined);
  const keep: number[] = [];
  for (let row = 0; row < frame.rowCount; row++) {
    if (!checked.some((column) => isMissing(column, row))) keep.push(row);
  }
  return keep.length === frame.rowCount ? filled : takeRows(filled, keep);
}

function mean(values: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? NaN : sum / count;
}

function median(values: Float64Array): number {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  if (present.length === 0) return NaN;
  const middle = present.length >> 1;
  return present.length % 2 === 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
}

/** Most frequent present value; ties go to the smallest, like scikit-learn's most_frequent. */
function mostFrequent<T extends number | string>(values: Iterable<T | null>): T | null {
  const counts = new Map<T, number>();
  for (const v of values) if (v !== null && !Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && value < best)) [best, bestCount] = [value, count];
  }
  return best;
}

// ---- oneHot ----

function fitOneHot(spec: Extract<StepSpec, { kind: 'oneHot' }>, frame: Frame, target: string | null): OneHotState {
  const defaultToText = (c: Column) => c.type === 'category';
  const columns = chosenColumns(frame, spec.columns, target, defaultToText);
  const encodings = columns.map((column) => {
    const categories = categoriesOf(column);
    if (categories.length > MAX_ONE_HOT_CATEGORIES) {
      throw new PreprocessingError(
        `Column "${column.name}" has ${categories.length} different values; one-hot encoding it would add ` +
          'that many columns. Leave it out of One-hot encode, or remove it with Select columns.',
      );
    }
    return { column: column.name, categories, dropFirst: spec.dropFirst };
  });
  return { encodings };
}

function categoriesOf(column: Column): string[] {
  if (column.type === 'number') {
    const distinct = [...new Set(column.values.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
    return distinct.map(String);
  }
  return distinctValues(column) as string[];
}

export function encodedName(column: string, category: string): string {
  return `${column}=${category}`;
}

/** Encoded columns replace the original in place; unseen and missing values encode as all zeros. */
function applyOneHot(state: OneHotState, frame: Frame): Frame {
  const byColumn = new Map(state.encodings.map((e) => [e.column, e]));
  const columns = frame.columns.flatMap((column): Column[] => {
    const encoding = byColumn.get(column.name);
    if (!encoding) return [column];
    const kept = encoding.dropFirst ? encoding.categories.slice(1) : encoding.categories;
    const outputs = kept.map((category) => ({
      name: encodedName(column.name, category),
      type: 'number' as const,
      values: new Float64Array(frame.rowCount),
    }));
    const position = new Map(kept.map((category, i) => [category, i]));
    if (column.type === 'category') {
      // Each dictionary entry's output column (-1: none), looked up once rather than once per row.
      const { codes, dictionary } = categoryCodes(column);
      const outputOf = Int32Array.from(dictionary, (text) => position.get(text) ?? -1);
      for (let row = 0; row < frame.rowCount; row++) {
        const index = codes[row] < 0 ? -1 : outputOf[codes[row]];
        if (index >= 0) outputs[index].values[row] = 1;
      }
      return outputs;
    }
    const labels = labelsOf(column);
    for (let row = 0; row < frame.rowCount; row++) {
      const index = labels[row] === null ? undefined : position.get(labels[row]!);
      if (index !== undefined) outputs[index].values[row] = 1;
    }
    return outputs;
  });
  return { columns, rowCount: frame.rowCount };
}

// ---- normalize ----

function fitNormalize(spec: Extract<StepSpec, { kind: 'normalize' }>, frame: Frame, target: string | null): NormalizeState {
  const columns = chosenColumns(frame, spec.columns, target, (c) => c.type === 'number');
  return {
    columns: columns.map((column) => {
      if (column.type !== 'number') {
        const advice = 'one-hot encode it first';
        throw new PreprocessingError(`Column "${column.name}" holds text, so it cannot be normalized; ${advice}.`);
      }
      return { name: column.name, ...scalingOf(column.values, spec.method) };
    }),
  };
}

/** A constant (or empty) column gets scale 1, so it becomes 0 rather than NaN, like scikit-learn. */
function scalingOf(values: Float64Array, method: 'zscore' | 'minmax'): { offset: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return { offset: 0, scale: 1 };
  if (min === max) return { offset: min, scale: 1 };
  if (method === 'minmax') return { offset: min, scale: max - min };
  // Population variance (ddof = 0), as StandardScaler uses; mean() skips the missing values.
  const center = mean(values);
  return { offset: center, scale: Math.sqrt(mean(values.map((v) => (v - center) ** 2))) };
}

function applyNormalize(state: NormalizeState, frame: Frame): Frame {
  const byName = new Map(state.columns.map((c) => [c.name, c]));
  const columns = frame.columns.map((column): Column => {
    const scaling = byName.get(column.name);
    if (!scaling || column.type !== 'number') return column;
    const values = column.values;
    const scaled = new Float64Array(values.length);
    const { offset, scale } = scaling;
    for (let i = 0; i < values.length; i++) scaled[i] = (values[i] - offset) / scale;
    return { ...column, values: scaled };
  });
  return { columns, rowCount: frame.rowCount };
}

// ---- shared ----

/** Columns a step works on: those named, or (when none are) the ones `byDefault` accepts. Never the target. */
function chosenColumns(
  frame: Frame,
  names: string[],
  target: string | null,
  byDefault: (c: Column) => boolean,
): Column[] {
  const named = names.map((name) => requireColumn(frame, name));
  const columns = names.length > 0 ? named : frame.columns.filter(byDefault);
  return columns.filter((c, i) => c.name !== target && columns.findIndex((other) => other.name === c.name) === i);
}

/** Checks that every needed raw column is there with the fitted type; lossless type fixes are made quietly. */
function conformInputs(inputs: ColumnInfo[], frame: Frame, ignoredTarget: string | null): Frame {
  const absent = inputs
    .filter((input) => input.name !== ignoredTarget && !findColumn(frame, input.name))
    .map((input) => `"${input.name}"`);
  if (absent.length > 0) {
    const noun = absent.length === 1 ? 'column' : 'columns';
    throw new PreprocessingError(`The table is missing the ${noun} ${absent.join(', ')}, which the preprocessing needs.`);
  }
  const fittedType = new Map(inputs.map((input) => [input.name, input.type]));
  const columns = frame.columns.map((column): Column => {
    const expected = fittedType.get(column.name);
    if (expected === undefined || expected === column.type) return column;
    if (column.type === 'number') return { name: column.name, type: 'category', values: labelsOf(column) };
    const example = column.values.find((v) => v !== null);
    const allMissing = new Float64Array(frame.rowCount).fill(NaN);
    if (example === undefined) return { name: column.name, type: 'number', values: allMissing };
    throw new PreprocessingError(
      `Column "${column.name}" held numbers when the preprocessing was fitted, but here it holds text such as "${example}".`,
    );
  });
  return { columns, rowCount: frame.rowCount };
}

function requireColumn(frame: Frame, name: string): Column {
  const column = findColumn(frame, name);
  if (column) return column;
  const names = frame.columns.map((c) => c.name);
  const listed = names.length > 40 ? `${names.slice(0, 40).join(', ')}, …` : names.join(', ');
  throw new PreprocessingError(`Column "${name}" is not in the table (it has: ${listed}).`);
}

function findColumn(frame: Frame, name: string): Column | undefined {
  return frame.columns.find((c) => c.name === name);
}

function assertUniqueNames(frame: Frame): void {
  const names = frame.columns.map((c) => c.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new PreprocessingError(`Two columns would be called "${repeated}"; rename one of them first.`);
}

function describe(columns: Column[]): ColumnInfo[] {
  return columns.map((c) => ({ name: c.name, type: c.type }));
}
