'use client';

import type { RunSummary } from '../../server/api-types';
import { formatDuration, formatHeadline, formatTime } from '../_components/format';
import { RunStatusPill } from '../_components/RunStatusPill';
import { useEditor } from '../editor/store';
import ui from '../_components/ui.module.css';
import styles from './SharedRuns.module.css';

/** The shared pipeline's runs; picking one shows its results under the canvas. */
export function SharedRuns({ runs }: { runs: RunSummary[] }) {
  const runId = useEditor((state) => state.runId);
  return (
    <aside className={styles.shareRuns} data-testid="share-runs" aria-label="Runs">
      <h3 className={ui.panelTitle}>Runs</h3>
      {runs.length === 0 ? (
        <p className="muted small">This pipeline has not been run yet.</p>
      ) : (
        <ul className={styles.shareRunList}>
          {runs.map((run) => (
            <li key={run.id}>
              <button
                type="button"
                className={`${styles.shareRun}${run.id === runId ? ' current' : ''}`}
                aria-pressed={run.id === runId}
                onClick={() => useEditor.getState().setRunId(run.id)}
                data-testid={`share-run-${run.id}`}
              >
                <span className={styles.shareRunTop}>
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
