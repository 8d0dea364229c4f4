'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { PipelineSummary, TemplateInfo } from '../../server/api-types';
import { errorMessage, useTRPC } from '../trpc';
import { formatDuration, formatHeadline, formatWhen } from './format';
import { RunStatusPill } from './RunStatusPill';

export function PipelinesPage() {
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Pipelines</h1>
          <p className="muted">Build a prediction model by wiring steps together, then press Run to see how well it works.</p>
        </div>
        <Link href="/editor" className="button primary" data-testid="new-pipeline">
          + New pipeline
        </Link>
      </div>
      <TemplatesSection />
      <SavedPipelinesSection />
    </div>
  );
}

function TemplatesSection() {
  const trpc = useTRPC();
  const templates = useQuery(trpc.templates.list.queryOptions());
  return (
    <section className="section" data-testid="templates">
      <h2>Start from a template</h2>
      {templates.isPending && <p className="muted">Loading templates…</p>}
      {templates.error && <p className="error-text">Templates could not be loaded: {errorMessage(templates.error)}</p>}
      <div className="card-grid">
        {templates.data?.map((template) => <TemplateCard key={template.id} template={template} />)}
      </div>
    </section>
  );
}

function TemplateCard({ template }: { template: TemplateInfo }) {
  return (
    <article className="card template-card" data-testid={`template-card-${template.id}`}>
      <h3>{template.name}</h3>
      <p className="muted">{template.description}</p>
      <div className="card-foot">
        <span className="muted small">{template.graph.nodes.length} steps</span>
        <Link
          href={`/editor?template=${encodeURIComponent(template.id)}`}
          className="button"
          data-testid={`open-template-${template.id}`}
        >
          Open
        </Link>
      </div>
    </article>
  );
}

function SavedPipelinesSection() {
  const trpc = useTRPC();
  const pipelines = useQuery(trpc.pipelines.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  return (
    <section className="section" data-testid="pipelines">
      <h2>Your pipelines</h2>
      {pipelines.isPending && <p className="muted">Loading…</p>}
      {pipelines.error && <p className="error-text">Pipelines could not be loaded: {errorMessage(pipelines.error)}</p>}
      {pipelines.data?.length === 0 && (
        <p className="empty-state">No saved pipelines yet. Open a template or start a new pipeline, then press Save.</p>
      )}
      {pipelines.data && pipelines.data.length > 0 && (
        <ul className="pipeline-list">
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
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.pipelines.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() }),
    }),
  );
  const lastRun = pipeline.lastRun;
  return (
    <li className="pipeline-row" data-testid={`pipeline-row-${pipeline.id}`}>
      <Link href={`/editor/${pipeline.id}`} className="pipeline-link" data-testid={`open-pipeline-${pipeline.id}`}>
        <span className="pipeline-name">{pipeline.name}</span>
        {pipeline.description && <span className="muted small">{pipeline.description}</span>}
      </Link>
      <span className="muted small">Updated {formatWhen(pipeline.updatedAt)}</span>
      <span className="last-run">
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
      <span className="row-actions">
        {confirming ? (
          <>
            <span className="small">Delete “{pipeline.name}”?</span>
            <button
              className="button danger small-button"
              data-testid={`confirm-delete-${pipeline.id}`}
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: pipeline.id })}
            >
              Delete
            </button>
            <button className="button small-button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            className="button ghost small-button"
            data-testid={`delete-pipeline-${pipeline.id}`}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        )}
        {remove.error && <span className="error-text small">{errorMessage(remove.error)}</span>}
      </span>
    </li>
  );
}
