'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCanEdit } from '../_components/accounts/useAccount';
import { formatTime, formatWhen } from '../_components/format';
import { errorMessage, useTRPC, useTRPCClient } from '../trpc';
import { useEditor } from './store';
import { usePipelineVersions } from './usePipelineVersions';
import { VersionDiffView } from './VersionDiffView';
import styles from './VersionsPanel.module.css';

/** Restores a version as a new one and puts it on the canvas. */
export function useRestore(pipelineId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.pipelines.restoreVersion.mutationOptions({
      onSuccess: (detail) => {
        useEditor.getState().applySaved(detail);
        queryClient.setQueryData(trpc.pipelines.get.queryKey({ id: pipelineId }), detail);
        void queryClient.invalidateQueries({ queryKey: trpc.pipelines.versions.queryKey({ id: pipelineId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
      },
    }),
  );
}

/** Puts a saved version on the canvas, read-only. */
function useView(pipelineId: string) {
  const client = useTRPCClient();
  const [error, setError] = useState<string | null>(null);
  const view = async (version: number) => {
    setError(null);
    try {
      const saved = await client.pipelines.version.query({ id: pipelineId, version });
      useEditor.getState().selectNode(null);
      useEditor.getState().viewVersion(version, saved.graph);
    } catch (cause) {
      setError(errorMessage(cause));
    }
  };
  return { view, error };
}

function pickTwo(picked: number[], version: number): number[] {
  if (picked.includes(version)) return picked.filter((item) => item !== version);
  return [...picked, version].slice(-2);
}

type VersionEntry = NonNullable<ReturnType<typeof usePipelineVersions>['data']>[number];

interface VersionRowProps {
  entry: VersionEntry;
  latest: boolean;
  picked: boolean;
  onPick(): void;
  viewing: boolean;
  onView(): void;
  confirming: boolean;
  restoring: boolean;
  onRestore(): void;
}

function VersionRow({ entry, latest, picked, onPick, viewing, onView, confirming, restoring, onRestore }: VersionRowProps) {
  const n = entry.version;
  const canEdit = useCanEdit();
  return (
    <tr className={viewing ? 'current' : undefined} data-testid={`version-row-${n}`}>
      <td>
        <input type="checkbox" checked={picked} onChange={onPick} aria-label={`Compare version ${n}`} data-testid={`version-pick-${n}`} />
      </td>
      <td className="nowrap">
        <strong>v{n}</strong>
        {latest && <span className="tag">latest</span>}
      </td>
      <td className="nowrap" title={formatTime(entry.createdAt)}>
        {formatWhen(entry.createdAt)}
      </td>
      <td>{entry.message || <span className="muted">No note</span>}</td>
      <td className="num">{entry.nodeCount}</td>
      <td className="num">{entry.runCount}</td>
      <td className="nowrap">
        <div className={styles.versionActions}>
          <button type="button" className="button ghost small-button" onClick={onView} data-testid={`view-version-${n}`}>
            View
          </button>
          {!latest && canEdit && (
            <button
              type="button"
              className={`button small-button${confirming ? ' danger' : ''}`}
              disabled={restoring}
              onClick={onRestore}
              data-testid={`restore-version-${n}`}
            >
              {confirming ? 'Replace unsaved changes' : 'Restore'}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function VersionList({ pipelineId }: { pipelineId: string }) {
  const versions = usePipelineVersions();
  const dirty = useEditor((state) => state.dirty);
  const viewing = useEditor((state) => state.viewing?.version ?? null);
  const [picked, setPicked] = useState<number[]>([]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const restore = useRestore(pipelineId);
  const { view, error: viewError } = useView(pipelineId);

  // Restoring over unsaved changes asks once more.
  const onRestore = (version: number) => {
    if (dirty && confirming !== version) return setConfirming(version);
    setConfirming(null);
    restore.mutate({ id: pipelineId, version });
  };

  if (versions.isPending) return <p className="muted">Loading versions…</p>;
  if (versions.error) return <p className="error-text">Versions could not be loaded: {errorMessage(versions.error)}</p>;
  const latest = versions.data[0]?.version;
  const [from, to] = [...picked].sort((a, b) => a - b);
  return (
    <>
      <p className="muted small">Every save keeps a version. Tick two to see what changed; restoring saves that version again as the newest.</p>
      <div className={styles.versionsLayout}>
        <div className={styles.versionsList}>
          <table className={`data-table compact ${styles.versionsTable}`}>
            <thead>
              <tr>
                <th aria-label="Pick to compare" />
                <th>Version</th>
                <th>Saved</th>
                <th>Note</th>
                <th className="num">Steps</th>
                <th className="num">Runs</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {versions.data.map((entry) => (
                <VersionRow
                  key={entry.version}
                  entry={entry}
                  latest={entry.version === latest}
                  picked={picked.includes(entry.version)}
                  onPick={() => setPicked(pickTwo(picked, entry.version))}
                  viewing={viewing === entry.version}
                  onView={() => view(entry.version)}
                  confirming={confirming === entry.version}
                  restoring={restore.isPending}
                  onRestore={() => onRestore(entry.version)}
                />
              ))}
            </tbody>
          </table>
        </div>
        {picked.length === 2 ? (
          <div className={styles.versionsDiffColumn}>
            <VersionDiffView pipelineId={pipelineId} from={from} to={to} />
          </div>
        ) : (
          <p className={`muted small ${styles.versionDiffHint} ${styles.versionsDiffColumn}`}>Tick two versions to see what changed between them.</p>
        )}
      </div>
      {(restore.error || viewError) && (
        <p className="error-text small" role="alert">
          {restore.error ? errorMessage(restore.error) : viewError}
        </p>
      )}
    </>
  );
}

/** The "Versions" tab of the results panel. */
export function VersionsPanel() {
  const pipelineId = useEditor((state) => state.pipelineId);
  return (
    <div className="versions-panel" data-testid="versions-panel">
      {pipelineId ? <VersionList pipelineId={pipelineId} /> : <p className="muted">Save the pipeline to start keeping versions of it.</p>}
    </div>
  );
}
