'use client';

import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type FinalConnectionState,
  type NodeTypes,
  type OnConnectEnd,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { useCanEdit } from '../_components/accounts/useAccount';
import { ReadOnlyFlow } from '../_components/ReadOnlyFlow';
import { errorMessage } from '../trpc';
import { useDropOnWire, useTidyUp } from './canvas-actions';
import { categoryClass, useCatalog } from './catalog-context';
import { checkConnection, sameSideMessage, type RulesCatalog } from './connection-rules';
import type { StepNode, WireEnds } from './graph-doc';
import { STEP_BOX } from '../../nodes/graph-layout';
import { PipelineNode } from './PipelineNode';
import { useEditor } from './store';
import { useRestore } from './VersionsPanel';
import styles from './Canvas.module.css';

/** The drag-and-drop payload type used by the palette. */
export const PALETTE_MIME = 'application/x-pipelab-node';

const nodeTypes: NodeTypes = { step: PipelineNode };
/** Framing an opened pipeline: never so small that a step's title is under 12 px on screen. */
const FIT_VIEW = { padding: 0.05, maxZoom: 1, minZoom: 0.8 };
const selectStep = (nodeId: string | null) => useEditor.getState().selectNode(nodeId);

interface Refusal {
  reason: string;
  hint?: string;
  at: number;
}

function useConnectionRules() {
  const { catalog } = useCatalog();
  const rulesCatalog: RulesCatalog = catalog;
  return useCallback(
    (ends: WireEnds) => {
      const { nodes, edges } = useEditor.getState();
      const graph = { nodes: nodes.map((node) => ({ id: node.id, type: node.data.type })), edges };
      return checkConnection(ends, graph, rulesCatalog);
    },
    [rulesCatalog],
  );
}

/** Why a dropped wire was refused, or null when it was not dropped on a handle. */
function explainRefusal(state: FinalConnectionState, check: ReturnType<typeof useConnectionRules>): Refusal | null {
  if (state.isValid !== false || !state.fromHandle || !state.toHandle) return null;
  const at = Date.now();
  if (state.fromHandle.type === state.toHandle.type) {
    if (state.fromHandle.nodeId === state.toHandle.nodeId && state.fromHandle.id === state.toHandle.id) return null;
    return { reason: sameSideMessage(state.fromHandle.type), at };
  }
  const from = { node: state.fromHandle.nodeId, handle: state.fromHandle.id ?? null };
  const to = { node: state.toHandle.nodeId, handle: state.toHandle.id ?? null };
  const [source, target] = state.fromHandle.type === 'source' ? [from, to] : [to, from];
  const verdict = check({ source: source.node, sourceHandle: source.handle, target: target.node, targetHandle: target.handle });
  return verdict.ok ? null : { reason: verdict.reason, hint: verdict.hint, at };
}

function ConnectionToast({ refusal, onClose }: { refusal: Refusal; onClose: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onClose, 8_000);
    return () => clearTimeout(timer);
  }, [refusal.at, onClose]);
  return (
    <div className={styles.canvasToast} role="alert">
      <div>
        <strong data-testid="connection-message">{refusal.reason}</strong>
        {refusal.hint && <div className={styles.toastHint}>{refusal.hint}</div>}
      </div>
      <button className="icon-button" aria-label="Dismiss" onClick={onClose}>
        ×
      </button>
    </div>
  );
}

function EmptyHint() {
  return (
    <div className={styles.canvasEmpty}>
      <h3>Your canvas is empty</h3>
      <p>Drag a step from the list on the left, or click it (or press Enter on it) to add it here. Start with a data step.</p>
    </div>
  );
}

function VersionBanner({ version }: { version: number }) {
  const pipelineId = useEditor((state) => state.pipelineId);
  const dirty = useEditor((state) => state.dirty);
  const restore = useRestore(pipelineId ?? '');
  const canEdit = useCanEdit();
  const [confirming, setConfirming] = useState(false);
  const onRestore = () => {
    if (!pipelineId) return;
    if (dirty && !confirming) return setConfirming(true);
    restore.mutate({ id: pipelineId, version });
  };
  return (
    <div className={styles.versionBanner} role="status" data-testid="version-view-banner">
      <span>
        You are looking at <strong>version {version}</strong>. It can’t be changed here.
      </span>
      <button type="button" className="button small-button" onClick={() => useEditor.getState().stopViewing()} data-testid="stop-viewing">
        Back to the current pipeline
      </button>
      {canEdit && (
        <button
          type="button"
          className={`button small-button${confirming ? ' danger' : ' primary'}`}
          onClick={onRestore}
          disabled={restore.isPending || !pipelineId}
          data-testid="restore-viewed-version"
        >
          {confirming ? 'Replace unsaved changes' : 'Restore this version'}
        </button>
      )}
      {restore.error && <span className="error-text small">{errorMessage(restore.error)}</span>}
    </div>
  );
}

