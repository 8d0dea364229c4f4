import {
  applyEdgeChanges,
  applyNodeChanges,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { create } from 'zustand';
import type { Graph } from '../../nodes/graph-document';
import type { CatalogNode, GraphProblem, RunDetail } from '../../server/api-types';
import { fromGraph, nextNodeId, wireId, type StepNode, type Wire, type WireEnds } from './graph-doc';

interface Snapshot {
  nodes: StepNode[];
  edges: Wire[];
}

/** A pipeline as opened in the editor: a saved one, a template, a past run, or a blank canvas. */
export interface OpenedDocument {
  /** Identifies what is open, e.g. "pipeline:<id>", "template:<id>", "new". */
  key: string;
  pipelineId: string | null;
  name: string;
  description: string;
  graph: Graph;
  runId?: string | null;
  /** Shown for reading only (a shared pipeline): nothing on the canvas can be changed. */
  readOnly?: boolean;
}

/** A saved version put on the canvas for a look, in place of the pipeline being edited. */
export interface VersionView {
  version: number;
  nodes: StepNode[];
  edges: Wire[];
}

const HISTORY_LIMIT = 100;
/** Edits with the same key closer together than this become one undo step (typing in a field). */
const COALESCE_MS = 1_000;

export interface EditorState {
  key: string | null;
  pipelineId: string | null;
  name: string;
  description: string;
  nodes: StepNode[];
  edges: Wire[];
  selectedNodeId: string | null;
  past: Snapshot[];
  future: Snapshot[];
  lastEdit: { key: string; at: number } | null;
  dragStart: Snapshot | null;
  /** Unsaved changes since the pipeline was opened or saved. */
  dirty: boolean;
  runId: string | null;
  run: RunDetail | null;
  /** Problems found by the last check of the graph; shown on the nodes. */
  problems: GraphProblem[];
  /** True once the graph has been checked, so later edits re-check it. */
  checked: boolean;
  /** The note the next save records with its version; cleared by the save. */
  saveMessage: string;
  /** A saved version shown read-only on the canvas; null shows the pipeline being edited. */
  viewing: VersionView | null;
  readOnly: boolean;
}

export interface EditorActions {
  open(doc: OpenedDocument): void;
  close(): void;
  setName(name: string): void;
  setDescription(description: string): void;
  /** Adds a step, with the wires `wiresFor` gives for its id, as one undo step; the new step is selected. */
  addNode(spec: Pick<CatalogNode, 'type' | 'version' | 'defaults'>, position: XYPosition, wiresFor?: (id: string) => WireEnds[]): string;
  /** Replaces a wire by the given wires (through a step put on it), as one undo step. */
  splitWire(edgeId: string, wires: WireEnds[]): void;
  /** Moves steps to the given places (Tidy up), as one undo step. */
  moveNodes(positions: ReadonlyMap<string, XYPosition>): void;
  removeNodes(ids: string[]): void;
  onNodesChange(changes: NodeChange<StepNode>[]): void;
  onEdgesChange(changes: EdgeChange<Wire>[]): void;
  connect(ends: WireEnds): void;
  beginDrag(): void;
  endDrag(): void;
  setParam(nodeId: string, name: string, value: unknown): void;
  selectNode(id: string | null): void;
  undo(): void;
  redo(): void;
  replaceGraph(graph: Graph): void;
  setRunId(runId: string | null): void;
  setRun(run: RunDetail): void;
  setProblems(problems: GraphProblem[]): void;
  markSaved(pipelineId: string, name: string, description: string): void;
  setSaveMessage(message: string): void;
  viewVersion(version: number, graph: Graph): void;
  stopViewing(): void;
  /** Puts a graph the server just saved (a restored version) on the canvas; undo brings the previous one back. */
  applySaved(saved: { name: string; description: string; graph: Graph }): void;
}

const blank: EditorState = {
  key: null,
  pipelineId: null,
  name: 'Untitled pipeline',
  description: '',
  nodes: [],
  edges: [],
  selectedNodeId: null,
  past: [],
  future: [],
  lastEdit: null,
  dragStart: null,
  dirty: false,
  runId: null,
  run: null,
  problems: [],
  checked: false,
  saveMessage: '',
  viewing: null,
  readOnly: false,
};

/** The state change that records the current graph as an undo step before an edit. */
function remember(state: EditorState, editKey?: string, windowMs = COALESCE_MS): Partial<EditorState> {
  const now = Date.now();
  const lastEdit = editKey ? { key: editKey, at: now } : null;
  if (editKey && state.lastEdit?.key === editKey && now - state.lastEdit.at < windowMs) {
    return { lastEdit, future: [], dirty: true };
  }
  const past = [...state.past, { nodes: state.nodes, edges: state.edges }].slice(-HISTORY_LIMIT);
  return { past, future: [], lastEdit, dirty: true };
}

function selectedAfter(nodes: StepNode[], previous: string | null): string | null {
  const selected = nodes.filter((node) => node.selected);
  if (previous && selected.some((node) => node.id === previous)) return previous;
  return selected.length ? selected[selected.length - 1].id : null;
}

function restore(state: EditorState, snapshot: Snapshot): Partial<EditorState> {
  const selectedNodeId = snapshot.nodes.some((node) => node.id === state.selectedNodeId) ? state.selectedNodeId : null;
  const nodes = snapshot.nodes.map((node) =>
    Boolean(node.selected) === (node.id === selectedNodeId) ? node : { ...node, selected: node.id === selectedNodeId },
  );
  return { nodes, edges: snapshot.edges, selectedNodeId, lastEdit: null, dirty: true };
}

function toWire(ends: WireEnds): Wire {
  return {
    id: wireId(ends),
    source: ends.source,
    sourceHandle: ends.sourceHandle ?? null,
    target: ends.target,
    targetHandle: ends.targetHandle ?? null,
  };
}

function samePositions(a: StepNode[], b: StepNode[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((node) => [node.id, node.position]));
  return a.every((node) => {
    const other = byId.get(node.id);
    return other !== undefined && other.x === node.position.x && other.y === node.position.y;
  });
}

export const useEditor = create<EditorState & EditorActions>()((set, get) => ({
  ...blank,

  open(doc) {
    const { nodes, edges } = fromGraph(doc.graph);
    set({
      ...blank,
      key: doc.key,
      pipelineId: doc.pipelineId,
      name: doc.name,
      description: doc.description,
      nodes,
      edges,
      runId: doc.runId ?? null,
      readOnly: doc.readOnly ?? false,
    });
  },

  close() {
    set({ ...blank });
  },

  setName(name) {
    set({ name, dirty: true });
  },

  setDescription(description) {
    set({ description, dirty: true });
  },

  addNode(spec, position, wiresFor) {
    const state = get();
    const id = nextNodeId(
      spec.type,
      state.nodes.map((node) => node.id),
    );
    const node: StepNode = {
      id,
      type: 'step',
      position,
      selected: true,
      data: { type: spec.type, version: spec.version, params: structuredClone(spec.defaults ?? {}) },
    };
    const nodes = state.nodes.map((other) => (other.selected ? { ...other, selected: false } : other));
    const edges = [...state.edges, ...(wiresFor?.(id) ?? []).map(toWire)];
    set({ ...remember(state), nodes: [...nodes, node], edges, selectedNodeId: id });
    return id;
  },

  splitWire(edgeId, wires) {
    const state = get();
    const edges = [...state.edges.filter((edge) => edge.id !== edgeId), ...wires.map(toWire)];
    set({ ...remember(state), edges });
  },

  moveNodes(positions) {
    const state = get();
    const nodes = state.nodes.map((node) => {
      const position = positions.get(node.id);
      return position ? { ...node, position } : node;
    });
    set({ ...remember(state), nodes });
  },

  removeNodes(ids) {
    const state = get();
    const gone = new Set(ids);
    if (!state.nodes.some((node) => gone.has(node.id))) return;
    set({
      ...remember(state),
      nodes: state.nodes.filter((node) => !gone.has(node.id)),
      edges: state.edges.filter((edge) => !gone.has(edge.source) && !gone.has(edge.target)),
      selectedNodeId: state.selectedNodeId && gone.has(state.selectedNodeId) ? null : state.selectedNodeId,
    });
  },

  onNodesChange(changes) {
    const state = get();
    const removing = changes.some((change) => change.type === 'remove');
    const moving = changes.some((change) => change.type === 'position' && change.position);
    const nodes = applyNodeChanges(changes, state.nodes);
    const history = removing ? remember(state, 'remove', 250) : moving ? { dirty: true } : {};
    set({ ...history, nodes, selectedNodeId: selectedAfter(nodes, state.selectedNodeId) });
  },

  onEdgesChange(changes) {
    const state = get();
    const removing = changes.some((change) => change.type === 'remove');
    const edges = applyEdgeChanges(changes, state.edges);
    set({ ...(removing ? remember(state, 'remove', 250) : {}), edges });
  },

  connect(ends) {
    const state = get();
    const edge = toWire(ends);
    if (state.edges.some((other) => other.id === edge.id)) return;
    set({ ...remember(state), edges: [...state.edges, edge] });
  },

  beginDrag() {
    const state = get();
    set({ dragStart: { nodes: state.nodes, edges: state.edges } });
  },

  endDrag() {
    const state = get();
    const start = state.dragStart;
    if (!start) return;
    if (samePositions(start.nodes, state.nodes)) {
      set({ dragStart: null });
      return;
    }
    const past = [...state.past, start].slice(-HISTORY_LIMIT);
    set({ past, future: [], dragStart: null, lastEdit: null, dirty: true });
  },

  setParam(nodeId, name, value) {
    const state = get();
    const nodes = state.nodes.map((node) =>
      node.id === nodeId ? { ...node, data: { ...node.data, params: { ...node.data.params, [name]: value } } } : node,
    );
    set({ ...remember(state, `param:${nodeId}:${name}`), nodes });
  },

  selectNode(id) {
    const state = get();
    const nodes = state.nodes.map((node) =>
      Boolean(node.selected) === (node.id === id) ? node : { ...node, selected: node.id === id },
    );
    set({ nodes, selectedNodeId: id });
  },

  undo() {
    const state = get();
    const previous = state.past[state.past.length - 1];
    if (!previous) return;
    set({
      ...restore(state, previous),
      past: state.past.slice(0, -1),
      future: [{ nodes: state.nodes, edges: state.edges }, ...state.future],
    });
  },

  redo() {
    const state = get();
    const next = state.future[0];
    if (!next) return;
    set({
      ...restore(state, next),
      past: [...state.past, { nodes: state.nodes, edges: state.edges }],
      future: state.future.slice(1),
    });
  },

  replaceGraph(graph) {
    const state = get();
    const { nodes, edges } = fromGraph(graph);
    set({ ...remember(state), nodes, edges, selectedNodeId: null });
  },

  setRunId(runId) {
    const state = get();
    if (state.runId === runId) return;
    set({ runId, run: state.run && state.run.id === runId ? state.run : null });
  },

  setRun(run) {
    if (get().runId !== run.id) return;
    set({ run });
  },

  setProblems(problems) {
    set({ problems, checked: true });
  },

  markSaved(pipelineId, name, description) {
    set({ pipelineId, key: `pipeline:${pipelineId}`, name, description, dirty: false, saveMessage: '' });
  },

  setSaveMessage(saveMessage) {
    set({ saveMessage });
  },

  viewVersion(version, graph) {
    const { nodes, edges } = fromGraph(graph);
    set({ viewing: { version, nodes, edges } });
  },

  stopViewing() {
    set({ viewing: null });
  },

  applySaved(saved) {
    const state = get();
    const { nodes, edges } = fromGraph(saved.graph);
    const past = [...state.past, { nodes: state.nodes, edges: state.edges }].slice(-HISTORY_LIMIT);
    set({
      name: saved.name,
      description: saved.description,
      nodes,
      edges,
      past,
      future: [],
      lastEdit: null,
      selectedNodeId: null,
      viewing: null,
      dirty: false,
    });
  },
}));

/** Problems found for one node (by the last check) as plain messages. */
export function problemsFor(problems: readonly GraphProblem[], nodeId: string): string[] {
  return problems.filter((problem) => problem.nodeId === nodeId).map((problem) => problem.message);
}
