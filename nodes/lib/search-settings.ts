import { z } from 'zod';
import { LIMITS } from '../../models/limits';
import type { ParameterSpace, SearchDimension, SettingValue } from '../../models/search/parameter-space';
import { choice } from './params';

/** Shown only while a search is asked for. */
const whenSearching = { search: ['grid', 'random'] };

/**
 * The "Search for the best settings" options every model node offers, added to its own settings by
 * `withSearchSettings`: which kind of search, how many settings to try, how many folds score each.
 */
const searchShape = {
  search: choice(
    { off: 'No, use the settings above', grid: 'Try every combination (grid)', random: 'Try random combinations' },
    {
      default: 'off',
      title: 'Search for the best settings',
      description:
        'Tries other values of the settings above, scores each try by cross-validation on the training rows, and trains the model with the best one. Every try shows in a leaderboard.',
    },
  ),
  searchTrials: z.number().int().min(1).max(LIMITS.tuning.trials).default(20).meta({
    title: 'Settings to try at most (trials)',
    description: `Each try trains the model once per fold, so more tries take longer. At most ${LIMITS.tuning.trials}.`,
    showWhen: whenSearching,
  }),
  searchFolds: z.number().int().min(2).max(LIMITS.tuning.folds).default(5).meta({
    title: 'Folds per try (cross-validation)',
    description: 'Each try is trained this many times, each time scored on a different share of the training rows. More folds give steadier scores.',
    showWhen: whenSearching,
  }),
};

export type SearchSettings = z.output<z.ZodObject<typeof searchShape>>;
export const SEARCH_SETTING_NAMES = Object.keys(searchShape);

/** A model's own settings schema with the search options added after them. */
export type WithSearch<P extends z.ZodObject> = z.ZodObject<P['shape'] & typeof searchShape>;

export function withSearchSettings<P extends z.ZodObject>(params: P): WithSearch<P> {
  return params.extend(searchShape) as unknown as WithSearch<P>;
}

/**
 * How one of a node's settings is searched: `true` takes its candidates from the setting's own definition
 * (every named choice; a bounded whole number's values; five points of a bounded range), a list of values,
 * or a range (log scale for strengths and rates, whose good values span several powers of ten).
 */
export type SearchedSetting =
  | true
  | { values: readonly SettingValue[] }
  | { min: number; max: number; scale?: 'linear' | 'log'; steps?: number; integer?: boolean };

/** Setting name → how it is searched; settings left out keep the node's value. */
export type SearchDeclaration = Record<string, SearchedSetting>;

interface JsonSetting {
  type?: string;
  enum?: SettingValue[];
  enumLabels?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  title?: string;
}

/** The searched space and the words the leaderboard shows for it. */
export interface SearchSpace {
  space: ParameterSpace;
  settingLabels: Record<string, string>;
  valueLabels: Record<string, Record<string, string>>;
}

/**
 * The space a node's search tries, from its settings' own definitions and its declaration. Without a
 * declaration every setting whose candidates its definition gives (choices, bounded numbers) is searched.
 */
export function searchSpaceOf(params: z.ZodObject, declaration?: SearchDeclaration): SearchSpace {
  const properties = (z.toJSONSchema(params, { io: 'input' }).properties ?? {}) as Record<string, JsonSetting>;
  const names = declaration ? Object.keys(declaration) : Object.keys(properties).filter((name) => !SEARCH_SETTING_NAMES.includes(name));
  const result: SearchSpace = { space: {}, settingLabels: {}, valueLabels: {} };
  for (const name of names) {
    const setting = properties[name];
    if (!setting) throw new Error(`The search names a setting the node does not have: ${name}.`);
    const declared = declaration?.[name] ?? true;
    const dimension = declared === true ? derivedDimension(setting) : declaredDimension(declared, setting);
    if (!dimension) {
      if (declaration) throw new Error(`The setting "${name}" gives no candidates of its own; declare its values or range.`);
      continue;
    }
    result.space[name] = dimension;
    result.settingLabels[name] = shortLabel(setting.title ?? name);
    if (setting.enum && setting.enumLabels) {
      result.valueLabels[name] = Object.fromEntries(setting.enum.map((value, i) => [String(value), shortLabel(setting.enumLabels![i] ?? String(value))]));
    }
  }
  return result;
}

/** Whole-number settings carry the safe-integer limits as bounds when they have none of their own. */
const realBound = (bound: number | undefined) => (typeof bound === 'number' && Math.abs(bound) < 1e15 ? bound : undefined);

function derivedDimension(setting: JsonSetting): SearchDimension | null {
  if (setting.enum) return { kind: 'values', values: setting.enum };
  const min = realBound(setting.minimum) ?? realBound(setting.exclusiveMinimum);
  const max = realBound(setting.maximum);
  if (min === undefined || max === undefined) return null;
  const integer = setting.type === 'integer';
  if (integer && max - min < 8) return { kind: 'values', values: Array.from({ length: max - min + 1 }, (_, i) => min + i) };
  return { kind: 'range', min, max, scale: 'linear', integer, steps: 5 };
}

function declaredDimension(declared: Exclude<SearchedSetting, true>, setting: JsonSetting): SearchDimension {
  if ('values' in declared) return { kind: 'values', values: declared.values };
  return {
    kind: 'range',
    min: declared.min,
    max: declared.max,
    scale: declared.scale ?? 'linear',
    integer: declared.integer ?? setting.type === 'integer',
    steps: declared.steps ?? 5,
  };
}

/** The short name a setting's title ends with: "Questions in a row at most (depth)" → "depth". */
export function shortLabel(title: string): string {
  const match = /\(([^()]+)\)\s*$/.exec(title);
  return match ? match[1] : title;
}
