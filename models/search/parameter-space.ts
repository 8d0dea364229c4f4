import { seededRandom } from '../split';

/**
 * The settings a search tries, as scikit-learn's ParameterGrid and ParameterSampler build them: plain data
 * in, candidate settings out, knowing nothing of the models they are for.
 */

export type SettingValue = string | number;

/** One setting's candidates: a list of values, or a range (log scale for strengths and rates). */
export type SearchDimension =
  | { kind: 'values'; values: readonly SettingValue[] }
  | { kind: 'range'; min: number; max: number; scale: 'linear' | 'log'; integer: boolean; steps: number };

/** Setting name → its candidates. */
export type ParameterSpace = Record<string, SearchDimension>;

/** One combination of settings to try. */
export type Candidate = Record<string, SettingValue>;

/** The values a grid takes from a dimension: a range gives `steps` evenly spaced points (on its scale). */
export function gridValues(dimension: SearchDimension): SettingValue[] {
  if (dimension.kind === 'values') return [...dimension.values];
  const { min, max, scale, integer, steps } = dimension;
  const points = Array.from({ length: steps }, (_, i) => {
    const t = steps === 1 ? 0 : i / (steps - 1);
    const value = scale === 'log' ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min);
    return integer ? Math.round(value) : Number(value.toPrecision(6));
  });
  return [...new Set(points)];
}

/** Settings in scikit-learn's order: by name, alphabetically. */
function sortedNames(space: ParameterSpace): string[] {
  return Object.keys(space).sort();
}

/** How many combinations the full grid holds. */
export function gridSize(space: ParameterSpace): number {
  return sortedNames(space).reduce((size, name) => size * gridValues(space[name]).length, 1);
}

/**
 * Every combination, in ParameterGrid's order (names sorted, the last name changing fastest), so ties
 * between equally good settings are settled the same way as GridSearchCV: the first one wins.
 */
export function parameterGrid(space: ParameterSpace): Candidate[] {
  let candidates: Candidate[] = [{}];
  for (const name of sortedNames(space)) {
    const values = gridValues(space[name]);
    candidates = candidates.flatMap((candidate) => values.map((value) => ({ ...candidate, [name]: value })));
  }
  return candidates;
}

/** At most `budget` combinations of the grid: all of them, or `budget` spread evenly over it. */
export function gridWithin(space: ParameterSpace, budget: number): { candidates: Candidate[]; gridSize: number } {
  const grid = parameterGrid(space);
  if (grid.length <= budget) return { candidates: grid, gridSize: grid.length };
  const picked = Array.from({ length: budget }, (_, i) => grid[Math.floor((i * grid.length) / budget)]);
  return { candidates: picked, gridSize: grid.length };
}

/**
 * `count` random combinations, the same for the same seed: each value drawn from its list, or from its
 * range (log-uniform on a log scale). Like ParameterSampler, a space of lists only is drawn without
 * repeats, and when it holds no more than `count` combinations every one is tried.
 */
export function sampleCandidates(space: ParameterSpace, count: number, seed: number): Candidate[] {
  const names = sortedNames(space);
  if (names.every((name) => space[name].kind === 'values') && gridSize(space) <= count) return parameterGrid(space);
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (let tries = 0; candidates.length < count && tries < count * 50; tries++) {
    const candidate = Object.fromEntries(names.map((name) => [name, draw(space[name], random)]));
    const key = JSON.stringify(candidate);
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push(candidate);
  }
  return candidates;
}

function draw(dimension: SearchDimension, random: () => number): SettingValue {
  if (dimension.kind === 'values') return dimension.values[Math.floor(random() * dimension.values.length)];
  const { min, max, scale, integer } = dimension;
  if (scale === 'log') {
    const value = Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
    return integer ? Math.round(value) : Number(value.toPrecision(4));
  }
  if (integer) return Math.min(max, Math.floor(min + random() * (max - min + 1)));
  return Number((min + random() * (max - min)).toPrecision(4));
}
