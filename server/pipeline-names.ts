/*
 * How pipelines are named when nobody named them: at their first run, and when an import meets a name
 * the workspace already has. Pure, so the browser (naming at the first run) and the server (the same
 * names when a client gives none, and imports) name alike.
 */

/** The name of a blank canvas until someone names it. */
export const BLANK_PIPELINE_NAME = 'My pipeline';

/** Names the app once gave pipelines nobody named; they count as "not named". */
const PLACEHOLDER_NAMES = [BLANK_PIPELINE_NAME, 'Untitled pipeline'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Dec 2026", in the local calendar: the same in every browser, whatever its language. */
export function shortDate(date: Date): string {
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

/**
 * The name a pipeline is saved under at its first run: a placeholder or a template's name gets the date
 * ("Predict campaign response – 3 Dec 2026", "My pipeline – 3 Dec 2026"); a name someone typed is kept.
 */
export function firstRunName(current: string, templateNames: readonly string[], now: Date): string {
  const name = current.trim();
  if (!name || PLACEHOLDER_NAMES.includes(name)) return `${BLANK_PIPELINE_NAME} – ${shortDate(now)}`;
  if (templateNames.includes(name)) return `${name} – ${shortDate(now)}`;
  return name;
}

/** `wanted`, or "wanted (2)", "wanted (3)", ... : the first that none of `taken` has (ignoring case). */
export function unusedName(wanted: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((name) => name.trim().toLowerCase()));
  if (!used.has(wanted.trim().toLowerCase())) return wanted;
  for (let n = 2; ; n++) {
    const candidate = `${wanted} (${n})`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
