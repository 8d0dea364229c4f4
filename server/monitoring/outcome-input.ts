import Papa from 'papaparse';
import { formatCount, LIMITS } from '../../models/limits';
import { detectDelimiter } from '../../nodes/lib/csv';

/** One posted outcome as it arrived, before it is checked: `where` names it in errors ("Line 4", "Outcome 2"). */
export interface OutcomeEntry {
  where: string;
  predictionId: unknown;
  actual: unknown;
}

/** A post of outcomes refused whole (its shape, size or encoding), with the HTTP status to answer. */
export class OutcomeInputError extends Error {
  constructor(
    public readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const JSON_ADVICE = 'Send JSON like {"outcomes": [{"predictionId": "…", "actual": …}]}, or a CSV file (Content-Type: text/csv) with the columns predictionId,actual.';

function refuseCount(count: string): never {
  throw new OutcomeInputError(413, `This post has ${count} outcomes; the limit is ${formatCount(LIMITS.predict.outcomes)} per post.`);
}

/** `{ outcomes: [{ predictionId, actual }] }` → entries named "Outcome 1", "Outcome 2"… */
export function outcomesFromJson(body: unknown): OutcomeEntry[] {
  const list = (body as { outcomes?: unknown } | null)?.outcomes;
  if (!Array.isArray(list) || list.length === 0) throw new OutcomeInputError(400, JSON_ADVICE);
  if (list.length > LIMITS.predict.outcomes) refuseCount(formatCount(list.length));
  const entries: OutcomeEntry[] = [];
  // A for loop rather than map(): map() skips the holes of a sparse array.
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new OutcomeInputError(400, `Outcome ${i + 1} is not an object. ${JSON_ADVICE}`);
    const own = (key: string) => (Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined);
    entries.push({ where: `Outcome ${i + 1}`, predictionId: own('predictionId'), actual: own('actual') });
  }
  return entries;
}

/** Header names compared without case, spaces, dashes or underscores: "Prediction ID" is predictionId. */
const headerKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** A CSV with a header naming predictionId and actual (any order, other columns ignored) → entries named by line. */
export function outcomesFromCsv(bytes: Uint8Array): OutcomeEntry[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes).replace(/\r\n?/g, '\n');
  } catch {
    throw new OutcomeInputError(400, 'The CSV is not UTF-8 text; save it as "CSV UTF-8" and send it again.');
  }
  if (text.trim() === '') throw new OutcomeInputError(400, 'The CSV is empty. It needs a header line predictionId,actual and one line per outcome.');
  const rows: { cells: string[]; line: number }[] = [];
  let line = 1;
  let rowStart = 0;
  let unclosedQuote: number | null = null;
  Papa.parse<string[]>(text, {
    delimiter: detectDelimiter(text),
    newline: '\n',
    step: (result, parser) => {
      if (result.errors.some((e) => e.code === 'MissingQuotes')) unclosedQuote ??= line;
      if (result.data.some((cell) => cell.trim() !== '')) rows.push({ cells: result.data, line });
      // One more than the limit is enough to refuse the post; the rest is not read.
      if (rows.length > LIMITS.predict.outcomes + 1) parser.abort();
      for (let i = rowStart; i < result.meta.cursor; i++) if (text.charCodeAt(i) === 10) line++;
      rowStart = result.meta.cursor;
    },
  });
  if (unclosedQuote !== null) throw new OutcomeInputError(400, `Line ${unclosedQuote} of the CSV opens a quote (") that is never closed.`);
  const [header, ...data] = rows;
  const keys = header.cells.map(headerKey);
  const idColumn = keys.indexOf('predictionid');
  const actualColumn = keys.indexOf('actual');
  if (idColumn < 0 || actualColumn < 0) {
    const missing = [idColumn < 0 ? 'predictionId' : null, actualColumn < 0 ? 'actual' : null].filter(Boolean).join(' and ');
    throw new OutcomeInputError(400, `The CSV's first line must name its columns; it has no ${missing} column (found: ${header.cells.slice(0, 10).join(', ') || 'nothing'}).`);
  }
  if (data.length === 0) throw new OutcomeInputError(400, 'The CSV has a header but no outcomes.');
  if (data.length > LIMITS.predict.outcomes) refuseCount(`more than ${formatCount(LIMITS.predict.outcomes)}`);
  return data.map(({ cells, line: at }) => ({ where: `Line ${at}`, predictionId: cells[idColumn]?.trim(), actual: cells[actualColumn]?.trim() }));
}

/** Whether a Content-Type header says CSV (text/csv, or the application/csv some tools send). */
export function isCsvType(contentType: string | null): boolean {
  return /^\s*(text|application)\/csv\b/i.test(contentType ?? '');
}
