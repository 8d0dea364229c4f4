'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { RunSummary } from '../../server/api-types';
import { errorMessage, useTRPC } from '../trpc';
import { formatDuration, formatHeadline, formatTime } from './format';
import { RunStatusPill } from './RunStatusPill';

function runHref(run: RunSummary): string {
  const query = `run=${encodeURIComponent(run.id)}`;
  return run.pipelineId ? `/editor/${run.pipelineId}?${query}` : `/editor?${query}`;
}

export function RunsPage() {
  const trpc = useTRPC();
  const runs = useQuery(
    trpc.runs.list.queryOptions(
      { limit: 100 },
      { refetchInterval: (query) => (query.state.data?.some((run) => run.status === 'running') ? 1_000 : 10_000) },
    ),
  );
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="muted">Every run, newest first, from the canvas and from the command line.</p>
        </div>
      </div>
      {runs.isPending && <p className="muted">Loading…</p>}
      {runs.error && <p className="error-text">Runs could not be loaded: {errorMessage(runs.error)}</p>}
      {runs.data?.length === 0 && <p className="empty-state">No runs yet. Open a pipeline and press Run.</p>}
      {runs.data && runs.data.length > 0 && (
        <table className="data-table runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Pipeline</th>
              <th>Status</th>
              <th>Result</th>
              <th>Took</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id} data-testid={`runs-row-${run.id}`}>
                <td className="nowrap">
                  <Link href={runHref(run)}>{formatTime(run.startedAt)}</Link>
                </td>
                <td>{run.label}</td>
                <td>
                  <RunStatusPill status={run.status} />
                </td>
                <td>
                  {run.error ? (
                    <span className={`small run-error ${run.status === 'cancelled' ? 'muted' : 'error-text'}`}>{run.error}</span>
                  ) : (
                    formatHeadline(run.headline)
                  )}
                </td>
                <td className="nowrap">{formatDuration(run.durationMs)}</td>
                <td className="muted">{run.origin === 'cli' ? 'Command line' : 'Canvas'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
