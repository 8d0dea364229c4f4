import { z } from 'zod';
import { formatCount, LIMITS } from '../../models/limits';

/**
 * Building blocks of the model-file schema. Lists are checked element by element and stop at the
 * first bad one: zod would otherwise record one problem per bad element, and a damaged file can
 * hold millions of them.
 */

const { arrayLength, valueLength } = LIMITS.modelFile;

/** Finite (zod 4 refuses NaN and ±Infinity, and JSON's 1e999 parses to Infinity). */
export const finite = z.number();
export const whole = z.number().int();
export const count = z.number().int().min(0);
export const nameText = z.string().max(LIMITS.text.nameLength);
export const valueText = z.string().max(valueLength);
export const messageText = z.string().max(LIMITS.text.messageLength);

export type Ctx = z.core.$RefinementCtx;

/**
 * Adds a plain-language problem about one field; `message` reads after the field's name. The problem
 * stops the checks of every enclosing part, which would otherwise run on the broken value.
 */
export function problem(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message, continue: false });
}

/** Passes on the first problem a nested schema found, under `path`, stopping the enclosing checks. */
export function passOn(ctx: Ctx, path: (string | number)[], issues: readonly z.core.$ZodIssue[]): void {
  ctx.addIssue({ ...issues[0], path: [...path, ...issues[0].path], continue: false } as never);
}

/** "3 numbers", "1 name", "2 classes". */
export const plural = (n: number, noun: string, suffix = 's') => `${formatCount(n)} ${noun}${n === 1 ? '' : suffix}`;

/** How a value found in a file reads in a message: 12, "abc", a list, nothing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length > 40 ? `the text "${value.slice(0, 40)}…"` : `the text "${value}"`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${plural(value.length, 'item')}`;
  return 'a group of fields';
}

/** A list of at most `max` items, each checked by `item`; only the first bad item is reported. */
export function listOf<T extends z.ZodType>(item: T, max: number = arrayLength): z.ZodType<z.output<T>[]> {
  return z
    .array(z.unknown())
    .max(max)
    .superRefine((list, ctx) => {
      for (let i = 0; i < list.length; i++) {
        const result = item.safeParse(list[i]);
        if (!result.success) return passOn(ctx, [i], result.error.issues);
      }
    }) as unknown as z.ZodType<z.output<T>[]>;
}

/** A list of finite numbers, checked without zod's per-element work (weights can number millions). */
export const numberList = z
  .array(z.unknown())
  .max(arrayLength)
  .superRefine((list, ctx) => {
    for (let i = 0; i < list.length; i++) {
      const value = list[i];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problem(ctx, [i], `should be a number but is ${describeValue(value)}.`);
        return;
      }
    }
  }) as unknown as z.ZodType<number[]>;

export const nameList = listOf(nameText);
export const numberRows = listOf(numberList);

/** Names that must not repeat (columns of one table, classes of one target). */
export function uniqueNames(ctx: Ctx, path: (string | number)[], names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    if (seen.has(names[i])) return problem(ctx, [...path, i], `repeats the ${what} "${names[i]}".`);
    seen.add(names[i]);
  }
}

/** `list` must have `expected` items; `unit` and `reason` word the mismatch. */
export function requireLength(
  ctx: Ctx,
  path: (string | number)[],
  list: readonly unknown[],
  expected: number,
  unit: string,
  reason: string,
): boolean {
  if (list.length === expected) return true;
  problem(ctx, path, `has ${plural(list.length, unit)} but ${reason}.`);
  return false;
}
