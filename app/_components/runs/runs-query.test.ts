import { describe, expect, it } from 'vitest';
import {
  canCompare,
  compareHref,
  dayToTime,
  EMPTY_FILTERS,
  MAX_COMPARE,
  nextSort,
  pageCount,
  parseRunIds,
  runHref,
  toggleSelected,
  toSearchFilters,
} from './runs-query';

describe('run search filters', () => {
  it('leaves empty controls out', () => {
    expect(toSearchFilters(EMPTY_FILTERS)).toEqual({});
  });

  it('reads numbers and whole days', () => {
    const filters = toSearchFilters({
      ...EMPTY_FILTERS,
      pipelineId: 'p1',
      status: ['failed'],
      metric: 'rocAuc',
      min: '0,8',
      max: 'abc',
      from: '2026-03-01',
      to: '2026-03-02',
    });
    expect(filters.pipelineId).toBe('p1');
    expect(filters.status).toEqual(['failed']);
    expect(filters.metric).toEqual({ name: 'rocAuc', min: 0.8 });
    expect(filters.from).toBe(new Date(2026, 2, 1).getTime());
    expect(filters.to).toBe(new Date(2026, 2, 3).getTime() - 1);
  });

  it('ignores a range without a metric', () => {
    expect(toSearchFilters({ ...EMPTY_FILTERS, min: '1' })).toEqual({});
  });

  it('rejects malformed days', () => {
    expect(dayToTime('03/01/2026')).toBeUndefined();
  });
});

describe('sorting', () => {
  const metrics = ['rocAuc', 'rmse'];
  it('flips the direction on the same column', () => {
    expect(nextSort({ by: 'startedAt', direction: 'desc' }, 'startedAt', metrics)).toEqual({ by: 'startedAt', direction: 'asc' });
  });

  it('starts with the most useful direction', () => {
    const current = { by: 'startedAt', direction: 'desc' } as const;
    expect(nextSort(current, 'pipeline', metrics).direction).toBe('asc');
    expect(nextSort(current, 'rocAuc', metrics).direction).toBe('desc');
    expect(nextSort(current, 'rmse', metrics).direction).toBe('asc');
    expect(nextSort(current, 'durationMs', metrics).direction).toBe('desc');
  });
});

describe('picking runs to compare', () => {
  it('adds and removes in order', () => {
    expect(toggleSelected(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleSelected(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('stops at the limit', () => {
    const full = Array.from({ length: MAX_COMPARE }, (_, i) => `r${i}`);
    expect(toggleSelected(full, 'extra')).toEqual(full);
    expect(canCompare(full)).toBe(true);
    expect(canCompare(['a'])).toBe(false);
  });

  it('builds and reads the compare address', () => {
    const href = compareHref(['a', 'b c']);
    expect(href).toBe('/compare?runs=a,b%20c');
    expect(parseRunIds(' a, b ,,a')).toEqual(['a', 'b']);
    expect(parseRunIds(undefined)).toEqual([]);
  });
});

describe('paging and links', () => {
  it('always has one page', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(101, 50)).toBe(3);
  });

  it('opens a run with the steps it ran with', () => {
    expect(runHref({ id: 'r 1' })).toBe('/editor?run=r%201');
  });
});
