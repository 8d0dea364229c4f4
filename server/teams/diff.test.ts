import { describe, expect, it } from 'vitest';
import { diffGraphs } from './diff';
import { sampleGraph, testLookup } from './fixtures';

describe('version diff', () => {
  it('finds nothing between a graph and itself', () => {
    const diff = diffGraphs(sampleGraph(), sampleGraph(), testLookup);
    expect(diff.same).toBe(true);
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [], moved: [], unchanged: 4 });
    expect(diff.edges).toEqual({ added: [], removed: [] });
  });

  it('lists added and removed nodes with their titles, param changes, and rewired edges', () => {
    const before = sampleGraph();
    const after = sampleGraph();
    after.nodes = after.nodes.filter((n) => n.id !== 'model');
    after.nodes.push({ id: 'tree', type: 'model.decisionTree', version: 1, params: { maxDepth: 3 }, position: { x: 500, y: 180 } });
    after.nodes.find((n) => n.id === 'split')!.params = { testFraction: 0.3, seed: 7 };
    after.edges = after.edges.filter((e) => e.source !== 'model' && e.target !== 'model');
    after.edges.push(
      { id: 'x1', source: 'split', sourceHandle: 'split', target: 'tree', targetHandle: 'data' },
      { id: 'x2', source: 'tree', sourceHandle: 'model', target: 'evaluate', targetHandle: 'model' },
    );
    const diff = diffGraphs(before, after, testLookup);
    expect(diff.same).toBe(false);
    expect(diff.nodes.added).toEqual([{ id: 'tree', type: 'model.decisionTree', title: 'Decision tree' }]);
    expect(diff.nodes.removed).toEqual([{ id: 'model', type: 'model.logisticRegression', title: 'Logistic regression' }]);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'split',
        type: 'prep.split',
        title: 'Train/test split',
        params: [
          { name: 'testFraction', from: 0.2, to: 0.3 },
          { name: 'seed', from: 42, to: 7 },
        ],
      },
    ]);
    expect(diff.nodes.unchanged).toBe(2);
    expect(diff.edges.added.map((e) => e.id)).toEqual(['x1', 'x2']);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(['e2', 'e3']);
  });

  it('does not count a default written out explicitly, a moved node or a renamed wire as a change', () => {
    const after = sampleGraph();
    after.nodes.find((n) => n.id === 'model')!.params = { l2: 1, classWeight: 'none' };
    after.nodes.find((n) => n.id === 'data')!.position = { x: 0, y: 0 };
    after.edges[0].id = 'renamed';
    const diff = diffGraphs(sampleGraph(), after, testLookup);
    expect(diff.same).toBe(true);
    expect(diff.nodes.moved).toEqual(['data']);
  });

  it('reports a type or version change under the same id, and parameters that appear or disappear', () => {
    const after = sampleGraph();
    const model = after.nodes.find((n) => n.id === 'model')!;
    Object.assign(model, { type: 'model.decisionTree', version: 2, params: { maxDepth: 4 } });
    const changed = diffGraphs(sampleGraph(), after, testLookup).nodes.changed[0];
    expect(changed.typeChange).toEqual({ from: 'model.logisticRegression', to: 'model.decisionTree' });
    expect(changed.versionChange).toEqual({ from: 1, to: 2 });
    expect(changed.params).toEqual([
      { name: 'maxDepth', to: 4 },
      { name: 'l2', from: 1 },
    ]);
  });

  it('compares raw parameters when no catalog is given', () => {
    const after = sampleGraph();
    after.nodes.find((n) => n.id === 'model')!.params = { l2: 1, classWeight: 'none' };
    const diff = diffGraphs(sampleGraph(), after);
    expect(diff.nodes.changed[0].params).toEqual([{ name: 'classWeight', to: 'none' }]);
    expect(diff.nodes.changed[0].title).toBe('model.logisticRegression');
  });
});
