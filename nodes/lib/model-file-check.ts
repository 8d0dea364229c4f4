import type { z } from 'zod';
import { formatCount } from '../../models/limits';
import { MODEL_FILE_FORMAT } from './model-node';
import { describeValue } from './model-file-parts';
import { modelFileJson } from './model-file-schema';
import { describePath, modelFileShapeProblem } from './model-file-shape';

/**
 * Why a parsed file is not a model this Pipelab can use, in plain words naming the field, or null.
 * The shape is measured first without recursion, so zod and everything after it only ever walk a
 * file of bounded depth.
 */
export function modelFileProblem(json: unknown): string | null {
  const shape = modelFileShapeProblem(json);
  if (shape) return shape;
  const file = json as { format?: unknown; formatVersion?: unknown } | null;
  if (typeof file !== 'object' || file === null || Array.isArray(file) || file.format !== MODEL_FILE_FORMAT) {
    return `it has no "format": "${MODEL_FILE_FORMAT}"; download one with "Download model" from a trained model.`;
  }
  if (typeof file.formatVersion === 'number' && file.formatVersion !== 1) {
    return `it has format version ${file.formatVersion}, which this Pipelab cannot read.`;
  }
  const result = modelFileJson.safeParse(json);
  return result.success ? null : describeIssue(result.error.issues[0], json);
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
  null: 'null',
  tuple: 'a list',
  record: 'a group of fields',
};

/** '"a" or "b"', 'one of "a", "b", "c"'. */
function choices(values: readonly unknown[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length <= 2 ? quoted.join(' or ') : `one of ${quoted.join(', ')}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function sizeWords(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, value: unknown): string {
  const big = issue.code === 'too_big';
  const limit = Number(big ? issue.maximum : issue.minimum);
  if (Array.isArray(value) || typeof value === 'string') {
    const [size, unit] = Array.isArray(value) ? [value.length, 'item'] : [value.length, 'character'];
    const has = `has ${formatCount(size)} ${unit}${size === 1 ? '' : 's'}`;
    return big ? `${has}; the limit is ${formatCount(limit)}.` : `${has}; it needs at least ${formatCount(limit)}.`;
  }
  const bound = big ? (issue.inclusive ? 'at most' : 'below') : issue.inclusive ? 'at least' : 'above';
  return `is ${describeValue(value)}; it must be ${bound} ${limit}.`;
}

/** One zod issue as a sentence: the field's path, then what is wrong with it. */
export function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const value = valueAt(root, issue.path);
  const field = `"${describePath(issue.path)}"`;
  switch (issue.code) {
    case 'custom':
      return `${field} ${issue.message}`;
    case 'invalid_type':
      if (value === undefined) return `${field} is missing.`;
      return `${field} should be ${EXPECTED[issue.expected] ?? issue.expected} but is ${describeValue(value)}.`;
    case 'too_big':
    case 'too_small':
      return `${field} ${sizeWords(issue, value)}`;
    case 'invalid_value':
      return `${field} is ${describeValue(value)}; it must be ${choices(issue.values)}.`;
    case 'invalid_union':
      if (value === undefined) return `${field} is missing.`;
      if ('options' in issue && Array.isArray(issue.options)) return `${field} is ${describeValue(value)}; it must be ${choices(issue.options)}.`;
      return `${field} cannot be ${describeValue(value)}.`;
    default:
      return `${field} is not valid here (${issue.message}).`;
  }
}
