/**
 * Measures parsed JSON without recursion, so a document nested thousands deep is refused before any
 * recursive code (zod, migrations, structured clone) can overflow the stack on it.
 */
export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays (a flat object is depth 1). */
  depth: number;
  /** Values of any kind in the whole document. */
  values: number;
}

/** The first limit the value breaks, in plain words, or null when it is within both. */
export function jsonShapeProblem(value: unknown, limits: JsonShapeLimits): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let count = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    count += 1;
    if (count > limits.values) return `it holds more than ${limits.values.toLocaleString('en-US')} values`;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limits.depth) return `it is nested more than ${limits.depth} levels deep`;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (count + stack.length + children.length > limits.values * 2) {
      return `it holds more than ${limits.values.toLocaleString('en-US')} values`;
    }
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return null;
}
