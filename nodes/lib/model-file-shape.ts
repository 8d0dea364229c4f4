import { formatCount, LIMITS } from '../../models/limits';

/** "model.estimator.nodes[3].left", the way problems name a place in a model file (long keys shortened). */
export function describePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') {
      text += `[${part}]`;
      continue;
    }
    const key = String(part).length > 40 ? `${String(part).slice(0, 40)}…` : String(part);
    text += /^[A-Za-z_$][\w$]*$/.test(key) ? (text ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
  }
  return text || 'the file';
}

interface Container {
  value: object;
  depth: number;
  // The path is rebuilt from these links only when there is a problem to report.
  parent: Container | null;
  key: string | number;
}

function pathOf(container: Container): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Container | null = container; at?.parent; at = at.parent) path.unshift(at.key);
  return path;
}

/**
 * The first place where a parsed model file nests too deep or holds too long an array, or null.
 * It walks with an explicit stack, so a file nested thousands deep cannot overflow the call stack,
 * and it stacks only objects and arrays: a legitimate file's arrays hold millions of numbers.
 */
export function modelFileShapeProblem(json: unknown): string | null {
  const { depth: maxDepth, arrayLength } = LIMITS.modelFile;
  if (typeof json !== 'object' || json === null) return null;
  const stack: Container[] = [{ value: json, depth: 1, parent: null, key: '' }];
  while (stack.length > 0) {
    const container = stack.pop()!;
    const { value, depth } = container;
    if (depth > maxDepth) {
      const path = pathOf(container);
      const shown = path.length > 8 ? `${describePath(path.slice(0, 8))}…` : describePath(path);
      return `"${shown}" is nested more than ${maxDepth} levels deep.`;
    }
    if (Array.isArray(value) && value.length > arrayLength) {
      return `"${describePath(pathOf(container))}" has ${formatCount(value.length)} items; the limit is ${formatCount(arrayLength)}.`;
    }
    const push = (key: string | number, child: unknown) => {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1, parent: container, key });
    };
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) push(i, value[i]);
    else for (const key of Object.keys(value)) push(key, (value as Record<string, unknown>)[key]);
  }
  return null;
}
