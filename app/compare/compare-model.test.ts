import { describe, expect, it } from 'vitest';
import type { CatalogNode } from '../../server/api-types';
import { dataSources, predictedColumns } from '../_components/template-info';
import {
  axisRange,
  bestRun,
  differsFromFirst,
  formatParamValue,
  handlesFromEdges,
  placeExtraNodes,
  RUN_COLORS,
  visibleParams,
} from './compare-model';

describe('parameter values', () => {
  it('reads plainly', () => {
    expect(formatParamValue(null)).toBe('—');
    expect(formatParamValue(true)).toBe('Yes');
    expect(formatParamValue(0.1 + 0.2)).toBe('0.3');
    expect(formatParamValue(['TV', 'Radio'])).toBe('TV, Radio');
    expect(formatParamValue('')).toBe('(empty)');
    expect(formatParamValue({ a: 1 })).toBe('{"a":1}');
  });

  it('marks cells that differ from the first run', () => {
    expect(differsFromFirst([1, 1, 2], 1)).toBe(false);
    expect(differsFromFirst([1, 1, 2], 2)).toBe(true);
    expect(differsFromFirst([['a'], ['a']], 1)).toBe(false);
    expect(differsFromFirst([1, 2], 0)).toBe(false);
  });

  it('shows only differing rows unless asked, keeping steps together', () => {
    const rows = [
      { nodeId: 'a', nodeTitle: 'A', param: 'x', values: [1, 1], differs: false },
      { nodeId: 'b', nodeTitle: 'B', param: 'y', values: [1, 2], differs: true },
      { nodeId: 'a', nodeTitle: 'A', param: 'z', values: [1, 2], differs: true },
    ];
    expect(visibleParams(rows, false).map((row) => row.param)).toEqual(['z', 'y']);
    expect(visibleParams(rows, true).map((row) => row.param)).toEqual(['x', 'z', 'y']);
  });
});

describe('best run per metric', () => {
  it('prefers the server answer', () => {
    expect(bestRun('accuracy', [0.9, 0.8], { accuracy: 1 })).toBe(1);
  });

  it('works it out otherwise, lowest for errors', () => {
    expect(bestRun('accuracy', [0.7, undefined, 0.9])).toBe(2);
    expect(bestRun('rmse', [3, 2, 5])).toBe(1);
    expect(bestRun('accuracy', [undefined, undefined])).toBeNull();
  });
});

describe('graph drawing', () => {
  it('reads handles off the wires', () => {
    const handles = handlesFromEdges([
      { source: 'a', sourceHandle: 'table', target: 'b', targetHandle: 'table' },
      { source: 'b', sourceHandle: 'split', target: 'c', targetHandle: 'data' },
      { source: 'b', sourceHandle: 'split', target: 'd', targetHandle: 'data' },
    ]);
    expect(handles.get('b')).toEqual({ inputs: ['table'], outputs: ['split'] });
    expect(handles.get('d')).toEqual({ inputs: ['data'], outputs: [] });
  });

  it('places extra steps in a row under the graph', () => {
    const placed = placeExtraNodes([{ id: 'a', position: { x: 40, y: 80 } }, { id: 'b', position: { x: 300, y: 260 } }], ['x', 'y']);
    expect(placed).toEqual([
      { id: 'x', position: { x: 40, y: 460 } },
      { id: 'y', position: { x: 280, y: 460 } },
    ]);
  });

  it('puts an extra step under the steps it is wired to', () => {
    const base = [{ id: 'a', position: { x: 0, y: 0 } }, { id: 'b', position: { x: 400, y: 0 } }];
    const wires = [{ source: 'a', target: 'x' }, { source: 'x', target: 'b' }, { source: 'a', target: 'y' }];
    expect(placeExtraNodes(base, ['x', 'y'], wires)).toEqual([
      { id: 'x', position: { x: 200, y: 200 } },
      { id: 'y', position: { x: 480, y: 200 } },
    ]);
  });

  it('has twenty distinct run colours', () => {
    expect(new Set(RUN_COLORS).size).toBe(20);
  });

  it('pads chart ranges and never makes them empty', () => {
    expect(axisRange([])).toEqual([0, 1]);
    expect(axisRange([2, 2])).toEqual([1.8, 2.2]);
    const [min, max] = axisRange([0, 10], 0.1);
    expect(min).toBeCloseTo(-1);
    expect(max).toBeCloseTo(11);
  });
});

describe('template facts', () => {
  const specs = new Map<string, Pick<CatalogNode, 'title' | 'category' | 'params'>>([
    [
      'data.sample',
      {
        title: 'Sample data',
        category: 'Data',
        params: { properties: { sample: { enum: ['bank', 'ads'], enumLabels: ['Bank calls', 'Ad spend'] } } },
      },
    ],
    ['prep.split', { title: 'Split', category: 'Prepare', params: { properties: {} } }],
  ]);
  const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });

  it('names the data each template reads, once', () => {
    const graph = {
      nodes: [
        node('d1', 'data.sample', { sample: 'bank', target: 'y' }),
        node('d2', 'data.sample', { sample: 'bank', target: 'y' }),
        node('csv', 'data.csv', { target: 'responded' }),
        node('s', 'prep.split'),
      ],
    };
    expect(dataSources(graph, specs)).toEqual(['Bank calls', 'A CSV file you upload']);
    expect(predictedColumns(graph)).toEqual(['y', 'responded']);
  });
});
