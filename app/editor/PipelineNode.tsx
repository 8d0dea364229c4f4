'use client';

import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useMemo, useState } from 'react';
import type { GraphProblem, NodeResultInfo, RunDetail } from '../../server/api-types';
import type { PortSpec } from '../../nodes/define';
import { describeSettings, type TrainingCurves } from '../../nodes/preview';
import { useCanEdit } from '../_components/accounts/useAccount';
import { formatDuration } from '../_components/format';
import { categoryClass, useNodeSpec } from './catalog-context';
import type { StepData, StepNode } from './graph-doc';
import { TrainingSparkline } from './results/TrainingCurves';
import { StepMenu, type OpenMenu } from './StepMenus';
import { problemsFor, useEditor } from './store';
import ui from '../_components/ui.module.css';
import styles from './PipelineNode.module.css';

const NO_PROBLEMS: GraphProblem[] = [];

/** True when this step's settings differ from the ones the shown run used. */
function changedSinceRun(run: RunDetail | null, nodeId: string, data: StepData): boolean {
  const ran = run?.graph.nodes.find((node) => node.id === nodeId);
  if (!ran) return false;
  return ran.type !== data.type || JSON.stringify(ran.params) !== JSON.stringify(data.params);
}

function PortRow({ nodeId, port, side, onAddNext }: { nodeId: string; port: PortSpec; side: 'in' | 'out'; onAddNext?: () => void }) {
  return (
    <div
      className={`${styles.port} port-${side}${port.multiple ? ` ${styles.portMultiple}` : ''}`}
      title={`${port.label} (${port.type})${port.multiple ? ': takes several wires' : ''}`}
    >
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={port.name}
        className={`handle handle-${port.type}`}
        data-testid={`handle-${side}-${nodeId}-${port.name}`}
      />
      <span className={styles.portLabel}>{port.label}</span>
      {port.multiple && (
        <span className={styles.portMany} aria-label="takes several wires">
          1+
        </span>
      )}
      <span className={`${styles.portType} port-type-${port.type}`}>{port.type}</span>
      {onAddNext && (
        <button
          type="button"
          className={`${styles.addNext} nodrag nopan`}
          aria-label={`Add next step after ${port.label}`}
          title="Add next step"
          onClick={onAddNext}
          data-testid={`add-next-${nodeId}-${port.name}`}
        >
          +
        </button>
      )}
    </div>
  );
}

function StatusText({ result, problems }: { result: NodeResultInfo | undefined; problems: number }) {
  if (!result) return problems ? <>✗ Needs attention</> : <>Not run yet</>;
  switch (result.status) {
    case 'waiting':
      return <>Waiting…</>;
    case 'running':
      return <>Running… {result.progress !== null ? `${Math.round(result.progress * 100)}%` : ''}</>;
    case 'done':
      return result.cached ? (
        <>✓ Reused · {formatDuration(result.durationMs ?? 0)}</>
      ) : (
        <>✓ Done · {formatDuration(result.durationMs ?? 0)}</>
      );
    case 'failed':
      return <>✗ Failed</>;
    case 'cancelled':
      return <>Cancelled</>;
    case 'skipped':
      return <>Skipped (an earlier step did not finish)</>;
  }
}

/** Epoch curves of a network, live while it trains and kept on the finished model. */
function trainingCurves(result: NodeResultInfo | undefined): TrainingCurves | undefined {
  const preview = result?.preview;
  if (preview?.kind === 'training') return preview.curves;
  if (preview?.kind === 'model') return preview.training;
  return undefined;
}

/** "Best settings: depth 6, leaf size 20" on a model step that searched for its settings. */
function bestSettings(result: NodeResultInfo | undefined): string | null {
  const preview = result?.preview;
  const board = preview?.kind === 'model' || preview?.kind === 'tuning' ? preview.tuning : undefined;
  // Found by number: tries scored in threads finish out of order, so a live leaderboard can have gaps.
  const best = board?.bestTrial ? board.trials.find((trial) => trial.trial === board.bestTrial) : undefined;
  if (!board || !best) return null;
  return `${preview?.kind === 'model' ? 'Best settings applied' : 'Best so far'}: ${describeSettings(best.settings, board)}`;
}

