'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, useTRPC, useTRPCClient } from '../trpc';
import { toGraph } from './graph-doc';
import { useEditor } from './store';
import { isRunActive } from '../../server/api-types';

const POLL_MS = 400;

/**
 * Keeps the shown run up to date: polls it while it runs and refreshes lists when it ends. With a share
 * token (a read-only link, possibly signed out) the run is read through the link instead.
 */
export function useRunWatcher(shareToken?: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runId = useEditor((state) => state.runId);
  const poll = {
    refetchInterval: (current: { state: { data?: { status: string } } }) => (current.state.data && isRunActive(current.state.data.status) ? POLL_MS : false),
    staleTime: 0,
  };
  const own = useQuery(trpc.runs.get.queryOptions(runId && !shareToken ? { runId } : skipToken, poll));
  const shared = useQuery(trpc.shares.run.queryOptions(runId && shareToken ? { token: shareToken, runId } : skipToken, poll));
  const query = shareToken ? shared : own;
  const refreshedFor = useRef<string | null>(null);
  const data = query.data;
  useEffect(() => {
    if (!data || data.id !== runId) return;
    useEditor.getState().setRun(data);
    // Once per finished run, refresh what depends on it: the run lists and the engine badge.
    if (!isRunActive(data.status) && refreshedFor.current !== data.id) {
      refreshedFor.current = data.id;
      if (shareToken) return;
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.pipelines.versions.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.system.info.queryKey() });
    }
  }, [data, runId, queryClient, trpc, shareToken]);
  return runId && query.error ? errorMessage(query.error) : null;
}

/** Checks the graph, starts a run, and cancels it. */
export function useRunner() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useEditor((state) => (state.run ? isRunActive(state.run.status) : false));

  const start = useCallback(async () => {
    const { nodes, edges, pipelineId, name } = useEditor.getState();
    const graph = toGraph(nodes, edges);
    setStarting(true);
    setError(null);
    try {
      const { problems } = await client.graph.validate.mutate({ graph });
      useEditor.getState().setProblems(problems);
      const { runId } = await client.runs.start.mutate({ graph, pipelineId: pipelineId ?? undefined, label: name });
      useEditor.getState().setRunId(runId);
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setStarting(false);
    }
  }, [client, queryClient, trpc]);

  const cancel = useCallback(async () => {
    const runId = useEditor.getState().runId;
    if (!runId) return;
    try {
      await client.runs.cancel.mutate({ runId });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) });
    } catch (cause) {
      setError(errorMessage(cause));
    }
  }, [client, queryClient, trpc]);

  return { start, cancel, starting, running, busy: starting || running, error, clearError: () => setError(null) };
}

/** After the first check, checks the graph again whenever its steps, settings or wires change. */
export function useLiveValidation() {
  const client = useTRPCClient();
  const checked = useEditor((state) => state.checked);
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const signature = checked
    ? JSON.stringify({
        nodes: nodes.map((node) => [node.id, node.data.type, node.data.params]),
        edges: edges.map((edge) => edge.id),
      })
    : '';
  useEffect(() => {
    if (!signature) return;
    let stale = false;
    const timer = setTimeout(async () => {
      const { nodes: current, edges: wires } = useEditor.getState();
      try {
        const { problems } = await client.graph.validate.mutate({ graph: toGraph(current, wires) });
        if (!stale) useEditor.getState().setProblems(problems);
      } catch {
        // A failed check leaves the previous problems in place; the next edit or run checks again.
      }
    }, 500);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [signature, client]);
}
