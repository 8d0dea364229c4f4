import type { ColumnSummary } from '../preview';

/*
 * Which column of an uploaded table a model could learn to predict, and which one is obviously the
 * answer. Pure: reads the column summaries an upload already records, so the server (refusing a file at
 * upload) and the browser (preselecting the column to predict) decide alike.
 */

/** Names people give the column that holds the answer (compared ignoring case and surrounding spaces). */
export const ANSWER_COLUMN_NAMES = ['y', 'target', 'label', 'outcome', 'class', 'churn', 'subscribed'] as const;

const quoted = (name: string) => `“${name}”`;

/**
 * Whether a model could learn to predict the column: numbers that vary, or text that repeats (yes/no, a
 * segment) and has at least two values. Text that differs on every row (ids, names, e-mails) cannot be learnt.
 */
export function isPredictable(column: ColumnSummary, rowCount: number): boolean {
  const present = rowCount - column.missing;
  if (present < 2) return false;
  if (column.type === 'number') return column.min !== undefined && column.max !== undefined && column.min < column.max;
  const distinct = column.distinct ?? 0;
  return distinct >= 2 && distinct < present;
}

/** Why no column of the table can be the one to predict, in plain words; null when one can. */
export function noTargetReason(columns: ColumnSummary[], rowCount: number): string | null {
  if (rowCount < 2) return `The file has ${rowCount === 1 ? 'only one row' : 'no rows'} of data: a model learns from many rows, with at least two different answers.`;
  if (columns.length === 1) {
    return `The file has only one column (${quoted(columns[0].name)}): a model needs one column to predict and at least one other to learn from. If the file has more, check the values are separated by commas, semicolons or tabs.`;
  }
  if (columns.some((column) => isPredictable(column, rowCount))) return null;
  return 'No column can be predicted: every column either holds a different text on each row (like ids or names) or the same value on every row. A model needs a column with repeating answers, such as yes/no, a category or a number.';
}

export interface TargetSuggestion {
  column: string;
  /** The line shown by the field, e.g. “Preselected “y”: it is the last column and has two values.” */
  reason: string;
}

/**
 * The column that is obviously the answer, if any: one named like an answer (`y`, `target`, `churn`, ...;
 * the last such when several are), or else a last column with two values; null when nothing is obvious.
 */
export function suggestTarget(columns: ColumnSummary[], rowCount: number): TargetSuggestion | null {
  if (columns.length < 2) return null;
  const last = columns[columns.length - 1];
  const lastTwoValued = last.distinct === 2 && isPredictable(last, rowCount);
  const named = columns.filter((column) => (ANSWER_COLUMN_NAMES as readonly string[]).includes(column.name.trim().toLowerCase()) && isPredictable(column, rowCount));
  const chosen = named.at(-1) ?? (lastTwoValued ? last : undefined);
  if (!chosen) return null;
  const why = chosen === last && lastTwoValued ? 'it is the last column and has two values' : 'columns called that usually hold the answer to predict';
  return { column: chosen.name, reason: `Preselected ${quoted(chosen.name)}: ${why}.` };
}

export interface TargetChoice {
  /** The column to predict with the new file ('' when none). */
  target: string;
  /** What changed and why, for the line beside the field; empty when nothing did. */
  notes: string[];
}

/**
 * The column to predict once a data source reads `fileName`: the chosen one is kept if the new file has
 * it; otherwise it is cleared (saying so), and an obvious answer column is preselected (saying why).
 */
export function targetForFile(current: string, fileName: string, columns: ColumnSummary[], rowCount: number): TargetChoice {
  if (current && columns.some((column) => column.name === current)) return { target: current, notes: [] };
  const notes = current ? [`${fileName} has no column ${quoted(current)}, so the column to predict was cleared.`] : [];
  const suggestion = suggestTarget(columns, rowCount);
  if (!suggestion) return { target: '', notes: current ? [...notes, 'Choose the column to predict below.'] : notes };
  return { target: suggestion.column, notes: [...notes, suggestion.reason] };
}
