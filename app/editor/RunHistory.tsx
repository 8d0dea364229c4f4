'use client';

import { useQuery } from '@tanstack/react-query';
import { useCanEdit } from '../_components/accounts/useAccount';
import { formatDuration, formatHeadline, formatTime, formatWhen } from '../_components/format';
import { RunStatusPill } from '../_components/RunStatusPill';
import { errorMessage, useTRPC } from '../trpc';
import { useEditor } from './store';
import { isRunActive } from '../../server/api-types';
import ui from '../_components/ui.module.css';
import styles from './RunHistory.module.css';
import editorStyles from './editor.module.css';

/** Past runs of this pipeline; picking one shows its results on the canvas and in the results panel. */
export function RunHistory({ onPick }: { onPick(runId: string): void }) {
  const trpc = useTRPC();
  const pipelineId = useEditor((state) => state.pipelineId);
  const runId = useEditor((state) => state.runId);
  const canEdit = useCanEdit();
  const runs = useQuery(
    trpc.runs.list.queryOptions(
      { pipelineId: pipelineId ?? undefined, limit: 50 },
      {
        enabled: pipelineId !== null,
        refetchInterval: (query) => (query.state.data?.some((run) => isRunActive(run.status)) ? 1_000 : false),
      },
    ),
  );

  if (!pipelineId) {
    return (
      <div className={styles.runHistory} data-testid="run-history">
        <p className="muted">No runs yet. The first run saves the pipeline, and its runs are listed here.</p>
      </div>
    );
  }
  return (
    <div className={styles.runHistory} data-testid="run-history">
      {runs.isPending && <p className="muted">Loading runs…</p>}
      {runs.error && <p className="error-text">Runs could not be loaded: {errorMessage(runs.error)}</p>}
      {runs.data?.length === 0 && (
        <p className="muted">{canEdit ? 'No runs yet. Press Run to train and test this pipeline.' : 'This pipeline has not been run yet.'}</p>
      )}
      {runs.data && runs.data.length > 0 && (
        <table className="data-table history-table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Status</th>
              <th>By</th>
              <th>Took</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr
                key={run.id}
                className={`${ui.clickable}${run.id === runId ? ' current' : ''}`}
                onClick={() => {
                  useEditor.getState().setRunId(run.id);
                  onPick(run.id);
                }}
                data-testid={`run-row-${run.id}`}
                title="Show the results of this run"
              >
                <td className="nowrap">
                  {formatTime(run.startedAt)} <span className="muted small">({formatWhen(run.startedAt)})</span>
                </td>
                <td>
                  <RunStatusPill status={run.status} />
                </td>
                <td className="nowrap">{run.startedBy?.name ?? <span className="muted">{run.origin === 'cli' ? 'Command line' : '—'}</span>}</td>
                <td className="nowrap">{formatDuration(run.durationMs)}</td>
                <td>
                  {run.error ? (
                    <span className={`small ${editorStyles.runError} ${run.status === 'cancelled' ? 'muted' : 'error-text'}`}>{run.error}</span>
                  ) : (
                    formatHeadline(run.headline)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
