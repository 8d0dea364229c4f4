'use client';

import { useQuery } from '@tanstack/react-query';
import type { ParamChange } from '../../server/api-types';
import { formatParamValue } from '../compare/compare-model';
import { errorMessage, useTRPC } from '../trpc';
import styles from './VersionDiffView.module.css';

function ParamChanges({ params }: { params: ParamChange[] }) {
  if (params.length === 0) return null;
  return (
    <ul className={styles.diffParams}>
      {params.map((change) => (
        <li key={change.name}>
          <code>{change.name}</code>: <span className={styles.diffFrom}>{change.from === undefined ? 'not set' : formatParamValue(change.from)}</span>
          {' → '}
          <span className={styles.diffTo}>{change.to === undefined ? 'not set' : formatParamValue(change.to)}</span>
        </li>
      ))}
    </ul>
  );
}

/** What changed between two saved versions: steps added, removed or with other settings, and wires. */
export function VersionDiffView({ pipelineId, from, to }: { pipelineId: string; from: number; to: number }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.pipelines.diffVersions.queryOptions({ id: pipelineId, from, to }, { staleTime: Infinity }));
  if (diff.isPending) return <p className="muted small">Comparing…</p>;
  if (diff.error) return <p className="error-text small">The versions could not be compared: {errorMessage(diff.error)}</p>;
  const { nodes, edges, same } = diff.data.diff;
  return (
    <div className={styles.versionDiff} data-testid="version-diff" data-from={from} data-to={to}>
      <h5>
        From version {from} to version {to}
      </h5>
      {same && <p className="muted small">Same steps, settings and wires{nodes.moved.length > 0 ? '; only positions on the canvas moved' : ''}.</p>}
      <ul className={styles.diffList}>
        {nodes.added.map((node) => (
          <li key={`a-${node.id}`} className={styles.diffAdded} data-testid={`diff-node-${node.id}`} data-change="added">
            <span className={styles.diffMark} aria-hidden>+</span> Added <strong>{node.title}</strong> <span className="muted small">({node.id})</span>
          </li>
        ))}
        {nodes.removed.map((node) => (
          <li key={`r-${node.id}`} className={styles.diffRemoved} data-testid={`diff-node-${node.id}`} data-change="removed">
            <span className={styles.diffMark} aria-hidden>−</span> Removed <strong>{node.title}</strong> <span className="muted small">({node.id})</span>
          </li>
        ))}
        {nodes.changed.map((node) => (
          <li key={`c-${node.id}`} className={styles.diffChanged} data-testid={`diff-node-${node.id}`} data-change="changed">
            <span className={styles.diffMark} aria-hidden>~</span> Changed <strong>{node.title}</strong> <span className="muted small">({node.id})</span>
            {node.typeChange && (
              <div className="small">
                Kind of step: {node.typeChange.from} → {node.typeChange.to}
              </div>
            )}
            <ParamChanges params={node.params} />
          </li>
        ))}
        {edges.added.map((edge) => (
          <li key={`ea-${edge.id}`} className={`${styles.diffAdded} small`}>
            <span className={styles.diffMark} aria-hidden>+</span> New wire {edge.source} → {edge.target}
          </li>
        ))}
        {edges.removed.map((edge) => (
          <li key={`er-${edge.id}`} className={`${styles.diffRemoved} small`}>
            <span className={styles.diffMark} aria-hidden>−</span> Wire removed {edge.source} → {edge.target}
          </li>
        ))}
      </ul>
      {!same && nodes.unchanged > 0 && <p className="muted small">{nodes.unchanged} other steps are unchanged.</p>}
    </div>
  );
}
