import type { RunStatus } from '../../../server/api-types';
import { isLowerBetter } from '../format';

export const RUN_STATUSES: RunStatus[] = ['succeeded', 'failed', 'running', 'queued', 'cancelled', 'interrupted'];
export const MAX_COMPARE = 20;
export const MIN_COMPARE = 2;

export type SortDirection = 'asc' | 'desc';
export interface RunSort {
  by: string;
  direction: SortDirection;
}

/** What the filter controls hold, as typed: numbers and dates are still text here. */
export interface RunFilterDraft {
  pipelineId: string;
  status: RunStatus[];
  metric: string;
  min: string;
  max: string;
  /** "YYYY-MM-DD" from a date field, or "". */
  from: string;
  to: string;
  /** The user id of the person who started the runs, or "" for anyone. */
  startedBy: string;
}

export const EMPTY_FILTERS: RunFilterDraft = { pipelineId: '', status: [], metric: '', min: '', max: '', from: '', to: '', startedBy: '' };
export const DEFAULT_SORT: RunSort = { by: 'startedAt', direction: 'desc' };

export interface RunSearchFilters {
  pipelineId?: string;
  status?: RunStatus[];
  metric?: { name: string; min?: number; max?: number };
  from?: number;
  to?: number;
  startedBy?: string;
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Local midnight of a "YYYY-MM-DD" day, or the last millisecond of it with `endOfDay`. */
export function dayToTime(day: string, endOfDay = false): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const start = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return endOfDay ? start + 86_400_000 - 1 : start;
}

/** The server's filter object for what the controls hold; empty or unreadable fields are left out. */
export function toSearchFilters(draft: RunFilterDraft): RunSearchFilters {
  const filters: RunSearchFilters = {};
  if (draft.pipelineId) filters.pipelineId = draft.pipelineId;
  if (draft.status.length > 0) filters.status = [...draft.status];
  if (draft.metric) {
    const min = parseNumber(draft.min);
    const max = parseNumber(draft.max);
    filters.metric = { name: draft.metric, ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
  }
  const from = dayToTime(draft.from);
  const to = dayToTime(draft.to, true);
  if (from !== undefined) filters.from = from;
  if (to !== undefined) filters.to = to;
  if (draft.startedBy) filters.startedBy = draft.startedBy;
  return filters;
}

/** The first click on a column sorts it the most useful way round; the next click flips it. */
export function nextSort(current: RunSort, column: string, metricNames: readonly string[]): RunSort {
  if (current.by === column) return { by: column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  if (column === 'pipeline' || column === 'status') return { by: column, direction: 'asc' };
  if (metricNames.includes(column)) return { by: column, direction: isLowerBetter(column) ? 'asc' : 'desc' };
  return { by: column, direction: 'desc' };
}

/** Adds or removes a run from the selection, keeping the order of picking; at most MAX_COMPARE. */
export function toggleSelected(selected: readonly string[], runId: string): string[] {
  if (selected.includes(runId)) return selected.filter((id) => id !== runId);
  if (selected.length >= MAX_COMPARE) return [...selected];
  return [...selected, runId];
}

export function canCompare(selected: readonly string[]): boolean {
  return selected.length >= MIN_COMPARE && selected.length <= MAX_COMPARE;
}

export function compareHref(runIds: readonly string[]): string {
  return `/compare?runs=${runIds.map(encodeURIComponent).join(',')}`;
}

/** Run ids from the ?runs= value: split on commas, blanks and repeats dropped. */
export function parseRunIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return [...new Set(ids)];
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Where a run opens: the exact steps and settings it ran with, with its results. */
export function runHref(run: { id: string }): string {
  return `/editor?run=${encodeURIComponent(run.id)}`;
}
