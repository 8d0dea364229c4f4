import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, NodeInputError, type PortValue } from '../../nodes/define';
import type { ReportValue } from '../../nodes/values';
import { CURRENT_SCHEMA_VERSION, GraphFormatError, parseGraph, type Graph } from '../../nodes/graph-document';
import { OutputCache } from './cache';
import { heldBytes } from './held-bytes';
import { ConsumerLedger } from './release';
import type { EngineEvent } from './events';
import { executeGraph } from './execute';
import { topologicalOrder } from './order';
import { createRegistry } from './registry';
import { validateGraph } from './validate';

// Small arithmetic nodes: the engine only sees definitions, so these exercise it without ML. A number
// travels as a report holding it.
const calls: string[] = [];
const numberValue = (value: number): ReportValue => ({ task: 'regression', metrics: { value } });
const numberIn = (value: PortValue): number => ('metrics' in value ? value.metrics.value : NaN);
const constant = defineNode({
  type: 'test.constant',
  version: 1,
  title: 'Constant',
  category: 'Data',
  help: 'A number.',
  inputs: [],
  outputs: [{ name: 'table', type: 'report', label: 'Value' }],
  params: z.object({ value: z.number().default(1) }),
  async run({ params, ctx }) {
    calls.push(ctx.nodeId);
    return { outputs: { table: numberValue(params.value) }, preview: { kind: 'table', rowCount: 0, columns: [], rows: [], target: null } };
  },
});
const add = defineNode({
  type: 'test.add',
  version: 1,
  title: 'Add',
  category: 'Prepare',
  help: 'Adds two numbers.',
  inputs: [
    { name: 'a', type: 'report', label: 'A' },
    { name: 'b', type: 'report', label: 'B' },
  ],
  outputs: [{ name: 'sum', type: 'report', label: 'Sum' }],
  params: z.object({ failWhen: z.number().optional() }),
  async run({ params, inputs, ctx }) {
    calls.push(ctx.nodeId);
    const sum = inputs.a.metrics.value + inputs.b.metrics.value;
    if (sum === params.failWhen) throw new NodeInputError(`sum is ${sum}`);
    return { outputs: { sum: numberValue(sum) }, preview: { kind: 'table', rowCount: sum, columns: [], rows: [], target: null }, metrics: { r2: sum } };
  },
});
const model = defineNode({
  type: 'test.model',
  version: 1,
  title: 'Train',
  category: 'Model',
  help: 'Waits until cancelled.',
  inputs: [{ name: 'data', type: 'split', label: 'Train/test' }],
  outputs: [{ name: 'model', type: 'model', label: 'Model' }],
  params: z.object({}),
  async run() {
    throw new Error('not reached');
  },
});
const slow = defineNode({
  type: 'test.slow',
  version: 1,
  title: 'Slow',
  category: 'Model',
  help: 'Waits until cancelled.',
  inputs: [{ name: 'a', type: 'report', label: 'A' }],
  outputs: [{ name: 'out', type: 'report', label: 'Out' }],
  params: z.object({}),
  async run({ ctx }) {
    await new Promise<void>((resolve, reject) => {
      ctx.signal.addEventListener('abort', () => reject(new Error('Cancelled')));
      setTimeout(resolve, 5_000);
    });
    return { outputs: { out: numberValue(0) }, preview: { kind: 'table', rowCount: 0, columns: [], rows: [], target: null } };
  },
});
const titled = defineNode({
  type: 'test.titled',
  version: 1,
  title: 'Titled',
  category: 'Model',
  help: 'A setting with a title.',
  inputs: [],
  outputs: [],
  params: z.object({ strictness: z.number().positive().default(1).meta({ title: 'Strictness (C)', description: 'How strict.' }) }),
  async run() {
    throw new Error('not reached');
  },
});
// A number carried with a large array beside it, as a table's columns would be.
const big = defineNode({
  type: 'test.big',
  version: 1,
  title: 'Big',
  category: 'Data',
  help: 'A number and a megabyte of rows.',
  inputs: [],
  outputs: [{ name: 'table', type: 'report', label: 'Value' }],
  params: z.object({ value: z.number().default(1) }),
  async run({ params, ctx }) {
    calls.push(ctx.nodeId);
    const value = { ...numberValue(params.value), rows: new Float64Array(128 * 1024) } as ReportValue;
    return { outputs: { table: value }, preview: { kind: 'table', rowCount: 128 * 1024, columns: [], rows: [], target: null } };
  },
});
const registry = createRegistry([constant, add, model, slow, big]);
const files = {
  datasets: { pathOf: () => '' },
  artifacts: {
    write: () => {
      throw new Error('unused');
    },
    read: () => new Uint8Array(),
  },
};

