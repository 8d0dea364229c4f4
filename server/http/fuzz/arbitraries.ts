/**
 * What an attacker or a careless upload sends: random values, and real files (a graph, a CSV, a zip, a
 * model file, a pipeline export) altered at random, so the cases reach deep into each parser instead of
 * stopping at its first check.
 */
import { fc } from '@fast-check/vitest';

/** Characters that break parsers: quotes, separators, line ends, a BOM, escapes, percent signs, non-Latin text. */
const nasty = fc.constantFrom('"', "'", ',', ';', '\t', '\n', '\r', '\uFEFF', '\\', '%', '%00', '../', '=', '+', '-', '@', '漢', '\u0000', '\u202E');
export const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 4 })), { maxLength: 30 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer({ min: 1000, max: 400_000 }).map((length) => 'x'.repeat(length)),
);

/** JSON nested `depth` levels deep, as text (building it as a value would overflow the test's own stack). */
export const deepJsonText = fc
  .record({ depth: fc.integer({ min: 30, max: 20_000 }), open: fc.constantFrom('[', '{"a":') })
  .map(({ depth, open }) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);

/** A JSON value with some leaves replaced by hostile ones. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, -5, 1e308, '', [], {}, { __proto__: { polluted: true } }) },
);

/** Replaces the value at a random path of a JSON document with a hostile one, or deletes it. */
function mutateAt(doc: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return replacement;
  const key = keys[path[0] % keys.length];
  if (path.length === 1 && remove) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete copy[key];
    return copy;
  }
  (copy as Record<string, unknown>)[key] = mutateAt((copy as Record<string, unknown>)[key], path.slice(1), replacement, remove);
  return copy;
}

/** A real JSON document with one to three of its values replaced or removed. */
export function mutatedJson(doc: unknown): fc.Arbitrary<unknown> {
  const mutation = fc.record({
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    replacement: hostileJson,
    remove: fc.boolean(),
  });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) =>
    mutations.reduce((current, { path, replacement, remove }) => mutateAt(current, path, replacement, remove), structuredClone(doc)),
  );
}

/** Real bytes with some flipped, cut or grown, or random bytes altogether. */
export function mutatedBytes(original: Uint8Array): fc.Arbitrary<Uint8Array> {
  const flips = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 12 });
  return fc.oneof(
    flips.map((changes) => {
      const copy = Uint8Array.from(original);
      for (const { at, value } of changes) copy[at % copy.length] = value;
      return copy;
    }),
    fc.nat({ max: original.length }).map((cut) => original.slice(0, cut)),
    fc.uint8Array({ maxLength: 2048 }).map((tail) => Uint8Array.from([...original, ...tail])),
    fc.uint8Array({ maxLength: 4096 }),
  );
}

/** CSV text as people and tools really get it wrong: ragged rows, stray quotes, odd separators and encodings. */
export const hostileCsv = fc
  .record({
    header: fc.array(hostileText, { minLength: 0, maxLength: 6 }),
    rows: fc.array(fc.array(fc.oneof(hostileText, fc.double().map(String), fc.integer().map(String)), { maxLength: 7 }), { maxLength: 40 }),
    separator: fc.constantFrom(',', ';', '\t', '|', ' '),
    lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ header, rows, separator, lineEnd }) => [header, ...rows].map((cells) => cells.join(separator)).join(lineEnd));

/** A path under the app with hostile segments and query strings, including broken percent-encoding. */
export const hostileUrl = fc
  .record({
    prefix: fc.constantFrom('/', '/api/', '/api/trpc/', '/api/artifacts/', '/api/predict/', '/api/uploads/', '/api/pipelines/', '/api/report/run/', '/api/report/shared/', '/api/report/compare', '/api/auth/', '/api/runs/', '/pipelines/', '/runs/', '/share/', '/invite/', '/_next/'),
    segments: fc.array(fc.oneof(hostileText.map(encodeURIComponent), fc.constantFrom('%', '%E0%A4%A', '%zz', '..', '%2e%2e', '%2F', 'runs.list', 'pipelines.list,pipelines.list', 'export', 'events')), { maxLength: 4 }),
    query: fc.array(fc.tuple(fc.constantFrom('input', 'batch', 'name', 'version', 'bundle', 'next', 'x'), fc.oneof(hostileText.map(encodeURIComponent), fc.constantFrom('%', '1', '{"json":', '%7B%22id%22%3A1%7D'))), { maxLength: 3 }),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
  })
  .map(({ prefix, segments, query, method }) => ({
    url: `${prefix}${segments.join('/')}${query.length ? `?${query.map(([key, value]) => `${key}=${value}`).join('&')}` : ''}`,
    method,
  }));
