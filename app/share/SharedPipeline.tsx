'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo } from 'react';
import type { PipelineDetail, RunSummary } from '../../server/api-types';
import { Canvas } from '../editor/Canvas';
import { CatalogProvider, indexCatalog } from '../editor/catalog-context';
import { ResultsPanel } from '../editor/ResultsPanel';
import { useEditor } from '../editor/store';
import { useRunWatcher } from '../editor/useRun';
import { useCanEdit } from '../_components/accounts/useAccount';
import { authClient } from '../auth-client';
import { signInHref } from '../auth-redirect';
import { errorMessage, useTRPC } from '../trpc';
import { SharedRuns } from './SharedRuns';
import ui from '../_components/ui.module.css';
import styles from './SharedPipeline.module.css';

/** Loads the shared pipeline into the editor's store, read-only, showing its latest run. */
function useSharedDocument(token: string, pipeline: Omit<PipelineDetail, 'id'> | undefined, runs: RunSummary[] | undefined) {
  const key = `share:${token}`;
  const ready = useEditor((state) => state.key === key);
  useEffect(() => {
    if (!pipeline || !runs || useEditor.getState().key === key) return;
    useEditor.getState().open({
      key,
      pipelineId: null,
      name: pipeline.name,
      description: pipeline.description,
      graph: pipeline.graph,
      runId: runs[0]?.id ?? null,
      readOnly: true,
    });
  }, [key, pipeline, runs]);
  useEffect(() => () => useEditor.getState().close(), []);
  return ready;
}

function DuplicateButton({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const session = authClient.useSession();
  const canEdit = useCanEdit();
  const duplicate = useMutation(
    trpc.pipelines.duplicate.mutationOptions({ onSuccess: (copy) => router.push(`/editor/${copy.id}`) }),
  );
  const signedIn = Boolean(session.data?.user);
  // A viewer cannot make pipelines in their workspace; the button would only fail.
  if (signedIn && !canEdit) return null;
  return (
    <span className={ui.duplicate}>
      <button
        type="button"
        className="button primary"
        onClick={() => {
          // A visitor who is not signed in signs in first and comes back here to copy it.
          if (!signedIn) window.location.assign(signInHref(`/share/${token}`));
          else duplicate.mutate({ shareToken: token });
        }}
        disabled={session.isPending || duplicate.isPending || duplicate.isSuccess}
        title={signedIn ? 'Save your own copy of this pipeline and open it in the editor' : 'Sign in to save your own copy of this pipeline'}
        data-testid="duplicate-pipeline"
      >
        {duplicate.isPending || duplicate.isSuccess ? 'Making a copy…' : 'Duplicate to edit'}
      </button>
      {duplicate.error && <span className="error-text small" role="alert">{errorMessage(duplicate.error)}</span>}
    </span>
  );
}

function Watcher({ token }: { token: string }) {
  const error = useRunWatcher(token);
  return error ? <div className={`${ui.banner} error-text`} role="alert">The run could not be loaded: {error}</div> : null;
}

export function SharedPipeline({ token }: { token: string }) {
  const trpc = useTRPC();
  const shared = useQuery(trpc.shares.get.queryOptions({ token }, { retry: false }));
  const catalog = useQuery(trpc.catalog.list.queryOptions(undefined, { staleTime: Infinity }));
  const index = useMemo(() => (catalog.data ? indexCatalog(catalog.data) : null), [catalog.data]);
  const ready = useSharedDocument(token, shared.data?.pipeline, shared.data?.runs);

  if (shared.error) {
    return (
      <div className={ui.editorNotice} data-testid="share-page" data-state="missing">
        <h1>This link does not work</h1>
        <p className="error-text">{errorMessage(shared.error)}</p>
        <p className="muted">The owner may have turned sharing off. Ask them for a new link.</p>
        <Link href="/" className="button">Go to your pipelines</Link>
      </div>
    );
  }
  if (!shared.data || !index || !ready) return <div className={ui.editorNotice} data-testid="share-page" data-state="loading"><h1>Opening…</h1></div>;
  const { pipeline, runs } = shared.data;
  return (
    <div className={`${ui.editor} ${ui.sharePage}`} data-testid="share-page">
      <div className={`${ui.topBar} ${ui.shareBar}`}>
        <div className={ui.docMeta}>
          <h1 className={styles.shareTitle}>
            {pipeline.name} <span className="tag">Read-only</span>
          </h1>
          {pipeline.description ? <p className={styles.shareDescription}>{pipeline.description}</p> : <p className="muted small">No description.</p>}
        </div>
        <DuplicateButton token={token} />
      </div>
      <CatalogProvider value={index}>
        <ReactFlowProvider>
          <Watcher token={token} />
          <div className={ui.editorBody}>
            <div className={ui.editorCenter}>
              <Canvas />
              <ResultsPanel />
            </div>
            <SharedRuns runs={runs} />
          </div>
        </ReactFlowProvider>
      </CatalogProvider>
    </div>
  );
}
