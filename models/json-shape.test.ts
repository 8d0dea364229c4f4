import { describe, expect, it } from 'vitest';
import { jsonShapeProblem } from './json-shape';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level += 1) value = level % 2 ? [value] : { inner: value };
  return value;
}

describe('jsonShapeProblem', () => {
  it('accepts documents within the limits', () => {
    expect(jsonShapeProblem({ a: [1, 2, { b: 'c' }] }, { depth: 3, values: 10 })).toBeNull();
    expect(jsonShapeProblem('text', { depth: 1, values: 1 })).toBeNull();
  });

  it('refuses a document nested 100,000 deep without overflowing the stack', () => {
    expect(jsonShapeProblem(nested(100_000), { depth: 32, values: 1_000_000 })).toBe('it is nested more than 32 levels deep');
    expect(jsonShapeProblem(nested(32), { depth: 32, values: 1_000 })).toBeNull();
    expect(jsonShapeProblem(nested(33), { depth: 32, values: 1_000 })).not.toBeNull();
  });

  it('refuses too many values, however flat', () => {
    expect(jsonShapeProblem(new Array(1000).fill(0), { depth: 4, values: 500 })).toBe('it holds more than 500 values');
  });
});
