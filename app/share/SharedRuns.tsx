'use client';

import type { RunSummary } from '../../server/api-types';
import { formatDuration, formatHeadline, formatTime } from '../_components/format';
import { RunStatusPill } from '../_components/RunStatusPill';
import { useEditor } from '../editor/store';

/** The shared pipeline's runs; picking one shows its results under the canvas. */
export function SharedRuns({ runs }: { runs: RunSummary[] }) {
  const runId = useEditor((state) => state.runId);
  return (
    <aside className="share-runs" data-testid="share-runs" aria-label="Runs">
      <h3 className="panel-title">Runs</h3>
      {runs.length === 0 ? (
        <p className="muted small">This pipeline has not been run yet.</p>
      ) : (
        <ul className="share-run-list">
          {runs.map((run) => (
            <li key={run.id}>
              <button
                type="button"
                className={`share-run${run.id === runId ? ' current' : ''}`}
                aria-pressed={run.id === runId}
                onClick={() => useEditor.getState().setRunId(run.id)}
                data-testid={`share-run-${run.id}`}
              >
                <span className="share-run-top">
                  <RunStatusPill status={run.status} />
                  <span className="muted small">{formatDuration(run.durationMs)}</span>
                </span>
                <span className="small">{formatTime(run.startedAt)}</span>
                {run.headline && <strong className="small">{formatHeadline(run.headline)}</strong>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
