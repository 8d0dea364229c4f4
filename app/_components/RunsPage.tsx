'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage, useTRPC } from '../trpc';
import { RunsFilters } from './runs/RunsFilters';
import {
  canCompare,
  compareHref,
  DEFAULT_SORT,
  EMPTY_FILTERS,
  MAX_COMPARE,
  nextSort,
  pageCount,
  toggleSelected,
  toSearchFilters,
  type RunFilterDraft,
  type RunSort,
} from './runs/runs-query';
import { RunsTable } from './runs/RunsTable';
import { isRunActive } from '../../server/api-types';
import styles from './RunsPage.module.css';
import ui from './ui.module.css';

const PAGE_SIZE = 50;

/** Kept while the app is open, so coming back from a run finds the same filters, page and ticks. */
const remembered = new Map<string, unknown>();

function useRemembered<T>(key: string, initial: T) {
  const [value, setValue] = useState<T>(() => (remembered.has(key) ? (remembered.get(key) as T) : initial));
  useEffect(() => {
    remembered.set(key, value);
  }, [key, value]);
  return [value, setValue] as const;
}

/** The value after it has stopped changing for `ms`, so typing a number sends one search, not one per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Pager({ page, pages, total, onPage }: { page: number; pages: number; total: number; onPage(page: number): void }) {
  return (
    <div className={styles.pager}>
      <span className="muted small" data-testid="runs-total" data-total={total}>
        {total.toLocaleString('en-US')} {total === 1 ? 'run' : 'runs'}
      </span>
      <button type="button" className="button small-button" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="runs-page-prev">
        ← Previous
      </button>
      <span className="small" data-testid="runs-page">
        Page {page} of {pages}
      </span>
      <button type="button" className="button small-button" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="runs-page-next">
        Next →
      </button>
    </div>
  );
}

function CompareBar({ selected, onClear }: { selected: string[]; onClear(): void }) {
  const router = useRouter();
  return (
    <div className={styles.compareBar}>
      <span className="muted small">
        {selected.length === 0
          ? `Tick 2 to ${MAX_COMPARE} runs to compare them side by side.`
          : selected.length === 1
            ? 'Tick at least one more run to compare.'
            : `${selected.length} runs picked.`}
      </span>
      {selected.length > 0 && (
        <button type="button" className="link-button" onClick={onClear} data-testid="compare-clear">
          Clear
        </button>
      )}
      <button
        type="button"
        className="button primary"
        disabled={!canCompare(selected)}
        onClick={() => router.push(compareHref(selected))}
        data-testid="compare-selected"
      >
        Compare ({selected.length})
      </button>
    </div>
  );
}

export function RunsPage() {
  const trpc = useTRPC();
  const [draft, setDraft] = useRemembered<RunFilterDraft>('filters', EMPTY_FILTERS);
  const [sort, setSort] = useRemembered<RunSort>('sort', DEFAULT_SORT);
  const [page, setPage] = useRemembered('page', 1);
  const [selected, setSelected] = useRemembered<string[]>('selected', []);
  const settledDraft = useSettled(draft, 250);
  const filters = useMemo(() => toSearchFilters(settledDraft), [settledDraft]);

  const search = useQuery(
    trpc.runs.search.queryOptions(
      { page, pageSize: PAGE_SIZE, sort, filters },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (query) => (query.state.data?.rows.some((run) => isRunActive(run.status)) ? 2_000 : 15_000),
      },
    ),
  );
  const data = search.data;
  // The filters' choices change rarely and cost a pass over every run: fetched apart, once a minute.
  const choices = useQuery(trpc.runs.searchChoices.queryOptions(undefined, { staleTime: 60_000, refetchInterval: 60_000 })).data;
  const metricNames = useMemo(() => choices?.metricNames ?? [], [choices?.metricNames]);
  const pages = pageCount(data?.total ?? 0, PAGE_SIZE);
  const filtered = JSON.stringify(draft) !== JSON.stringify(EMPTY_FILTERS);

  // A narrower search can have fewer pages than the one shown.
  useEffect(() => {
    if (data && page > pages) setPage(pages);
  }, [data, page, pages]);

  const changeFilters = useCallback(
    (next: RunFilterDraft) => {
      setDraft(next);
      setPage(1);
    },
    [setDraft, setPage],
  );
  const changeSort = useCallback(
    (column: string) => {
      setSort((current) => nextSort(current, column, metricNames));
      setPage(1);
    },
    [metricNames, setSort, setPage],
  );
  const toggle = useCallback((runId: string) => setSelected((current) => toggleSelected(current, runId)), [setSelected]);

  return (
    <div className={`page page-wide ${styles.runsPage}`}>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="muted">Every run, from the canvas and from the command line. Tick runs to compare their settings and scores.</p>
        </div>
        <CompareBar selected={selected} onClear={() => setSelected([])} />
      </div>
      <RunsFilters draft={draft} onChange={changeFilters} pipelines={choices?.pipelines ?? []} metricNames={metricNames} people={choices?.people ?? []} />
      {search.isPending && <p className="muted">Loading…</p>}
      {search.error && <p className="error-text">Runs could not be loaded: {errorMessage(search.error)}</p>}
      {data && (
        <>
          <Pager page={page} pages={pages} total={data.total} onPage={setPage} />
          <div className={search.isPlaceholderData ? ui.loadingFade : undefined}>
            <RunsTable
              rows={data.rows}
              metricNames={metricNames}
              sort={sort}
              onSort={changeSort}
              selected={selected}
              onToggle={toggle}
              emptyMessage={filtered ? 'No runs match these filters.' : 'No runs yet. Open a pipeline and press Run.'}
            />
          </div>
        </>
      )}
    </div>
  );
}