function sumGraph(a = 2, b = 3): Graph {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: [
      { id: 'sum', type: 'test.add', version: 1, params: {}, position: { x: 0, y: 0 } },
      { id: 'a', type: 'test.constant', version: 1, params: { value: a }, position: { x: 0, y: 0 } },
      { id: 'b', type: 'test.constant', version: 1, params: { value: b }, position: { x: 0, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'a', sourceHandle: 'table', target: 'sum', targetHandle: 'a' },
      { id: 'e2', source: 'b', sourceHandle: 'table', target: 'sum', targetHandle: 'b' },
    ],
  };
}

describe('graph validation', () => {
  it('reports every problem at once, each on its node', () => {
    const graph: Graph = {
      schemaVersion: 1,
      nodes: [
        { id: 'mystery', type: 'test.nope', version: 1, params: {}, position: { x: 0, y: 0 } },
        { id: 'a', type: 'test.constant', version: 1, params: { value: 'ten' }, position: { x: 0, y: 0 } },
        { id: 'sum', type: 'test.add', version: 1, params: {}, position: { x: 0, y: 0 } },
        { id: 'train', type: 'test.model', version: 1, params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'a', sourceHandle: 'table', target: 'sum', targetHandle: 'a' },
        { id: 'e2', source: 'a', sourceHandle: 'table', target: 'train', targetHandle: 'data' },
      ],
    };
    const problems = validateGraph(graph, registry);
    const byNode = (id: string) => problems.filter((p) => p.nodeId === id).map((p) => p.message);
    expect(byNode('mystery')).toEqual(['"test.nope" is not a node type this Pipelab knows']);
    expect(byNode('a')[0]).toMatch(/setting "value"/);
    // A setting with a title in its schema is named as the form shows it.
    const titledProblems = validateGraph({ schemaVersion: 1, nodes: [{ id: 's', type: 'test.titled', version: 1, params: { strictness: -1 }, position: { x: 0, y: 0 } }], edges: [] }, createRegistry([titled]));
    expect(titledProblems[0].message).toMatch(/^setting "Strictness \(C\)": /);
    expect(byNode('sum')).toEqual(['Input "B" is not connected: wire an evaluation report into it']);
    expect(byNode('train')).toEqual(['Train needs a train/test split on "Train/test"; Constant outputs an evaluation report']);
  });

  it('lists the problems in the run error by node title, not by id', async () => {
    const graph = sumGraph();
    graph.edges.pop();
    graph.nodes.push({ id: 'n9', type: 'test.add', version: 1, params: {}, position: { x: 0, y: 0 } });
    const outcome = await executeGraph({ graph, registry, ...files });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      [
        'The pipeline has 3 problems to fix before it can run.',
        '- Add: Input "B" is not connected: wire an evaluation report into it',
        '- Add 2: Input "A" is not connected: wire an evaluation report into it',
        '- Add 2: Input "B" is not connected: wire an evaluation report into it',
      ].join('\n'),
    );
  });

  it('finds loops', () => {
    const graph = sumGraph();
    graph.nodes.push({ id: 'again', type: 'test.add', version: 1, params: {}, position: { x: 0, y: 0 } });
    graph.edges.push(
      { id: 'e3', source: 'sum', sourceHandle: 'sum', target: 'again', targetHandle: 'a' },
      { id: 'e4', source: 'again', sourceHandle: 'sum', target: 'again', targetHandle: 'b' },
    );
    const problems = validateGraph(graph, registry);
    expect(problems.map((p) => p.nodeId)).toEqual(['again']);
    expect(problems[0].message).toMatch(/loop/);
  });

  it('orders nodes after their inputs, keeping document order for ties', () => {
    expect(topologicalOrder(sumGraph()).order).toEqual(['a', 'b', 'sum']);
  });
});

