/** How deep the walk goes: a split's frames reach their columns' arrays in four steps. */
const MAX_DEPTH = 8;

/**
 * Roughly how many bytes a node's port values keep alive: every typed array's buffer (counted once,
 * however many views share it) and eight bytes per array slot. Strings and what lives outside the
 * JavaScript heap (a TensorFlow.js model's weights) are not counted; tables are what matters here.
 */
export function heldBytes(value: unknown): number {
  const seen = new Set<object>();
  let total = 0;
  const stack: { item: unknown; depth: number }[] = [{ item: value, depth: 0 }];
  while (stack.length) {
    const { item, depth } = stack.pop()!;
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    seen.add(item);
    if (ArrayBuffer.isView(item)) {
      if (!seen.has(item.buffer)) {
        seen.add(item.buffer);
        total += item.buffer.byteLength;
      }
      continue;
    }
    if (item instanceof ArrayBuffer) {
      total += item.byteLength;
      continue;
    }
    if (depth >= MAX_DEPTH) continue;
    if (Array.isArray(item)) {
      total += 8 * item.length;
      for (const element of item) if (element !== null && typeof element === 'object') stack.push({ item: element, depth: depth + 1 });
      continue;
    }
    if (item instanceof Map || item instanceof Set) continue;
    // Getters are not called: a lazy value (a stored table read on first use) would load what it stands for.
    for (const [, property] of Object.entries(Object.getOwnPropertyDescriptors(item))) {
      if ('value' in property) stack.push({ item: property.value, depth: depth + 1 });
    }
  }
  return total;
}
