import { beforeEach, describe, expect, it } from 'vitest';
import { toGraph } from './graph-doc';
import { useEditor } from './store';

const split = { type: 'prep.split', version: 1, defaults: { testFraction: 0.2 } };
const sample = { type: 'data.sample', version: 1, defaults: { sample: 'advertising' } };

function graph() {
  const { nodes, edges } = useEditor.getState();
  return toGraph(nodes, edges);
}

describe('editor store', () => {
  beforeEach(() => {
    useEditor.getState().open({
      key: 'new',
      pipelineId: null,
      name: 'Test',
      description: '',
      graph: { schemaVersion: 1, nodes: [], edges: [] },
    });
  });

  it('adds steps with numbered ids and their default settings, selected', () => {
    const first = useEditor.getState().addNode(split, { x: 0, y: 0 });
    const second = useEditor.getState().addNode(split, { x: 10, y: 0 });
    expect([first, second]).toEqual(['split-1', 'split-2']);
    expect(graph().nodes[0].params).toEqual({ testFraction: 0.2 });
    expect(useEditor.getState().selectedNodeId).toBe('split-2');
    expect(useEditor.getState().dirty).toBe(true);
  });

  it('adds a continuing step with its wires, puts a step on a wire and tidies up, each one undo step', () => {
    const { addNode, splitWire, moveNodes, undo } = useEditor.getState();
    addNode(sample, { x: 0, y: 0 });
    const wireTo = (target: string) => [{ source: 'sample-1', sourceHandle: 'table', target, targetHandle: 'table' }];
    addNode(split, { x: 228, y: 0 }, wireTo);
    expect(graph().edges.map((edge) => edge.id)).toEqual(['sample-1.table->split-1.table']);
    const through = [
      { source: 'sample-1', sourceHandle: 'table', target: 'split-2', targetHandle: 'table' },
      { source: 'split-2', sourceHandle: 'split', target: 'split-1', targetHandle: 'table' },
    ];
    splitWire('sample-1.table->split-1.table', through);
    expect(graph().edges).toHaveLength(2);
    moveNodes(new Map([['sample-1', { x: 40, y: 40 }]]));
    expect(graph().nodes[0].position).toEqual({ x: 40, y: 40 });
    undo();
    expect(graph().nodes[0].position).toEqual({ x: 0, y: 0 });
    undo();
    expect(graph().edges.map((edge) => edge.id)).toEqual(['sample-1.table->split-1.table']);
    undo();
    expect(graph().nodes).toHaveLength(1);
    expect(graph().edges).toHaveLength(0);
  });

  it('undoes and redoes adds, wires and setting changes', () => {
    const { addNode, connect, setParam } = useEditor.getState();
    addNode(sample, { x: 0, y: 0 });
    addNode(split, { x: 200, y: 0 });
    connect({ source: 'sample-1', sourceHandle: 'table', target: 'split-1', targetHandle: 'table' });
    setParam('split-1', 'testFraction', 0.3);
    expect(graph().edges).toHaveLength(1);

    useEditor.getState().undo();
    expect(graph().nodes[1].params.testFraction).toBe(0.2);
    useEditor.getState().undo();
    expect(graph().edges).toHaveLength(0);
    useEditor.getState().redo();
    useEditor.getState().redo();
    expect(graph().edges).toHaveLength(1);
    expect(graph().nodes[1].params.testFraction).toBe(0.3);
  });

  it('makes one undo step of quick edits to the same setting', () => {
    const { addNode, setParam } = useEditor.getState();
    addNode(split, { x: 0, y: 0 });
    setParam('split-1', 'testFraction', 0.3);
    setParam('split-1', 'testFraction', 0.35);
    useEditor.getState().undo();
    expect(graph().nodes[0].params.testFraction).toBe(0.2);
  });

  it('records a move once, when the drag ends', () => {
    const { addNode, beginDrag, onNodesChange, endDrag } = useEditor.getState();
    addNode(split, { x: 0, y: 0 });
    const before = useEditor.getState().past.length;
    beginDrag();
    onNodesChange([{ id: 'split-1', type: 'position', position: { x: 50, y: 50 }, dragging: true }]);
    onNodesChange([{ id: 'split-1', type: 'position', position: { x: 90, y: 60 }, dragging: true }]);
    endDrag();
    expect(useEditor.getState().past.length).toBe(before + 1);
    useEditor.getState().undo();
    expect(graph().nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('removes a step with its wires and can bring them back', () => {
    const { addNode, connect, removeNodes } = useEditor.getState();
    addNode(sample, { x: 0, y: 0 });
    addNode(split, { x: 200, y: 0 });
    connect({ source: 'sample-1', sourceHandle: 'table', target: 'split-1', targetHandle: 'table' });
    removeNodes(['sample-1']);
    expect(graph().nodes.map((node) => node.id)).toEqual(['split-1']);
    expect(graph().edges).toHaveLength(0);
    useEditor.getState().undo();
    expect(graph().edges).toHaveLength(1);
  });
});