/** Read-only drawing: a saved version being looked at, or a shared pipeline. Clicking a step shows its results. */
export function Canvas() {
  const viewing = useEditor((state) => state.viewing);
  const readOnly = useEditor((state) => state.readOnly);
  const canEdit = useCanEdit();
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  if (viewing) {
    return (
      <div className={`${styles.canvas} ${styles.canvasReadonly}`} data-testid="canvas" data-viewing-version={viewing.version}>
        {/* A key per version, so each one is framed afresh. */}
        <ReadOnlyFlow key={viewing.version} nodes={viewing.nodes} edges={viewing.edges} nodeTypes={nodeTypes} />
        <VersionBanner version={viewing.version} />
      </div>
    );
  }
  if (readOnly || !canEdit) {
    return (
      <div className={`${styles.canvas} ${styles.canvasReadonly}`} data-testid="canvas">
        <ReadOnlyFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} onSelect={selectStep} />
      </div>
    );
  }
  return <EditableCanvas />;
}

function EditableCanvas() {
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const problems = useEditor((state) => state.problems);
  const actions = useEditor.getState();
  const { byType } = useCatalog();
  const { screenToFlowPosition } = useReactFlow();
  const check = useConnectionRules();
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // Frame an opened pipeline once; an empty canvas keeps its view so dropped steps land where they fall.
  const [fitOnOpen] = useState(() => useEditor.getState().nodes.length > 0);
  const dismiss = useCallback(() => setRefusal(null), []);

  const shownEdges = useMemo(() => {
    const bad = new Set(problems.map((problem) => problem.edgeId).filter(Boolean));
    return bad.size ? edges.map((edge) => (bad.has(edge.id) ? { ...edge, className: 'wire-problem' } : edge)) : edges;
  }, [edges, problems]);

  const isValidConnection = useCallback((wire: Edge | Connection) => check(wire).ok, [check]);
  const onConnect = useCallback(
    (connection: Connection) => {
      const verdict = check(connection);
      if (verdict.ok) {
        useEditor.getState().connect(connection);
        setRefusal(null);
      } else setRefusal({ reason: verdict.reason, hint: verdict.hint, at: Date.now() });
    },
    [check],
  );
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      const explained = explainRefusal(state, check);
      if (explained) setRefusal(explained);
    },
    [check],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);
  const dropOnWire = useDropOnWire();
  const tidyUp = useTidyUp();
  const showRefusal = useCallback((verdict: ReturnType<typeof dropOnWire>) => {
    if (verdict) setRefusal({ reason: verdict.reason, hint: verdict.hint, at: Date.now() });
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      const spec = byType.get(type);
      if (!spec) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const rect = { x: point.x - STEP_BOX.width / 2, y: point.y - 30, ...STEP_BOX };
      const id = useEditor.getState().addNode(spec, { x: rect.x, y: rect.y });
      showRefusal(dropOnWire({ id, type }, rect));
    },
    [byType, screenToFlowPosition, dropOnWire, showRefusal],
  );
  const onNodeDragStop: OnNodeDrag<StepNode> = useCallback(
    (event, node, dragged) => {
      actions.endDrag();
      if (dragged.length !== 1) return;
      const size = { width: node.measured?.width ?? STEP_BOX.width, height: node.measured?.height ?? STEP_BOX.height };
      showRefusal(dropOnWire({ id: node.id, type: node.data.type }, { ...node.position, ...size }));
    },
    [actions, dropOnWire, showRefusal],
  );

  return (
    <div className={styles.canvas} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<StepNode>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={actions.onNodesChange}
        onEdgesChange={actions.onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={onConnectEnd}
        onNodeDragStart={actions.beginDrag}
        onNodeDragStop={onNodeDragStop}
        onSelectionDragStart={actions.beginDrag}
        onSelectionDragStop={actions.endDrag}
        onPaneClick={() => actions.selectNode(null)}
        deleteKeyCode={['Backspace', 'Delete']}
        fitView={fitOnOpen}
        fitViewOptions={FIT_VIEW}
        minZoom={0.2}
        maxZoom={2}
        attributionPosition="top-right"
      >
        <Background gap={20} color="#d8dde6" />
        {nodes.length > 1 && (
          <Panel position="bottom-left" style={{ marginLeft: 56 }}>
            <button type="button" className="button small-button" onClick={tidyUp} data-testid="tidy-up" title="Lay the steps out left to right">
              Tidy up
            </button>
          </Panel>
        )}
        <Controls position="bottom-left" />
        <MiniMap
          position="bottom-right"
          pannable
          zoomable
          style={{ width: 150, height: 96 }}
          nodeClassName={(node) => categoryClass(byType.get((node as StepNode).data.type)?.category)}
        />
      </ReactFlow>
      {nodes.length === 0 && <EmptyHint />}
      {refusal && <ConnectionToast refusal={refusal} onClose={dismiss} />}
    </div>
  );
}
