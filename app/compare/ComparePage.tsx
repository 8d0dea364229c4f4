'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { MAX_COMPARE, MIN_COMPARE } from '../_components/runs/runs-query';
import { errorMessage, useTRPC } from '../trpc';
import { CompareConfusions, CompareRoc } from './CompareCharts';
import { CompareGraph } from './CompareGraph';
import { CompareMetrics } from './CompareMetrics';
import { CompareParams } from './CompareParams';
import { CompareRuns } from './CompareRuns';
import { MetricHistory } from './MetricHistory';
import type { Comparison } from './types';
import styles from './ComparePage.module.css';

/**
 * Records, in the browser's performance timeline, how long the page took from the comparison
 * arriving to its tables and charts being on screen ("pipelab:compare-render").
 */
function useRenderTiming(comparison: Comparison | undefined) {
  const arrived = useRef<{ data: Comparison; at: number } | null>(null);
  if (comparison && arrived.current?.data !== comparison) arrived.current = { data: comparison, at: performance.now() };
  useLayoutEffect(() => {
    if (!comparison || !arrived.current) return;
    const start = arrived.current.at;
    performance.measure('pipelab:compare-render', { start, end: performance.now() });
    requestAnimationFrame(() => performance.measure('pipelab:compare-paint', { start, end: performance.now() }));
  }, [comparison]);
}

function CompareBody({ comparison }: { comparison: Comparison }) {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.catalog.list.queryOptions(undefined, { staleTime: Infinity }));
  const specs = useMemo(() => new Map((catalog.data?.nodes ?? []).map((node) => [node.type, node])), [catalog.data]);
  const highlight = useMemo(() => new Map(comparison.runs.map((run, index) => [run.id, index])), [comparison.runs]);
  const first = comparison.runs[0];
  return (
    <>
      <CompareRuns runs={comparison.runs} />
      <CompareMetrics comparison={comparison} />
      <CompareParams comparison={comparison} />
      <CompareGraph comparison={comparison} specs={specs} />
      <div className={styles.compareCharts}>
        <CompareRoc comparison={comparison} />
        <CompareConfusions comparison={comparison} />
      </div>
      <MetricHistory
        pipelineId={first?.pipelineId ?? null}
        pipelineName={first?.pipelineName ?? null}
        metricNames={comparison.metricNames}
        highlight={highlight}
      />
    </>
  );
}

export function ComparePage({ runIds }: { runIds: string[] }) {
  const trpc = useTRPC();
  const usable = runIds.length >= MIN_COMPARE && runIds.length <= MAX_COMPARE;
  const compare = useQuery(trpc.runs.compare.queryOptions({ runIds }, { enabled: usable, staleTime: 60_000 }));
  useRenderTiming(compare.data);
  const reportHref = `/api/report/compare?runs=${runIds.map(encodeURIComponent).join(',')}`;
  return (
    <div className={`page page-wide ${styles.comparePage}`} data-testid="compare-page">
      <div className="page-head">
        <div>
          <Link href="/runs" className="small">
            ← All runs
          </Link>
          <h1>Compare {runIds.length} runs</h1>
          <p className="muted">What changed between the runs, and what it did to the scores. Run #1 is the reference.</p>
        </div>
        {usable && (
          <a className="button" href={reportHref} download data-testid="download-compare-report">
            <span aria-hidden>⤓</span> Download report
          </a>
        )}
      </div>
      {!usable && (
        <p className="empty-state">
          Pick {MIN_COMPARE} to {MAX_COMPARE} runs on the <Link href="/runs">Runs page</Link> and press Compare.
        </p>
      )}
      {usable && compare.isPending && <p className="muted">Loading…</p>}
      {compare.error && <p className="error-text">The runs could not be compared: {errorMessage(compare.error)}</p>}
      {compare.data && <CompareBody comparison={compare.data} />}
    </div>
  );
}
