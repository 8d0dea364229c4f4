'use client';

import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { emptyGraph } from '../../nodes/graph-document';
import { BLANK_PIPELINE_NAME } from '../../server/pipeline-names';
import { errorMessage, useTRPC } from '../trpc';
import { toGraph } from './graph-doc';
import { useEditor, type OpenedDocument } from './store';

export interface EditorTarget {
  pipelineId?: string;
  templateId?: string;
  runId?: string;
}

type Trpc = ReturnType<typeof useTRPC>;

export function documentKey(target: EditorTarget): string {
  if (target.pipelineId) return `pipeline:${target.pipelineId}`;
  if (target.templateId) return `template:${target.templateId}`;
  if (target.runId) return `run:${target.runId}`;
  return 'new';
}

async function loadDocument(target: EditorTarget, queryClient: QueryClient, trpc: Trpc): Promise<OpenedDocument> {
  const key = documentKey(target);
  if (target.pipelineId) {
    const id = target.pipelineId;
    const [detail, runs] = await Promise.all([
      queryClient.fetchQuery({ ...trpc.pipelines.get.queryOptions({ id }), staleTime: 0 }),
      queryClient.fetchQuery(trpc.runs.list.queryOptions({ pipelineId: id, limit: 1 })).catch(() => []),
    ]);
    const runId = target.runId ?? runs[0]?.id ?? null;
    return { key, pipelineId: detail.id, name: detail.name, description: detail.description, graph: detail.graph, runId };
  }
  if (target.templateId) {
    const templates = await queryClient.fetchQuery(trpc.templates.list.queryOptions());
    const template = templates.find((candidate) => candidate.id === target.templateId);
    if (!template) throw new Error(`There is no template called “${target.templateId}”.`);
    return { key, pipelineId: null, name: template.name, description: template.description, graph: template.graph };
  }
  if (target.runId) {
    const run = await queryClient.fetchQuery(trpc.runs.get.queryOptions({ runId: target.runId }));
    // A past run shows the exact graph it ran: look, don't touch.
    return { key, pipelineId: null, name: run.label, description: '', graph: run.graph, runId: run.id, readOnly: true };
  }
  return { key, pipelineId: null, name: BLANK_PIPELINE_NAME, description: '', graph: emptyGraph() };
}

let closeTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Opens the requested pipeline into the editor store. When the page changes from /editor to
 * /editor/<id> right after the first save, the store already holds that pipeline and keeps it
 * (with its undo history and shown run); leaving the editor clears it.
 */
export function useOpenDocument(target: EditorTarget) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = documentKey(target);
  const loadedKey = useEditor((state) => state.key);
  const [error, setError] = useState<string | null>(null);
  const { pipelineId, templateId, runId } = target;

  useEffect(() => {
    clearTimeout(closeTimer);
    if (useEditor.getState().key === key) {
      if (runId) useEditor.getState().setRunId(runId);
      return;
    }
    let cancelled = false;
    setError(null);
    loadDocument({ pipelineId, templateId, runId }, queryClient, trpc).then(
      (doc) => !cancelled && useEditor.getState().open(doc),
      (cause: unknown) => !cancelled && setError(errorMessage(cause)),
    );
    return () => {
      cancelled = true;
    };
  }, [key, pipelineId, templateId, runId, queryClient, trpc]);

  useEffect(
    () => () => {
      closeTimer = setTimeout(() => useEditor.getState().close(), 0);
    },
    [],
  );

  return { ready: loadedKey === key, error };
}

/** Saves the pipeline; the first save of a new pipeline moves the page to its own address. */
export function useSave() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const mutation = useMutation(trpc.pipelines.save.mutationOptions());
  const { mutateAsync } = mutation;

  const save = useCallback(async () => {
    const { pipelineId, name, description, nodes, edges, saveMessage, readOnly } = useEditor.getState();
    if (readOnly) return;
    const message = saveMessage.trim();
    const detail = await mutateAsync({
      id: pipelineId ?? undefined,
      name: name.trim() || BLANK_PIPELINE_NAME,
      description,
      graph: toGraph(nodes, edges),
      ...(message && { message }),
    }).catch(() => null);
    if (!detail) return;
    useEditor.getState().markSaved(detail.id, detail.name, detail.description);
    queryClient.setQueryData(trpc.pipelines.get.queryKey({ id: detail.id }), detail);
    void queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.pipelines.versions.queryKey({ id: detail.id }) });
    if (pipelineId !== detail.id) router.replace(`/editor/${detail.id}`);
  }, [mutateAsync, queryClient, router, trpc]);

  return {
    save,
    saving: mutation.isPending,
    error: mutation.error ? errorMessage(mutation.error) : null,
    savedAt: mutation.data?.updatedAt ?? null,
  };
}
