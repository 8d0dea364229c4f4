'use client';

import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { NodeResultInfo, RunDetail } from '../../server/api-types';
import { isRunActive } from '../../server/api-types';
import { useCanEdit } from '../_components/accounts/useAccount';
import { formatDuration, formatHeadline, formatHeadlineDetail, formatTime, metricsBehindHeadline } from '../_components/format';
import { RunStatusPill } from '../_components/RunStatusPill';
import { useCatalog } from './catalog-context';
import { toGraph, topologicalOrder } from './graph-doc';
import { PreviewView } from './results/PreviewView';
import { RunHistory } from './RunHistory';
import { useEditor } from './store';
import { VersionsPanel } from './VersionsPanel';
import ui from '../_components/ui.module.css';
import styles from './ResultsPanel.module.css';
import editorStyles from './editor.module.css';

const HISTORY = 'history';
const VERSIONS = 'versions';
const FIXED_TABS = [
  { id: HISTORY, label: 'Run history' },
  { id: VERSIONS, label: 'Versions' },
];

/** The tab to show when nothing is chosen: the evaluation, else the failed step, else the last result. */
function defaultTab(run: RunDetail, order: string[]): string | null {
  const results = order.map((id) => run.nodes[id]).filter(Boolean);
  const evaluation = results.filter((result) => result.preview?.kind === 'evaluation').pop();
  const failed = results.find((result) => result.status === 'failed');
  const last = results.filter((result) => result.preview).pop();
  return (failed ?? evaluation ?? last ?? results[0])?.nodeId ?? null;
}

function NodeResult({ result, run }: { result: NodeResultInfo; run: RunDetail }) {
  return (
    <div className="node-result" data-testid={`node-result-${result.nodeId}`}>
      {result.status === 'running' && (
        <p className="muted">
          Running… {result.progress !== null && `${Math.round(result.progress * 100)}%`} {result.message ?? ''}
        </p>
      )}
      {result.status === 'waiting' && <p className="muted">Waiting for the steps before it.</p>}
      {result.status === 'skipped' && <p className="muted">Skipped because an earlier step did not finish.</p>}
      {result.status === 'cancelled' && <p className="muted">Cancelled before it finished.</p>}
      {result.error && (
        <div className={ui.errorBox} data-testid="result-error" role="alert">
          {result.error}
        </div>
      )}
      {result.cached && result.status === 'done' && (
        <p className="muted small">Nothing changed for this step since an earlier run, so its result was reused.</p>
      )}
      {result.preview && <PreviewView preview={result.preview} run={run} running={result.status === 'running'} />}
    </div>
  );
}

function sameSteps(run: RunDetail, current: string): boolean {
  const strip = (graph: RunDetail['graph']) =>
    JSON.stringify({ nodes: graph.nodes.map(({ position: _p, ...rest }) => rest), edges: graph.edges });
  return strip(run.graph) === current;
}

function RunSummaryBar({ run }: { run: RunDetail }) {
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const current = useMemo(() => {
    const graph = toGraph(nodes, edges);
    return JSON.stringify({ nodes: graph.nodes.map(({ position: _p, ...rest }) => rest), edges: graph.edges });
  }, [nodes, edges]);
  const differs = !sameSteps(run, current);
  const readOnly = useEditor((state) => state.readOnly);
  const canEdit = useCanEdit();
  return (
    <div className={styles.runSummary}>
      <RunStatusPill status={run.status} testId="results-run-status" />
      <span className="muted small">Started {formatTime(run.startedAt)}</span>
      {run.durationMs !== null && <span className="small">Took {formatDuration(run.durationMs)}</span>}
      {run.headline && <strong className="small" data-testid="run-headline">{formatHeadline(run.headline)}</strong>}
      {run.headline && (
        <span className="muted small" data-testid="run-headline-detail">
          {formatHeadlineDetail(run.headline, metricsBehindHeadline(run.headline, Object.values(run.nodes).map((node) => node.metrics)))}
        </span>
      )}
      {run.error && <span className={`error-text small ${editorStyles.runError}`} data-testid="run-error">{run.error}</span>}
      {differs && !isRunActive(run.status) && !readOnly && canEdit && (
        <span className={`small ${styles.differs}`}>
          This run used a different version of the pipeline.{' '}
          <button
            type="button"
            className="link-button"
            data-testid="restore-run-graph"
            onClick={() => useEditor.getState().replaceGraph(run.graph)}
          >
            Put that version on the canvas
          </button>
        </span>
      )}
    </div>
  );
}

