'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { RunDetail } from '../../server/api-types';
import { isRunActive } from '../../server/api-types';
import { useCanEdit } from '../_components/accounts/useAccount';
import { EngineBadge } from '../_components/EngineBadge';
import { formatDuration, formatHeadline } from '../_components/format';
import { RunStatusPill } from '../_components/RunStatusPill';
import { SaveControls, VersionBadge } from './SaveControls';
import { ShareMenu } from './ShareMenu';
import { useEditor } from './store';
import type { useRunner } from './useRun';
import type { useSave } from './useDocument';
import ui from '../_components/ui.module.css';
import styles from './TopBar.module.css';

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function RunStatus({ run, starting }: { run: RunDetail | null; starting: boolean }) {
  const running = run ? isRunActive(run.status) : false;
  const now = useNow(running);
  if (starting) {
    return (
      <span className={styles.runStatus} data-testid="run-status" data-status="starting">
        <span className={ui.spinner} aria-hidden /> Checking and starting…
      </span>
    );
  }
  if (!run) return <span className={`${styles.runStatus} muted`} data-testid="run-status" data-status="none">Not run yet</span>;
  const results = Object.values(run.nodes);
  const finished = results.filter((result) => result.status === 'done').length;
  return (
    <span className={styles.runStatus} data-testid="run-status" data-status={run.status}>
      <RunStatusPill status={run.status} />
      {run.attempts > 1 && (
        <span className="small" data-testid="run-attempt" title="The worker training this run stopped, so another worker took it over and started it again.">
          try {run.attempts}
        </span>
      )}
      {running ? (
        <span className="small">
          {finished} of {results.length} steps · {formatDuration(now - run.startedAt)}
        </span>
      ) : (
        <>
          <span className="small" data-testid="run-duration">
            {formatDuration(run.durationMs)}
          </span>
          {run.headline && <strong className="small">{formatHeadline(run.headline)}</strong>}
        </>
      )}
    </span>
  );
}

export function TopBar({ runner, saver }: { runner: ReturnType<typeof useRunner>; saver: ReturnType<typeof useSave> }) {
  const name = useEditor((state) => state.name);
  const description = useEditor((state) => state.description);
  const dirty = useEditor((state) => state.dirty);
  const pipelineId = useEditor((state) => state.pipelineId);
  const canUndo = useEditor((state) => state.past.length > 0);
  const canRedo = useEditor((state) => state.future.length > 0);
  const run = useEditor((state) => state.run);
  const empty = useEditor((state) => state.nodes.length === 0);
  const readOnly = useEditor((state) => state.readOnly);
  const viewing = useEditor((state) => state.viewing !== null);
  const canEdit = useCanEdit();
  const { setName, setDescription, undo, redo } = useEditor.getState();

  return (
    <div className={ui.topBar}>
      <Link href="/" className={styles.backLink} title="Back to all pipelines">
        ←
      </Link>
      <div className={ui.docMeta}>
        <input
          className={styles.nameInput}
          value={name}
          onChange={(event) => setName(event.target.value)}
          readOnly={!canEdit}
          aria-label="Pipeline name"
          data-testid="pipeline-name"
        />
        <input
          className={styles.descriptionInput}
          value={description}
          placeholder="Add a short description…"
          onChange={(event) => setDescription(event.target.value)}
          readOnly={!canEdit}
          aria-label="Pipeline description"
          data-testid="pipeline-description"
        />
      </div>
      <VersionBadge />
      {canEdit && (
        <span className={`${styles.saveState} small muted`} data-testid="save-state">
          {saver.saving ? 'Saving…' : dirty ? 'Unsaved changes' : pipelineId ? 'All changes saved' : 'Not saved yet'}
        </span>
      )}
      <div className={styles.toolbar}>
        {canEdit && (
          <>
            <button type="button" className="button ghost icon-only" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="undo-button">
              ↶
            </button>
            <button type="button" className="button ghost icon-only" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="redo-button">
              ↷
            </button>
            <SaveControls saver={saver} disabled={viewing || readOnly} />
          </>
        )}
        <ShareMenu />
        {canEdit && (
          <button
            type="button"
            className="button primary"
            onClick={runner.start}
            disabled={runner.busy || empty || viewing}
            title={viewing ? 'Go back to the current pipeline to run it' : empty ? 'Add some steps first' : 'Train and test the pipeline'}
            data-testid="run-button"
          >
            {runner.busy ? 'Running…' : '▶ Run'}
          </button>
        )}
        {canEdit && runner.running && (
          <button type="button" className="button danger" onClick={runner.cancel} data-testid="cancel-button">
            ■ Cancel
          </button>
        )}
      </div>
      <div className={ui.topStatus}>
        <RunStatus run={run} starting={runner.starting} />
        <EngineBadge backend={run?.backend} withoutTensorFlow={!!run && !['queued', 'running'].includes(run.status)} testId="backend-badge" />
      </div>
      {(saver.error || runner.error) && (
        <div className={`${styles.topError} error-text`} role="alert" data-testid="editor-error">
          {saver.error && <>Could not save: {saver.error}</>}
          {runner.error && <>Could not run: {runner.error}</>}
        </div>
      )}
    </div>
  );
}
