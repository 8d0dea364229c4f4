import { describe, expect, it } from 'vitest';
import type { Graph } from '../../nodes/graph-document';
import type { ComparedRun } from '../api-types';
import { compareRuns, type RunToCompare } from './compare';
import { classificationPreview, sampleGraph, testLookup } from './fixtures';

function run(id: string, metrics: Record<string, number>, extra: Partial<ComparedRun> = {}): ComparedRun {
  return {
    id,
    pipelineId: 'p1',
    label: `Run ${id}`,
    status: 'succeeded',
    origin: 'ui',
    backend: 'wasm',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_005_000,
    durationMs: 5000,
    headline: null,
    error: null,
    startedBy: null,
    pipelineName: 'Churn',
    pipelineVersion: 1,
    metrics,
    ...extra,
  };
}

function item(id: string, graph: Graph, metrics: Record<string, number>, withEvaluation = false): RunToCompare {
  return { run: run(id, metrics), graph, evaluations: withEvaluation ? [{ nodeId: 'evaluate', preview: classificationPreview() }] : [] };
}

describe('run comparison', () => {
  it('flags only the settings that differ, with node defaults filled in', () => {
    const second = sampleGraph();
    second.nodes.find((n) => n.id === 'model')!.params = { l2: 0.1, classWeight: 'none' };
    const comparison = compareRuns([item('a', sampleGraph(), {}), item('b', second, {})], testLookup);
    const differing = comparison.parameters.filter((p) => p.differs);
    expect(differing).toEqual([{ nodeId: 'model', nodeTitle: 'Logistic regression', param: 'l2', paramTitle: 'Regularization (L2)', values: [1, 0.1], differs: true }]);
    // classWeight was left at its default in run a and written out in run b: the same setting.
    expect(comparison.parameters.find((p) => p.param === 'classWeight')).toMatchObject({ values: ['none', 'none'], differs: false });
    expect(comparison.graphChanges.map((entry) => [entry.nodeId, entry.nodeTitle, entry.change, entry.inRuns])).toEqual([
      ['data', 'CSV file', 'same', [true, true]],
      ['split', 'Train/test split', 'same', [true, true]],
      ['model', 'Logistic regression', 'changed', [true, true]],
      ['evaluate', 'Evaluate', 'same', [true, true]],
    ]);
    expect(comparison.edgeChanges).toEqual([]);
  });

  it('marks the best run per metric, lowest for mae and rmse, ties to the earlier run', () => {
    const graph = sampleGraph();
    const comparison = compareRuns([
      item('a', graph, { r2: 0.8, mae: 2.5, rmse: 3.1 }),
      item('b', graph, { r2: 0.9, mae: 2.7, rmse: 3.0 }),
      item('c', graph, { r2: 0.9, mae: 2.4 }),
    ]);
    expect(comparison.metricNames).toEqual(['mae', 'r2', 'rmse']);
    expect(comparison.best).toEqual({ r2: 1, mae: 2, rmse: 1 });
    expect(comparison.runs.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('describes nodes and wires added or removed relative to run #1', () => {
    const second = sampleGraph();
    second.nodes.push({ id: 'tree', type: 'model.decisionTree', version: 1, params: {}, position: { x: 500, y: 200 } });
    second.edges.push({ id: 't1', source: 'split', sourceHandle: 'split', target: 'tree', targetHandle: 'data' });
    const third = sampleGraph();
    third.nodes = third.nodes.filter((n) => n.id !== 'evaluate');
    third.edges = third.edges.filter((e) => e.target !== 'evaluate');
    const comparison = compareRuns([item('a', sampleGraph(), {}), item('b', second, {}), item('c', third, {})], testLookup);
    expect(comparison.graphChanges.filter((entry) => entry.change !== 'same')).toEqual([
      { nodeId: 'evaluate', nodeTitle: 'Evaluate', change: 'removed', inRuns: [true, true, false] },
      { nodeId: 'tree', nodeTitle: 'Decision tree', change: 'added', inRuns: [false, true, false] },
    ]);
    expect(comparison.edgeChanges.map((e) => [e.edgeId, e.change, e.inRuns])).toEqual([
      ['e3', 'removed', [true, true, false]],
      ['e4', 'removed', [true, true, false]],
      ['t1', 'added', [false, true, false]],
    ]);
    // Settings of a node a run lacks are null for that run.
    expect(comparison.parameters.find((p) => p.nodeId === 'tree' && p.param === 'maxDepth')).toMatchObject({ values: [null, 5, null], differs: true });
    expect(comparison.baseGraph).toEqual(sampleGraph());
  });

  it("takes each evaluate node's leading model for ROC curves and confusion matrices", () => {
    const comparison = compareRuns([item('a', sampleGraph(), { rocAuc: 0.9 }, true), item('b', sampleGraph(), { rocAuc: 0.8 })]);
    expect(comparison.rocCurves).toEqual([
      { runIndex: 0, nodeId: 'evaluate', model: 'Logistic regression (model)', fpr: [0, 0.1, 0.4, 1], tpr: [0, 0.5, 0.9, 1] },
    ]);
    expect(comparison.confusions).toEqual([
      {
        runIndex: 0,
        nodeId: 'evaluate',
        model: 'Logistic regression (model)',
        classes: ['no', 'yes'],
        matrix: [
          [95, 5],
          [25, 75],
        ],
      },
    ]);
  });
});
