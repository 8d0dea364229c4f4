import type { ParamJsonSchema } from '../../server/api-types';

export type FieldKind =
  | 'dataset'
  | 'model'
  | 'imageArchive'
  | 'column'
  | 'columns'
  | 'enum'
  | 'boolean'
  | 'number'
  | 'integer'
  | 'list'
  | 'text'
  | 'json';

export interface FieldInfo {
  kind: FieldKind;
  schema: ParamJsonSchema;
  /** The value may be left empty (null). */
  nullable: boolean;
}

/** Unwraps `anyOf: [X, { type: 'null' }]`, keeping the outer title, description and widget. */
function unwrapNullable(schema: ParamJsonSchema): { schema: ParamJsonSchema; nullable: boolean } {
  const variants = (schema.anyOf ?? schema.oneOf) as ParamJsonSchema[] | undefined;
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const type = (schema.type as string[]).find((name) => name !== 'null');
    return { schema: { ...schema, type }, nullable: true };
  }
  if (!Array.isArray(variants)) return { schema, nullable: false };
  const nonNull = variants.filter((variant) => variant.type !== 'null');
  const nullable = nonNull.length < variants.length;
  if (nonNull.length !== 1) return { schema, nullable };
  const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = schema;
  return { schema: { ...nonNull[0], ...outer }, nullable };
}

/** Whole-number schemas carry the safe-integer limits as bounds; those are no real limit for a person. */
function meaningfulBounds(schema: ParamJsonSchema): ParamJsonSchema {
  const real = (bound: unknown) => typeof bound === 'number' && Math.abs(bound) < 1e15;
  const result = { ...schema };
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    if (key in result && !real(result[key])) delete result[key];
  }
  return result;
}

/** Decides which input a parameter gets, from its JSON schema alone. */
export function describeField(raw: ParamJsonSchema): FieldInfo {
  const unwrapped = unwrapNullable(raw);
  const schema = meaningfulBounds(unwrapped.schema);
  const nullable = unwrapped.nullable;
  const info = (kind: FieldKind): FieldInfo => ({ kind, schema, nullable });
  if (schema.widget === 'dataset') return info('dataset');
  if (schema.widget === 'model') return info('model');
  if (schema.widget === 'imageArchive') return info('imageArchive');
  if (schema.widget === 'column') return info('column');
  if (schema.widget === 'columns') return info('columns');
  if (Array.isArray(schema.enum)) return info('enum');
  switch (schema.type) {
    case 'boolean':
      return info('boolean');
    case 'integer':
      return info('integer');
    case 'number':
      return info('number');
    case 'string':
      return info('text');
    case 'array':
      return info(schema.items?.type === 'string' || !schema.items ? 'list' : 'json');
    default:
      return info('json');
  }
}

/** "age, job , balance" → ["age", "job", "balance"]. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Plain-language range hint for a number field, e.g. "Between 0.05 and 0.5". */
export function rangeHint(schema: ParamJsonSchema): string | null {
  const min = schema.minimum ?? (schema.exclusiveMinimum as number | undefined);
  const max = schema.maximum ?? (schema.exclusiveMaximum as number | undefined);
  if (min !== undefined && max !== undefined) return `Between ${min} and ${max}.`;
  if (min !== undefined) return `At least ${min}.`;
  if (max !== undefined) return `At most ${max}.`;
  return null;
}

/** A problem with a typed number, or null when it is fine. */
export function checkNumber(value: number, schema: ParamJsonSchema, integer: boolean): string | null {
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (integer && !Number.isInteger(value)) return 'Enter a whole number.';
  if (schema.minimum !== undefined && value < schema.minimum) return `Must be at least ${schema.minimum}.`;
  if (schema.maximum !== undefined && value > schema.maximum) return `Must be at most ${schema.maximum}.`;
  const exMin = schema.exclusiveMinimum as number | undefined;
  const exMax = schema.exclusiveMaximum as number | undefined;
  if (typeof exMin === 'number' && value <= exMin) return `Must be more than ${exMin}.`;
  if (typeof exMax === 'number' && value >= exMax) return `Must be less than ${exMax}.`;
  return null;
}
