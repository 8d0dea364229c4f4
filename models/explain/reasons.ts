import type { RowContributions } from './contributions';

/** What the answer is about: the chance of a class, or a predicted number. */
export type ExplainedOutcome = { kind: 'class'; label: string } | { kind: 'value'; target: string };

/** A column as the user knows it, with this row's value: "age 67", "job = retired". */
export function describeColumnValue(column: string, value: string | number | null): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return `${column} empty`;
  if (typeof value === 'string') return `${column} = ${value}`;
  return `${column} ${formatPlain(value)}`;
}

/** Numbers as people write them: 67, 1,250, 0.35, 3.1. */
export function formatPlain(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(abs >= 1 ? 3 : 2)).toString();
}

/**
 * The row's strongest reasons in words, largest effect first: "age 67 raises the chance of “yes”",
 * "balance 120 lowers the forecast by 3.1". Columns that changed nothing are left out.
 */
export function topReasons(
  explained: RowContributions,
  describe: (group: number) => string,
  outcome: ExplainedOutcome,
  count = 3,
): string[] {
  return explained.contributions
    .map((value, group) => ({ value, group }))
    .filter(({ value }) => Number.isFinite(value) && Math.abs(value) > 1e-12)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, count)
    .map(({ value, group }) => reasonSentence(describe(group), value, outcome));
}

export function reasonSentence(what: string, contribution: number, outcome: ExplainedOutcome): string {
  const verb = contribution > 0 ? 'raises' : 'lowers';
  if (outcome.kind === 'class') return `${what} ${verb} the chance of “${outcome.label}”`;
  return `${what} ${verb} the forecast by ${formatPlain(Math.abs(contribution))}`;
}
