'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, useTRPC, useTRPCClient } from '../trpc';
import { toGraph } from './graph-doc';
import { useEditor } from './store';
import { isRunActive } from '../../server/api-types';
import { firstRunName } from '../../server/pipeline-names';
import { useRouter } from 'next/navigation';

const POLL_MS = 400;
/** While the run's live event stream is open, polling is only a safety net. */
const STREAMED_POLL_MS = 2000;

/**
 * Keeps the shown run up to date while it runs: follows its live events (GET /api/runs/<id>/events) and
 * refetches it on each, polling slowly as a safety net, or fast when the stream is not open. Refreshes
 * lists when it ends. With a share token (a read-only link, possibly signed out) the run is read through
 * the link instead, by polling.
 */
export function useRunWatcher(shareToken?: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runId = useEditor((state) => state.runId);
  const [streaming, setStreaming] = useState(false);
  const poll = {
    refetchInterval: (current: { state: { data?: { status: string } } }) =>
      current.state.data && isRunActive(current.state.data.status) ? (streaming ? STREAMED_POLL_MS : POLL_MS) : false,
    staleTime: 0,
  };
  const own = useQuery(trpc.runs.get.queryOptions(runId && !shareToken ? { runId } : skipToken, poll));
  const shared = useQuery(trpc.shares.run.queryOptions(runId && shareToken ? { token: shareToken, runId } : skipToken, poll));
  const query = shareToken ? shared : own;
  const refreshedFor = useRef<string | null>(null);
  const data = query.data;
  const active = !!data && data.id === runId && isRunActive(data.status);
  useEffect(() => {
    if (!runId || shareToken || !active || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    const queryKey = trpc.runs.get.queryKey({ runId });
    let stopped = false;
    let inFlight = false;
    let again = false;
    // Events come in bursts (a node finishes, the next starts): one refetch at a time, and one more after
    // it if anything arrived meanwhile, so the last change is always shown.
    const refetch = () => {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      void queryClient.refetchQueries({ queryKey, exact: true }).finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          refetch();
        }
      });
    };
    const close = () => {
      source.close();
      setStreaming(false);
    };
    source.onopen = () => setStreaming(true);
    // EventSource reconnects by itself after a dropped connection (or gives up after a refusal): poll
    // fast meanwhile.
    source.onerror = () => setStreaming(false);
    source.onmessage = (message: MessageEvent<string>) => {
      let event: { type?: unknown; status?: unknown };
      try {
        event = JSON.parse(message.data) as typeof event;
      } catch {
        return;
      }
      // The server closes the stream once the run is over; closing here keeps EventSource from reconnecting.
      if (event.type === 'ended' || (event.type === 'status' && typeof event.status === 'string' && !isRunActive(event.status))) close();
      refetch();
    };
    return () => {
      stopped = true;
      close();
    };
  }, [runId, shareToken, active, queryClient, trpc]);
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

/**
 * Checks the graph, starts a run, and cancels it. A graph with problems is not run: its steps are marked
 * on the canvas and nothing enters the run history. A pipeline never saved is saved at its first run,
 * named after its template (or "My pipeline") and the date, and the page moves to its address.
 */
export function useRunner() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useEditor((state) => (state.run ? isRunActive(state.run.status) : false));

  const start = useCallback(async () => {
    const { nodes, edges, pipelineId, name, description } = useEditor.getState();
    const graph = toGraph(nodes, edges);
    setStarting(true);
    setError(null);
    try {
      const { problems } = await client.graph.validate.mutate({ graph });
      useEditor.getState().setProblems(problems);
      if (problems.length) {
        setError(`${problems.length === 1 ? 'One step needs' : `${problems.length} steps need`} attention first: fix what is marked in red on the canvas.`);
        return;
      }
      const templateNames = queryClient.getQueryData(trpc.templates.list.queryKey())?.map((template) => template.name) ?? [];
      const label = pipelineId ? name : firstRunName(name, templateNames, new Date());
      const { runId, saved } = await client.runs.start.mutate({ graph, pipelineId: pipelineId ?? undefined, label, description });
      if (saved) {
        useEditor.getState().markSaved(saved.id, saved.name, saved.description);
        queryClient.setQueryData(trpc.pipelines.get.queryKey({ id: saved.id }), saved);
        void queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
        router.replace(`/editor/${saved.id}`);
      }
      useEditor.getState().setRunId(runId);
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setStarting(false);
    }
  }, [client, queryClient, router, trpc]);

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
