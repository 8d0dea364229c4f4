import { categoryCounts, type Column, type Frame } from '../frame';
import {
  driftLevel,
  histogram,
  histogramMedian,
  binIndex,
  ksFromHistograms,
  populationStabilityIndex,
  finiteValues,
  quantileEdgesOfFinite,
  type DriftLevel,
  type KsResult,
} from './drift';

/**
 * Compact profiles of a column: what a model learned from (the reference) and what it has scored since
 * (counts on the reference's bins), small enough to keep with a published model and per minute of traffic.
 */

/** Categories beyond this many (the most frequent in training) are counted together as "other". */
export const TOP_CATEGORIES = 20;

export interface NumberProfile {
  name: string;
  kind: 'number';
  /** Inner bin edges at the training deciles. */
  edges: number[];
  counts: number[];
  missing: number;
  min: number;
  max: number;
  mean: number;
}

export interface CategoryProfile {
  name: string;
  kind: 'category';
  categories: string[];
  /** One count per category, then one for every other value. */
  counts: number[];
  missing: number;
}

export type ColumnProfile = NumberProfile | CategoryProfile;

/** Counts of scored values on a reference's bins; numbers also keep their range. */
export interface ColumnCounts {
  counts: number[];
  missing: number;
  min?: number;
  max?: number;
  /** Numbers: the sum of the values counted, for their average. */
  sum?: number;
}

/** Columns are never changed in place, so a column profiled once (e.g. for two models trained on one split) is not profiled again. */
const profiled = new WeakMap<Column, ColumnProfile>();

export function profileColumn(column: Column): ColumnProfile {
  let profile = profiled.get(column);
  if (!profile) profiled.set(column, (profile = computeProfile(column)));
  return profile;
}

function computeProfile(column: Column): ColumnProfile {
  if (column.type === 'number') {
    const finite = finiteValues(column.values);
    let [min, max, sum] = [Infinity, -Infinity, 0];
    for (let i = 0; i < finite.length; i++) {
      const value = finite[i];
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
    }
    // After the min, max and sum: finding the deciles reorders the values.
    const edges = quantileEdgesOfFinite(finite);
    return {
      name: column.name,
      kind: 'number',
      edges,
      counts: histogram(edges, finite),
      missing: column.values.length - finite.length,
      min: finite.length ? min : NaN,
      max: finite.length ? max : NaN,
      mean: sum / finite.length,
    };
  }
  const { counts, missing: absent, dictionary } = categoryCounts(column);
  const tally = new Map<string, number>();
  let missing = absent;
  dictionary.forEach((value, code) => {
    if (value === '') missing += counts[code];
    else if (counts[code] > 0) tally.set(value, counts[code]);
  });
  const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, TOP_CATEGORIES);
  const other = ranked.slice(TOP_CATEGORIES).reduce((sum, [, count]) => sum + count, 0);
  return { name: column.name, kind: 'category', categories: kept.map(([c]) => c), counts: [...kept.map(([, c]) => c), other], missing };
}

export function profileFrame(frame: Frame, names?: readonly string[]): ColumnProfile[] {
  return frame.columns.filter((c) => !names || names.includes(c.name)).map(profileColumn);
}

export function emptyCounts(reference: ColumnProfile): ColumnCounts {
  return { counts: new Array<number>(reference.counts.length).fill(0), missing: 0 };
}

/** Adds one scored value to counts on the reference's bins. */
export function countValue(reference: ColumnProfile, counts: ColumnCounts, value: number | string | null): void {
  if (reference.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      counts.missing++;
      return;
    }
    counts.counts[binIndex(reference.edges, value)]++;
    counts.min = counts.min === undefined ? value : Math.min(counts.min, value);
    counts.max = counts.max === undefined ? value : Math.max(counts.max, value);
    counts.sum = (counts.sum ?? 0) + value;
    return;
  }
  if (value === null || value === '') {
    counts.missing++;
    return;
  }
  const index = reference.categories.indexOf(String(value));
  counts.counts[index === -1 ? reference.categories.length : index]++;
}

