'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import ui from './ui.module.css';

/** TensorFlow.js starts only when a step computes on it (networks, photo features, some logistic regressions). */
export function engineLabel(backend: string | null | undefined): string {
  return backend ? `TensorFlow.js (${backend})` : 'TensorFlow.js (starts when a model needs it)';
}

/**
 * Shows which TensorFlow.js backend trains the models. `backend` overrides the server-wide value; `withoutTensorFlow`
 * says a run ended without any step needing TensorFlow.js (its models computed in plain JavaScript).
 */
export function EngineBadge({ backend, withoutTensorFlow = false, testId = 'engine-badge' }: { backend?: string | null; withoutTensorFlow?: boolean; testId?: string }) {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 15_000 }));
  const value = backend ?? info.data?.backend ?? null;
  const label = !backend && withoutTensorFlow ? 'JavaScript (this run needed no TensorFlow.js)' : engineLabel(value);
  return (
    <span
      className={ui.engineBadge}
      data-testid={testId}
      title={info.data ? `Pipelab ${info.data.version}` : undefined}
    >
      Engine: {label}
    </span>
  );
}
