'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { PipelineSummary } from '../../server/api-types';
import { errorMessage, useTRPC } from '../trpc';
import { useCanEdit, ViewerNote } from './accounts/useAccount';
import { ConfirmButton } from './ConfirmButton';
import { formatDuration, formatHeadline, formatWhen } from './format';
import { ImportPipeline } from './ImportPipeline';
import { RunStatusPill } from './RunStatusPill';
import { TemplateGallery } from './TemplateGallery';
import styles from './PipelinesPage.module.css';
import ui from './ui.module.css';

export function PipelinesPage() {
  const canEdit = useCanEdit();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Pipelines</h1>
          <p className="muted">Build a prediction model by wiring steps together, then press Run to see how well it works.</p>
        </div>
        {canEdit && (
          <div className={styles.pageActions}>
            <ImportPipeline />
            <Link href="/editor" className="button primary" data-testid="new-pipeline">
              + New pipeline
            </Link>
          </div>
        )}
      </div>
      <ViewerNote />
      {canEdit && <TemplateGallery />}
      <SavedPipelinesSection />
    </div>
  );
}

function SavedPipelinesSection() {
  const trpc = useTRPC();
  const pipelines = useQuery(trpc.pipelines.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  return (
    <section className={ui.section} data-testid="pipelines">
      <h2>Your pipelines</h2>
      {pipelines.isPending && <p className="muted">Loading…</p>}
      {pipelines.error && <p className="error-text">Pipelines could not be loaded: {errorMessage(pipelines.error)}</p>}
      {pipelines.data?.length === 0 && (
        <p className="empty-state">No saved pipelines yet. Open a template or start a new pipeline, then press Save.</p>
      )}
      {pipelines.data && pipelines.data.length > 0 && (
        <ul className={styles.pipelineList}>
          {pipelines.data.map((pipeline) => (
            <PipelineRow key={pipeline.id} pipeline={pipeline} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PipelineRow({ pipeline }: { pipeline: PipelineSummary }) {
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.pipelines.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() }),
    }),
  );
  const lastRun = pipeline.lastRun;
  return (
    <li className={styles.pipelineRow} data-testid={`pipeline-row-${pipeline.id}`}>
      <Link href={`/editor/${pipeline.id}`} className={styles.pipelineLink} data-testid={`open-pipeline-${pipeline.id}`}>
        <span className={styles.pipelineName}>{pipeline.name}</span>
        {pipeline.description && <span className="muted small">{pipeline.description}</span>}
      </Link>
      <span className="muted small">Updated {formatWhen(pipeline.updatedAt)}</span>
      <span className={styles.lastRun}>
        {lastRun ? (
          <>
            <RunStatusPill status={lastRun.status} />
            <span className="small">{formatHeadline(lastRun.headline)}</span>
            <span className="muted small">{formatDuration(lastRun.durationMs)}</span>
          </>
        ) : (
          <span className="muted small">Not run yet</span>
        )}
      </span>
      <span className={ui.rowActions}>
        {canEdit && (
          <ConfirmButton
            label="Delete"
            question={`Delete “${pipeline.name}”?`}
            onConfirm={() => remove.mutate({ id: pipeline.id })}
            pending={remove.isPending}
            testIds={{ ask: `delete-pipeline-${pipeline.id}`, confirm: `confirm-delete-${pipeline.id}` }}
          />
        )}
        {remove.error && <span className="error-text small">{errorMessage(remove.error)}</span>}
      </span>
    </li>
  );
}
