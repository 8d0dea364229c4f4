'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import ui from './ui.module.css';

export function engineLabel(backend: string | null | undefined): string {
  return backend ? `TensorFlow.js (${backend})` : 'TensorFlow.js (starts with the first run)';
}

/** Shows which TensorFlow.js backend trains the models. `backend` overrides the server-wide value. */
export function EngineBadge({ backend, testId = 'engine-badge' }: { backend?: string | null; testId?: string }) {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 15_000 }));
  const value = backend ?? info.data?.backend ?? null;
  return (
    <span
      className={ui.engineBadge}
      data-testid={testId}
      title={info.data ? `Pipelab ${info.data.version}` : undefined}
    >
      Engine: {engineLabel(value)}
    </span>
  );
}