describe('graph documents', () => {
  it('refuses a graph nested 5,000 deep before anything recursive reads it', () => {
    let params: unknown = 1;
    for (let level = 0; level < 5000; level += 1) params = { deeper: params };
    const graph = { schemaVersion: 1, nodes: [{ id: 'a', type: 'data.csv', version: 1, params }], edges: [] };
    expect(() => parseGraph(graph)).toThrow(/nested more than 32 levels deep/);
    const text = `{"schemaVersion":1,"nodes":[{"id":"a","type":"data.csv","version":1,"params":${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}}],"edges":[]}`;
    expect(() => parseGraph(text)).toThrow(GraphFormatError);
  });

  it('refuses graphs over the step count and ids over 100 characters', () => {
    const nodes = Array.from({ length: 501 }, (_, index) => ({ id: `n${index}`, type: 'data.csv', version: 1 }));
    expect(() => parseGraph({ schemaVersion: 1, nodes, edges: [] })).toThrow(/at most 500 steps/);
    const longId = { schemaVersion: 1, nodes: [{ id: 'x'.repeat(10_000_000), type: 'data.csv', version: 1 }], edges: [] };
    expect(() => parseGraph(longId)).toThrow(/longer than 100 characters/);
  });

  it('explains malformed JSON, future versions and duplicate ids', () => {
    expect(() => parseGraph('{"nodes": [')).toThrow(/not JSON/);
    expect(() => parseGraph({ schemaVersion: 99, nodes: [], edges: [] })).toThrow(/newer Pipelab/);
    const duplicate = { ...sumGraph(), nodes: [...sumGraph().nodes, sumGraph().nodes[0]] };
    expect(() => parseGraph(duplicate)).toThrow(/node "sum": the id is used by more than one node/);
    try {
      parseGraph({ schemaVersion: 1, nodes: [{ id: 'x', type: 'data.csv' }], edges: [] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphFormatError);
      expect((error as GraphFormatError).problems).toEqual(['node "x" field "version": Invalid input: expected number, received undefined']);
    }
  });

  it('lifts older documents through the migration table', () => {
    const migrations = {
      0: (doc: Record<string, unknown>) => ({ schemaVersion: 1, nodes: doc.steps, edges: [] }),
    };
    const old = { schemaVersion: 0, steps: [{ id: 'a', type: 'test.constant', version: 1 }] };
    const graph = parseGraph(old, migrations);
    expect(graph.nodes[0]).toEqual({ id: 'a', type: 'test.constant', version: 1, params: {}, position: { x: 0, y: 0 } });
  });
});

describe('graph execution', () => {
  it('runs nodes in order and reuses unchanged outputs', async () => {
    const cache = new OutputCache();
    calls.length = 0;
    const first = await executeGraph({ graph: sumGraph(2, 3), registry, ...files, cache });
    expect(first.status).toBe('succeeded');
    expect(numberIn(first.results.get('sum')!.outputs.sum)).toBe(5);
    expect(first.headline).toBeNull(); // only eval.* nodes provide the run's headline
    expect(calls).toEqual(['a', 'b', 'sum']);

    calls.length = 0;
    const events: EngineEvent[] = [];
    const second = await executeGraph({ graph: sumGraph(2, 10), registry, ...files, cache, onEvent: (e) => events.push(e) });
    expect(numberIn(second.results.get('sum')!.outputs.sum)).toBe(12);
    expect(calls).toEqual(['b', 'sum']);
    const finished = events.filter((e) => e.type === 'finished') as Extract<EngineEvent, { type: 'finished' }>[];
    expect(finished.map((e) => [e.nodeId, e.cached])).toEqual([
      ['a', true],
      ['b', false],
      ['sum', false],
    ]);
  });

  it('skips what depends on a failed node and names the node in the error', async () => {
    const graph = sumGraph(2, 3);
    graph.nodes[0].params = { failWhen: 5 };
    graph.nodes.push({ id: 'after', type: 'test.add', version: 1, params: {}, position: { x: 0, y: 0 } });
    graph.edges.push(
      { id: 'e3', source: 'sum', sourceHandle: 'sum', target: 'after', targetHandle: 'a' },
      { id: 'e4', source: 'a', sourceHandle: 'table', target: 'after', targetHandle: 'b' },
    );
    const events: EngineEvent[] = [];
    const outcome = await executeGraph({ graph, registry, ...files, onEvent: (e) => events.push(e) });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('Add: sum is 5');
    expect(events.find((e) => e.type === 'skipped')).toEqual({ type: 'skipped', nodeId: 'after', reason: 'Not run: "Add" did not finish' });
  });

  it('names failing nodes by title, numbering the second of a kind, and never by id', async () => {
    const graph = sumGraph(2, 3);
    graph.nodes[0].params = { failWhen: 5 };
    graph.nodes.push({ id: 'n7', type: 'test.add', version: 1, params: { failWhen: 4 }, position: { x: 0, y: 0 } });
    graph.edges.push(
      { id: 'e3', source: 'a', sourceHandle: 'table', target: 'n7', targetHandle: 'a' },
      { id: 'e4', source: 'a', sourceHandle: 'table', target: 'n7', targetHandle: 'b' },
    );
    const outcome = await executeGraph({ graph, registry, ...files });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.split('\n').sort()).toEqual(['Add 2: sum is 4', 'Add: sum is 5']);
    expect(outcome.error).not.toMatch(/\bn7\b|\(sum\)/);
  });

  it('stops when cancelled', async () => {
    const graph = sumGraph();
    graph.nodes.push({ id: 'slow', type: 'test.slow', version: 1, params: {}, position: { x: 0, y: 0 } });
    graph.edges.push({ id: 'e3', source: 'sum', sourceHandle: 'sum', target: 'slow', targetHandle: 'a' });
    const controller = new AbortController();
    const started = Date.now();
    const pending = executeGraph({
      graph,
      registry,
      ...files,
      signal: controller.signal,
      onEvent: (e) => e.type === 'started' && e.nodeId === 'slow' && setTimeout(() => controller.abort(), 50),
    });
    const outcome = await pending;
    expect(outcome.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('releasing outputs', () => {
  // data → split → (logistic, tree) → evaluate, and the split also wired into evaluate.
  function benchShaped(): Graph {
    const node = (id: string) => ({ id, type: 'test.add', version: 1, params: {}, position: { x: 0, y: 0 } });
    const edge = (source: string, target: string, targetHandle = 'a') => ({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle: 'sum', target, targetHandle });
    return {
      schemaVersion: CURRENT_SCHEMA_VERSION,
      nodes: ['data', 'split', 'logistic', 'tree', 'evaluate'].map(node),
      edges: [edge('data', 'split'), edge('split', 'logistic'), edge('split', 'tree'), edge('logistic', 'evaluate'), edge('tree', 'evaluate', 'b'), edge('split', 'evaluate', 'b')],
    };
  }

  it('lets go of a node once the last node wired to it has been dealt with', () => {
    const ledger = new ConsumerLedger(benchShaped());
    expect(ledger.settled('data')).toEqual([]);
    expect(ledger.settled('split')).toEqual(['data']);
    expect(ledger.settled('logistic')).toEqual([]);
    expect(ledger.settled('tree')).toEqual([]);
    expect(ledger.settled('evaluate')).toEqual(['evaluate', 'logistic', 'tree', 'split']);
  });

  it('counts each wire, so a node wired twice into one node is let go once, after that node', () => {
    const graph = sumGraph();
    graph.edges[1] = { ...graph.edges[1], source: 'a' };
    const ledger = new ConsumerLedger(graph);
    expect(ledger.settled('a')).toEqual([]);
    expect(ledger.settled('b')).toEqual(['b']);
    expect(ledger.settled('sum')).toEqual(['sum', 'a']);
  });

  it('keeps previews and metrics but no port values in the results of a releasing run', async () => {
    const outcome = await executeGraph({ graph: sumGraph(2, 3), registry, ...files, releaseOutputs: true });
    expect(outcome.status).toBe('succeeded');
    for (const id of ['a', 'b', 'sum']) expect(outcome.results.get(id)!.outputs).toEqual({});
    expect(outcome.results.get('sum')!.preview).toMatchObject({ kind: 'table', rowCount: 5 });
    expect(outcome.results.get('sum')!.metrics).toEqual({ r2: 5 });
    // Without the option every output stays readable (tests and scripts read them).
    const kept = await executeGraph({ graph: sumGraph(2, 3), registry, ...files });
    expect(numberIn(kept.results.get('a')!.outputs.table)).toBe(2);
  });

  it('lets go of a failed node\'s inputs and of what is skipped after it', async () => {
    const graph = sumGraph(2, 3);
    graph.nodes[0].params = { failWhen: 5 };
    const outcome = await executeGraph({ graph, registry, ...files, releaseOutputs: true });
    expect(outcome.status).toBe('failed');
    expect(outcome.results.get('a')!.outputs).toEqual({});
    expect(outcome.results.get('b')!.outputs).toEqual({});
  });

  it('caches outputs within its byte budget only: a big one is computed again, small ones are reused', async () => {
    const cache = new OutputCache(64, 64 * 1024);
    const graph = sumGraph(2, 3);
    graph.nodes[1] = { ...graph.nodes[1], type: 'test.big' };
    calls.length = 0;
    const first = await executeGraph({ graph, registry, ...files, cache, releaseOutputs: true });
    expect(first.status).toBe('succeeded');
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBeLessThan(64 * 1024);
    calls.length = 0;
    const second = await executeGraph({ graph, registry, ...files, cache, releaseOutputs: true });
    expect(second.results.get('sum')!.metrics).toEqual({ r2: 5 });
    expect(calls).toEqual(['a']);
  });

  it('evicts the oldest outputs when the budget is full', () => {
    const cache = new OutputCache(64, 3 * 1024 * 1024);
    const entry = () => ({ outputs: { table: { task: 'regression', metrics: {}, rows: new Float64Array(128 * 1024) } as ReportValue }, preview: { kind: 'table' as const, rowCount: 0, columns: [], rows: [], target: null } });
    for (const key of ['k1', 'k2', 'k3', 'k4']) cache.set(key, entry());
    expect(cache.size).toBe(3);
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k4')).toBeDefined();
    expect(cache.bytes).toBe(3 * 1024 * 1024);
  });

  it('counts a buffer shared by several columns once', () => {
    const buffer = new Float64Array(1000);
    const frame = { columns: [{ values: buffer.subarray(0, 500) }, { values: buffer.subarray(500) }, { values: ['a', 'b'] }], rowCount: 500 };
    expect(heldBytes({ frame, source: frame })).toBe(8000 + 8 * 3 + 8 * 2);
  });

  it('does not call getters, so a table read on first use is not loaded by being counted', () => {
    let loads = 0;
    const lazy = {
      get frame() {
        loads += 1;
        return { columns: [{ values: new Float64Array(1000) }], rowCount: 1000 };
      },
      steps: [new Float64Array(10)],
    };
    expect(heldBytes({ table: lazy })).toBe(80 + 8);
    expect(loads).toBe(0);
  });
});