/** Drag the top edge of the panel to give the results more or less room. */
function useResizableHeight(initial: number) {
  const [height, setHeight] = useState(initial);
  const onPointerDown = (event: ReactPointerEvent) => {
    event.preventDefault();
    const startY = event.clientY;
    const startHeight = height;
    const onMove = (move: PointerEvent) => {
      const max = Math.max(160, window.innerHeight - 260);
      setHeight(Math.min(max, Math.max(120, startHeight + startY - move.clientY)));
    };
    const onUp = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };
  return { height, onPointerDown };
}

export function ResultsPanel() {
  const canEdit = useCanEdit();
  const run = useEditor((state) => state.run);
  const runId = useEditor((state) => state.runId);
  const selectedNodeId = useEditor((state) => state.selectedNodeId);
  const readOnly = useEditor((state) => state.readOnly);
  const { byType } = useCatalog();
  const [open, setOpen] = useState(true);
  const resize = useResizableHeight(300);
  const [tab, setTab] = useState<string | null>(null);

  const order = useMemo(
    () => (run ? topologicalOrder(run.graph.nodes.map((node) => node.id), run.graph.edges).filter((id) => run.nodes[id]) : []),
    [run],
  );
  const titleOf = (nodeId: string) => {
    const type = run?.graph.nodes.find((node) => node.id === nodeId)?.type;
    return (type && byType.get(type)?.title) ?? nodeId;
  };

  // A new run (started or picked from the history) brings the results back into view.
  // A new run (started or picked from the history) shows its most telling result: the
  // evaluation, or the step that failed, or the latest step finished while it runs.
  useEffect(() => setTab(null), [runId]);

  // Follow the step the user selects, when the shown run has a result for it.
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    if (selectedNodeId && runRef.current?.nodes[selectedNodeId]) setTab(selectedNodeId);
  }, [selectedNodeId]);

  const fixed = tab === HISTORY || tab === VERSIONS;
  const active = fixed ? tab : tab && run?.nodes[tab] ? tab : run ? defaultTab(run, order) : runId || readOnly ? null : HISTORY;

  // Nothing to show yet: keep the panel small so the canvas gets the room.
  const compact = !run && !runId && !fixed;

  return (
    <section
      className={`${styles.resultsPanel}${open ? '' : ` ${styles.collapsed}`}`}
      data-testid="results-panel"
      style={open ? { height: compact ? Math.min(resize.height, 130) : resize.height } : undefined}
    >
      {open && <div className={styles.resultsResizer} onPointerDown={resize.onPointerDown} title="Drag to resize" />}
      <div className={styles.resultsHead}>
        <button type="button" className="icon-button" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="results-toggle">
          {open ? '▾' : '▸'}
        </button>
        <strong className={styles.resultsTitle}>Results</strong>
        <div className={styles.tabs} role="tablist">
          {order.map((nodeId) => (
            <button
              key={nodeId}
              type="button"
              role="tab"
              aria-selected={active === nodeId}
              className={run?.nodes[nodeId]?.status === 'failed' ? `${styles.tab} ${styles.failed}` : styles.tab}
              onClick={() => {
                setTab(nodeId);
                setOpen(true);
              }}
              data-testid={`results-tab-${nodeId}`}
            >
              {titleOf(nodeId)}
            </button>
          ))}
        </div>
        {!readOnly && (
          <div className={`${styles.tabs} ${styles.tabsFixed}`} role="tablist">
            {FIXED_TABS.map((fixedTab) => (
              <button
                key={fixedTab.id}
                type="button"
                role="tab"
                aria-selected={active === fixedTab.id}
                className={`${styles.tab} tab-${fixedTab.id}`}
                onClick={() => {
                  setTab(fixedTab.id);
                  setOpen(true);
                }}
                data-testid={`results-tab-${fixedTab.id}`}
              >
                {fixedTab.label}
              </button>
            ))}
          </div>
        )}
      </div>
      {open && (
        // Focusable so a keyboard can scroll long results.
        <div className={styles.resultsBody} tabIndex={0} role="region" aria-label="Result details">
          {active === HISTORY ? (
            <RunHistory onPick={() => setTab(null)} />
          ) : active === VERSIONS ? (
            <VersionsPanel />
          ) : run ? (
            <>
              <RunSummaryBar run={run} />
              {active && run.nodes[active] ? (
                <NodeResult result={run.nodes[active]} run={run} />
              ) : (
                <p className="muted">No step has results in this run.</p>
              )}
            </>
          ) : runId ? (
            <p className="muted">Loading results…</p>
          ) : readOnly ? (
            <p className="muted">Pick a run to see its results.</p>
          ) : canEdit ? (
            <p className="muted">Press Run to train and test the pipeline. Results appear here.</p>
          ) : (
            <p className="muted">No results yet: nobody has run this pipeline.</p>
          )}
        </div>
      )}
    </section>
  );
}
