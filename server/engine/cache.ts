import { createHash } from 'node:crypto';
import type { NodeRunResult } from '../../nodes/define';
import { heldBytes } from './held-bytes';

/**
 * What the cache keeps between runs at most, by the bytes its outputs hold. Reusing a small table or
 * split makes a re-run on the canvas instant; keeping a million-row table (400 MB) would keep it for
 * the whole run and after, so outputs past the budget are computed again instead.
 */
export const OUTPUT_CACHE_BYTES = 256 * 1024 * 1024;

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

/** Keeps the most recently used node outputs, up to a fixed count and a budget of bytes held. */
export class OutputCache {
  private entries = new Map<string, { result: NodeRunResult; bytes: number }>();
  private total = 0;

  constructor(
    private readonly capacity = 64,
    private readonly maxBytes = OUTPUT_CACHE_BYTES,
  ) {}

  get(key: string): NodeRunResult | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit?.result;
  }

  /** Keeps `result` unless its outputs alone exceed the budget; older entries make room. */
  set(key: string, result: NodeRunResult): void {
    this.remove(key);
    const bytes = heldBytes(result.outputs);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { result, bytes });
    this.total += bytes;
    while (this.entries.size > this.capacity || this.total > this.maxBytes) this.remove(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held by the outputs kept. */
  get bytes(): number {
    return this.total;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }
}
