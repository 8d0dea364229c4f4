import { describe, expect, it } from 'vitest';
import { allNodes } from '../../nodes';
import { layOutSteps, STEP_BOX } from '../../nodes/graph-layout';
import { buildCatalog } from '../../server/catalog';
import { templates } from '../../server/templates';
import { fillFromUpstream, nextStepChoices, overlapsAny, placeBeside } from './next-steps';

const catalog = buildCatalog(allNodes);
const spec = (type: string) => catalog.nodes.find((node) => node.type === type)!;
const firstChoices = (type: string, port: string, count = 3) =>
  nextStepChoices(spec(type), spec(type).outputs.find((output) => output.name === port)!, catalog)
    .slice(0, count)
    .map((choice) => choice.spec.category);

describe('next step choices', () => {
  it('offers preparing steps after a table, models after a split, evaluation after a model', () => {
    expect(firstChoices('data.sample', 'table')).toEqual(['Prepare', 'Prepare', 'Prepare']);
    expect(firstChoices('prep.split', 'split')[0]).toBe('Model');
    expect(firstChoices('model.logisticRegression', 'model', 1)).toEqual(['Evaluate']);
    expect(nextStepChoices(spec('model.logisticRegression'), { type: 'model' }, catalog)[0].spec.type).toBe('eval.evaluate');
  });

  it('offers only steps whose input takes the port, and never a data source', () => {
    const choices = nextStepChoices(spec('prep.split'), { type: 'split' }, catalog);
    expect(choices.length).toBeGreaterThan(3);
    for (const { spec: next, input } of choices) {
      expect(next.category).not.toBe('Data');
      expect(next.inputs.find((port) => port.name === input)?.type).toBe('split');
    }
  });
});

describe('placing a new step', () => {
  const nodes = [
    { id: 'data', position: { x: 0, y: 0 } },
    { id: 'split', position: { x: 228, y: 0 } },
  ];
  it('goes right of the step it continues, lower down when that spot is taken', () => {
    const point = placeBeside(nodes[0], nodes, { x: 0, y: 0 });
    expect(point.x).toBe(228);
    expect(point.y).toBeGreaterThan(0);
    expect(overlapsAny(point, nodes)).toBe(false);
    expect(placeBeside(nodes[1], nodes, { x: 0, y: 0 })).toEqual({ x: 456, y: 0 });
  });
});

describe('filling the other inputs of a new step', () => {
  it('feeds Evaluate after a model with the split upstream of that model', () => {
    const graph = {
      nodes: [
        { id: 'split', type: 'prep.split' },
        { id: 'model', type: 'model.logisticRegression' },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      edges: [
        { source: 'split', sourceHandle: 'split', target: 'model', targetHandle: 'data' },
        { source: 'model', sourceHandle: 'model', target: 'evaluate', targetHandle: 'model' },
      ],
    };
    expect(fillFromUpstream('evaluate', 'model', graph, catalog)).toEqual([
      { source: 'split', sourceHandle: 'split', target: 'evaluate', targetHandle: 'data' },
    ]);
  });
});

describe('tidy layout', () => {
  it('lays every template out without two steps overlapping, and a chain left to right', () => {
    for (const template of templates) {
      const placed = template.graph.nodes.map((node) => ({ id: node.id, position: node.position }));
      for (const node of placed) expect(overlapsAny(node.position, placed.filter((other) => other.id !== node.id))).toBe(false);
    }
    const chain = ['a', 'b', 'c'].map((id) => ({ id, ...STEP_BOX }));
    const positions = layOutSteps(chain, [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }]);
    expect(positions.get('a')!.x).toBeLessThan(positions.get('b')!.x);
    expect(positions.get('b')!.x).toBeLessThan(positions.get('c')!.x);
  });
});
