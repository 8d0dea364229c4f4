import { createHash } from 'node:crypto';
import type { NodeRunResult } from '../../nodes/define';

/** Stable JSON: object keys sorted, so equal params always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A node's output key: its type, version and parameters, and the keys of what feeds each input.
 * Equal keys mean equal outputs, so an unchanged node (and everything above it) is not recomputed.
 */
export function nodeKey(args: { type: string; version: number; params: unknown; inputKeys: Record<string, string> }): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

/** Keeps the most recently used node outputs, up to a fixed count. */
export class OutputCache {
  private entries = new Map<string, NodeRunResult>();

  constructor(private readonly capacity = 64) {}

  get(key: string): NodeRunResult | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, result: NodeRunResult): void {
    this.entries.delete(key);
    this.entries.set(key, result);
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