/** Adds `more` into `into`; counts on other bins (a reference that changed) are ignored. */
export function mergeCounts(into: ColumnCounts, more: ColumnCounts): void {
  if (into.counts.length !== more.counts.length) return;
  for (let i = 0; i < into.counts.length; i++) into.counts[i] += more.counts[i];
  into.missing += more.missing;
  if (more.min !== undefined) into.min = into.min === undefined ? more.min : Math.min(into.min, more.min);
  if (more.max !== undefined) into.max = into.max === undefined ? more.max : Math.max(into.max, more.max);
  if (more.sum !== undefined) into.sum = (into.sum ?? 0) + more.sum;
}

export interface ColumnDrift {
  column: string;
  kind: 'number' | 'category';
  rows: number;
  psi: number;
  level: DriftLevel;
  /** Numbers only: KS read on the decile bins. */
  ks?: KsResult;
  /** Numbers: the training median and the median of the scored rows (read from the bins). */
  medians?: { reference: number; current: number };
  /** Numbers: the training average and the average of the scored rows. */
  means?: { reference: number; current: number };
  flag: string;
}

/** Adjectives for columns whose direction reads better as a word than as "higher"/"lower". */
const DIRECTION_WORDS: Record<string, [string, string]> = {
  age: ['older', 'younger'],
  income: ['richer', 'poorer'],
  salary: ['better paid', 'less well paid'],
};

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

interface Centres {
  medians: { reference: number; current: number };
  means: { reference: number; current: number };
}

/**
 * The direction comes from the medians; the figures shown are averages, since a median read from bins is
 * rough once the values leave the training range (everything lands in the last, open bin).
 */
function numberFlag(column: string, level: DriftLevel, { medians, means }: Centres, subject: string): string {
  if (level === 'stable') return `"${column}" looks like what the model learned from.`;
  const up = medians.current === medians.reference ? means.current > means.reference : medians.current > medians.reference;
  const words = DIRECTION_WORDS[column.toLowerCase()];
  const direction = words ? (up ? words[0] : words[1]) : `${up ? 'higher' : 'lower'} in "${column}"`;
  const strength = level === 'major' ? '' : 'somewhat ';
  return `The ${subject} scored recently are ${strength}${direction} than those the model learned from (average ${formatNumber(means.current)} vs ${formatNumber(means.reference)}).`;
}

function categoryFlag(reference: CategoryProfile, current: ColumnCounts, level: DriftLevel): string {
  if (level === 'stable') return `"${reference.name}" looks like what the model learned from.`;
  const referenceTotal = reference.counts.reduce((s, c) => s + c, 0) || 1;
  const currentTotal = current.counts.reduce((s, c) => s + c, 0) || 1;
  const labels = [...reference.categories, 'other values'];
  let largest = 0;
  for (let i = 1; i < labels.length; i++) {
    const gap = (k: number) => Math.abs(current.counts[k] / currentTotal - reference.counts[k] / referenceTotal);
    if (gap(i) > gap(largest)) largest = i;
  }
  const was = reference.counts[largest] / referenceTotal;
  const now = current.counts[largest] / currentTotal;
  const label = largest === reference.categories.length ? 'values not seen in training' : `'${labels[largest]}'`;
  return `${now > was ? 'More' : 'Fewer'} ${label} in "${reference.name}" than in training (${percent(now)} vs ${percent(was)}).`;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
}

/** PSI, KS (numbers) and a plain-language flag for one column; `subject` names what a row is ("rows", "customers"). */
export function compareColumn(reference: ColumnProfile, current: ColumnCounts, subject = 'rows'): ColumnDrift {
  const rows = current.counts.reduce((s, c) => s + c, 0);
  const psi = populationStabilityIndex(reference.counts, current.counts);
  const level = driftLevel(psi);
  if (reference.kind === 'category') {
    return { column: reference.name, kind: 'category', rows, psi, level, flag: categoryFlag(reference, current, level) };
  }
  const medians = {
    reference: histogramMedian(reference.edges, reference.counts, reference.min, reference.max),
    current: histogramMedian(reference.edges, current.counts, current.min ?? reference.min, current.max ?? reference.max),
  };
  const means = { reference: reference.mean, current: (current.sum ?? NaN) / (rows || NaN) };
  return {
    column: reference.name,
    kind: 'number',
    rows,
    psi,
    level,
    ks: ksFromHistograms(reference.counts, current.counts),
    medians,
    means,
    flag: numberFlag(reference.name, level, { medians, means }, subject),
  };
}
