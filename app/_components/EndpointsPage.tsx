'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { AppRouter } from '../../server/routers/app';
import { errorMessage, useTRPC } from '../trpc';
import { ConfirmButton } from './ConfirmButton';
import { EndpointMonitor } from './EndpointMonitor';
import { formatTime, formatWhen } from './format';
import { PhotoTry, type PhotoInputInfo } from './PhotoEndpoint';
import styles from './EndpointsPage.module.css';
import ui from './ui.module.css';

type EndpointRowData = inferRouterOutputs<AppRouter>['endpoints']['list'][number];

function useOrigin(): string {
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  return origin;
}

function EndpointRow({ endpoint, origin, onMonitor, onTry }: { endpoint: EndpointRowData; origin: string; onMonitor(): void; onTry(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unpublish = useMutation(
    trpc.endpoints.unpublish.mutationOptions({
      // The row stops being live, so its confirmation goes away with it.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.endpoints.list.queryKey() }),
    }),
  );
  const live = endpoint.revokedAt === null;
  return (
    <tr data-testid={`endpoint-row-${endpoint.id}`} data-status={live ? 'live' : 'revoked'} className={live ? undefined : styles.revoked}>
      <td data-label="Name">
        <strong>{endpoint.name}</strong>
      </td>
      <td data-label="Model">
        {endpoint.modelTitle}
        {endpoint.photoInput !== null && <span className="muted small"> · photos</span>}
      </td>
      <td className="nowrap" data-label="Trained in">
        <Link href={`/editor?run=${encodeURIComponent(endpoint.runId)}`} data-testid={`endpoint-run-${endpoint.id}`}>
          Open run
        </Link>
        <span className="muted small"> · {endpoint.nodeId}</span>
      </td>
      <td className="nowrap" title={formatTime(endpoint.createdAt)} data-label="Published">
        {formatWhen(endpoint.createdAt)}
      </td>
      <td className="num" data-label="Requests served">{endpoint.requestCount.toLocaleString('en-US')}</td>
      <td data-label="Status">
        {live ? (
          <span className={`${ui.pill} ${ui.pillSucceeded}`}>Live</span>
        ) : (
          <span className={`${ui.pill} ${ui.pillCancelled}`} title={`Unpublished ${formatTime(endpoint.revokedAt!)}`}>
            Unpublished
          </span>
        )}
      </td>
      <td data-label="Web address">
        <code className={`${styles.endpointUrl}${live ? '' : ' muted'}`}>
          {origin}
          {endpoint.url}
        </code>
      </td>
      <td className={ui.rowActions}>
        <button type="button" className="button small-button" onClick={onMonitor} data-testid={`monitor-${endpoint.id}`}>
          Monitoring
        </button>
        {live && endpoint.photoInput !== null && (
          <button type="button" className="button small-button" onClick={onTry} data-testid={`try-${endpoint.id}`}>
            Try with a photo
          </button>
        )}
        {live && (
          <ConfirmButton
            label="Unpublish"
            question="Apps using it will stop getting predictions."
            onConfirm={() => unpublish.mutate({ id: endpoint.id })}
            pending={unpublish.isPending}
            testIds={{ ask: `unpublish-${endpoint.id}`, confirm: `confirm-unpublish-${endpoint.id}` }}
          />
        )}
        {unpublish.error && <span className="error-text small">{errorMessage(unpublish.error)}</span>}
      </td>
    </tr>
  );
}

export function EndpointsPage() {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.endpoints.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const origin = useOrigin();
  const [monitored, setMonitored] = useState<string | null>(null);
  const [tried, setTried] = useState<string | null>(null);
  const triedEndpoint = endpoints.data?.find((endpoint) => endpoint.id === tried && endpoint.photoInput !== null);
  return (
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Prediction APIs</h1>
          <p className="muted">
            Models you published. Other tools send rows (or photos, to a photo model) to a model’s web address, with its access
            key, and get predictions back.
          </p>
        </div>
      </div>
      {endpoints.isPending && <p className="muted">Loading…</p>}
      {endpoints.error && <p className="error-text">Prediction APIs could not be loaded: {errorMessage(endpoints.error)}</p>}
      {endpoints.data?.length === 0 && (
        <p className="empty-state" data-testid="endpoints-empty">
          Nothing published yet. Run a pipeline, open a model’s results and press “Publish as prediction API”.
        </p>
      )}
      {endpoints.data && endpoints.data.length > 0 && (
        <table className={`data-table stack-table ${ui.runsTable} ${styles.endpointsTable}`} data-testid="endpoints-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Model</th>
              <th>Trained in</th>
              <th>Published</th>
              <th className="num">Requests served</th>
              <th>Status</th>
              <th>Web address</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {endpoints.data.map((endpoint) => (
              <EndpointRow
                key={endpoint.id}
                endpoint={endpoint}
                origin={origin}
                onMonitor={() => setMonitored(endpoint.id)}
                onTry={() => setTried(endpoint.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {triedEndpoint && (
        <PhotoTry key={triedEndpoint.id} url={triedEndpoint.url} input={triedEndpoint.photoInput as PhotoInputInfo} onClose={() => setTried(null)} />
      )}
      {monitored && <EndpointMonitor key={monitored} endpointId={monitored} onClose={() => setMonitored(null)} />}
    </div>
  );
}
