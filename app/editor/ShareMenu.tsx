'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useCanEdit } from '../_components/accounts/useAccount';
import { errorMessage, useTRPC } from '../trpc';
import { useEditor } from './store';
import { isRunActive } from '../../server/api-types';
import ui from '../_components/ui.module.css';
import styles from './ShareMenu.module.css';

/** Saves text as a file on the user's computer. */
export function downloadText(fileName: string, text: string, type = 'application/json') {
  saveBlob(fileName, new Blob([text], { type }));
}

/** Fetches the pipeline's export file from the download route (which streams it) and saves it. */
async function downloadExport(pipelineId: string, bundle: boolean) {
  const response = await fetch(`/api/pipelines/${encodeURIComponent(pipelineId)}/export${bundle ? '?bundle=1' : ''}`);
  if (!response.ok) throw new Error((await response.text()) || `The export failed (${response.status}).`);
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'pipeline.pipelab.json';
  saveBlob(fileName, await response.blob());
}

function saveBlob(fileName: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function ExportSection({ pipelineId }: { pipelineId: string }) {
  const dirty = useEditor((state) => state.dirty);
  const [bundle, setBundle] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exportFile = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadExport(pipelineId, bundle);
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={ui.shareSection}>
      <h4>Export…</h4>
      <p className="muted small">
        A file with the saved pipeline, to open in another copy of Pipelab.{dirty && ' Changes not saved yet are left out.'}
      </p>
      <label className={`${ui.checkboxRow} small`}>
        <input type="checkbox" checked={bundle} onChange={(event) => setBundle(event.target.checked)} data-testid="export-bundle" />
        Include data files (larger, but runs anywhere)
      </label>
      <button type="button" className="button small-button" onClick={exportFile} disabled={busy} data-testid="export-pipeline">
        {busy ? 'Preparing…' : 'Download pipeline file'}
      </button>
      {error && <p className="error-text small" role="alert">{error}</p>}
    </div>
  );
}

function LinkSection({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const share = useMutation(trpc.pipelines.share.mutationOptions());
  const unshare = useMutation(trpc.pipelines.unshare.mutationOptions({ onSuccess: () => share.reset() }));
  const [copied, setCopied] = useState(false);
  const url = share.data ? `${window.location.origin}${share.data.url}` : null;
  const makeLink = async () => {
    setCopied(false);
    const result = await share.mutateAsync({ id: pipelineId }).catch(() => null);
    if (!result) return;
    try {
      await navigator.clipboard.writeText(`${window.location.origin}${result.url}`);
      setCopied(true);
    } catch {
      // Copying needs permission in some browsers; the link stays selectable below.
    }
  };
  return (
    <div className={ui.shareSection}>
      <h4>Read-only link</h4>
      <p className="muted small">Anyone with the link can look at the pipeline and its results, and make their own copy.</p>
      <button type="button" className="button small-button" onClick={makeLink} disabled={share.isPending} data-testid="copy-share-link">
        Copy read-only link
      </button>
      {url && (
        <div className={styles.shareLinkRow}>
          <input type="text" readOnly value={url} onFocus={(event) => event.target.select()} aria-label="Read-only link" data-testid="share-link" />
          <span className="small muted">{copied ? 'Copied.' : 'Select and copy the link.'}</span>
          <button type="button" className="link-button" onClick={() => unshare.mutate({ id: pipelineId })} disabled={unshare.isPending} data-testid="unshare-link">
            Turn the link off
          </button>
        </div>
      )}
      {(share.error || unshare.error) && <p className="error-text small" role="alert">{errorMessage(share.error ?? unshare.error)}</p>}
    </div>
  );
}

function ReportSection() {
  const runId = useEditor((state) => state.runId);
  const finished = useEditor((state) => state.run !== null && !isRunActive(state.run.status));
  return (
    <div className={ui.shareSection}>
      <h4>Report</h4>
      <p className="muted small">One web page with the pipeline, its settings and the shown run’s scores and charts, to email or archive.</p>
      {runId && finished ? (
        <a className="button small-button" href={`/api/report/run/${encodeURIComponent(runId)}`} download data-testid="download-run-report">
          <span aria-hidden>⤓</span> Download report
        </a>
      ) : (
        <button type="button" className="button small-button" disabled title="Run the pipeline first" data-testid="download-run-report">
          Download report
        </button>
      )}
    </div>
  );
}

/** The "Share" button of the top bar: export a file, make a read-only link, download a report. */
export function ShareMenu() {
  const [open, setOpen] = useState(false);
  const pipelineId = useEditor((state) => state.pipelineId);
  // Exporting and making links are an editor's; anyone can download a report.
  const canEdit = useCanEdit();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className={styles.shareMenu} ref={root}>
      <button type="button" className="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} data-testid="share-menu">
        Share ▾
      </button>
      {open && (
        <div className={styles.sharePopover} role="dialog" aria-label="Share" data-testid="share-popover">
          {!canEdit ? null : pipelineId ? (
            <>
              <ExportSection pipelineId={pipelineId} />
              <LinkSection pipelineId={pipelineId} />
            </>
          ) : (
            <p className={`muted small ${ui.shareSection}`}>Save the pipeline first to export it or share a link.</p>
          )}
          <ReportSection />
        </div>
      )}
    </div>
  );
}
