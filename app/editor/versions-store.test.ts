import { beforeEach, describe, expect, it } from 'vitest';
import { toGraph } from './graph-doc';
import { useEditor } from './store';

const node = (id: string, type: string) => ({ id, type, version: 1, params: {}, position: { x: 0, y: 0 } });
const saved = { schemaVersion: 1 as const, nodes: [node('data', 'data.sample'), node('split', 'prep.split')], edges: [] };
const older = { schemaVersion: 1 as const, nodes: [node('data', 'data.sample')], edges: [] };

describe('versions in the editor store', () => {
  beforeEach(() => {
    useEditor.getState().open({ key: 'pipeline:p1', pipelineId: 'p1', name: 'Churn', description: '', graph: saved });
  });

  it('shows a version without touching the pipeline being edited', () => {
    useEditor.getState().viewVersion(1, older);
    const state = useEditor.getState();
    expect(state.viewing?.version).toBe(1);
    expect(state.viewing?.nodes.map((n) => n.id)).toEqual(['data']);
    expect(state.nodes.map((n) => n.id)).toEqual(['data', 'split']);
    expect(state.dirty).toBe(false);
    useEditor.getState().stopViewing();
    expect(useEditor.getState().viewing).toBeNull();
  });

  it('puts a restored version on the canvas as saved, and undo brings the previous back', () => {
    useEditor.getState().viewVersion(1, older);
    useEditor.getState().applySaved({ name: 'Churn', description: 'restored', graph: older });
    let state = useEditor.getState();
    expect(toGraph(state.nodes, state.edges).nodes.map((n) => n.id)).toEqual(['data']);
    expect(state.dirty).toBe(false);
    expect(state.viewing).toBeNull();
    expect(state.description).toBe('restored');
    useEditor.getState().undo();
    state = useEditor.getState();
    expect(state.nodes.map((n) => n.id)).toEqual(['data', 'split']);
  });

  it('clears the note once saved', () => {
    useEditor.getState().setSaveMessage('Dropped the split');
    useEditor.getState().markSaved('p1', 'Churn', '');
    expect(useEditor.getState().saveMessage).toBe('');
  });

  it('opens shared pipelines read-only', () => {
    useEditor.getState().open({ key: 'share:t', pipelineId: null, name: 'S', description: '', graph: saved, readOnly: true });
    expect(useEditor.getState().readOnly).toBe(true);
    useEditor.getState().close();
    expect(useEditor.getState().readOnly).toBe(false);
  });
});
