'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { useEditor } from './store';

/** The saved versions of the open pipeline, newest first (none before its first save). */
export function usePipelineVersions() {
  const trpc = useTRPC();
  const pipelineId = useEditor((state) => state.pipelineId);
  const readOnly = useEditor((state) => state.readOnly);
  return useQuery(trpc.pipelines.versions.queryOptions(pipelineId && !readOnly ? { id: pipelineId } : skipToken));
}