function NodeStatus({ nodeId, result, problems, stale }: {
  nodeId: string;
  result: NodeResultInfo | undefined;
  problems: number;
  stale: boolean;
}) {
  const curves = trainingCurves(result);
  const tuned = result?.status === 'running' ? null : bestSettings(result);
  const status = result ? (result.cached && result.status === 'done' ? 'cached' : result.status) : problems ? 'problem' : 'idle';
  return (
    <div className={styles.stepStatus} data-testid={`node-status-${nodeId}`} data-status={status}>
      <span className={`${ui.stepId} ${styles.statusId}`}>{nodeId}</span>
      <span>
        <StatusText result={result} problems={problems} />
      </span>
      {stale && <span className={styles.staleNote}> · settings changed since this run</span>}
      {result?.status === 'running' && (
        <>
          <div className="progress" aria-hidden>
            <div className="progress-bar" style={{ width: `${Math.round((result.progress ?? 0) * 100)}%` }} />
          </div>
          {result.message && <div className={styles.stepMessage}>{result.message}</div>}
        </>
      )}
      {curves && <TrainingSparkline curves={curves} />}
      {tuned && (
        <div className={styles.stepMessage} data-testid={`node-tuning-${nodeId}`}>
          {tuned}
        </div>
      )}
    </div>
  );
}

function PipelineNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const spec = useNodeSpec(data.type);
  // A saved version on view shows no results: the shown run may not have used it.
  const result = useEditor((state) => (state.viewing ? undefined : state.run?.nodes[id]));
  const allProblems = useEditor((state) => (state.viewing ? NO_PROBLEMS : state.problems));
  const stale = useEditor((state) => !state.viewing && Boolean(state.run) && changedSinceRun(state.run, id, data));
  const problems = useMemo(() => problemsFor(allProblems, id), [allProblems, id]);
  const errors = useMemo(() => {
    const list = [...problems];
    if (result?.error && result.status === 'failed' && !list.includes(result.error)) list.push(result.error);
    return list;
  }, [problems, result?.error, result?.status]);
  const canEdit = useCanEdit();
  const editable = useEditor((state) => !state.viewing && !state.readOnly) && canEdit;
  const [menu, setMenu] = useState<OpenMenu>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const toggle = (next: NonNullable<OpenMenu>) => setMenu((open) => (JSON.stringify(open) === JSON.stringify(next) ? null : next));

  return (
    <div
      className={`${styles.stepNode} ${categoryClass(spec?.category)}${selected ? ' selected' : ''}${errors.length ? ` ${styles.hasError}` : ''}`}
      data-testid={`node-${id}`}
      data-node-type={data.type}
    >
      <div className={ui.stepHead}>
        <span className={`${ui.stepTitle} ${styles.title}`} data-testid={`node-title-${id}`}>
          {spec?.title ?? data.type}
        </span>
        {editable && spec && spec.outputs.length > 0 && (
          <button
            type="button"
            className={`${styles.connectButton} nodrag nopan`}
            aria-label={`Connect ${spec.title} to…`}
            title="Connect to…"
            aria-haspopup="menu"
            aria-expanded={menu?.kind === 'connect'}
            onClick={() => toggle({ kind: 'connect' })}
            data-testid={`connect-to-${id}`}
          >
            ⇢
          </button>
        )}
      </div>
      {editable && spec && <StepMenu nodeId={id} spec={spec} open={menu} onClose={closeMenu} />}
      {!spec && <div className={styles.stepError}>This kind of step ({data.type}) is not available.</div>}
      <div className={styles.stepPorts}>
        <div className="ports-in">
          {spec?.inputs.map((port) => <PortRow key={port.name} nodeId={id} port={port} side="in" />)}
        </div>
        <div className={styles.portsOut}>
          {spec?.outputs.map((port) => (
            <PortRow
              key={port.name}
              nodeId={id}
              port={port}
              side="out"
              onAddNext={editable ? () => toggle({ kind: 'next', port: port.name }) : undefined}
            />
          ))}
        </div>
      </div>
      <NodeStatus nodeId={id} result={result} problems={problems.length} stale={stale} />
      {errors.length > 0 && (
        <ul className={styles.stepError} data-testid={`node-error-${id}`}>
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const PipelineNode = memo(PipelineNodeView);
