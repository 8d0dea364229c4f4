import { describe, expect, it } from 'vitest';
import { checkConnection, reaches, sameSideMessage, type RulesCatalog, type RulesGraph } from './connection-rules';

const catalog: RulesCatalog = {
  portTypes: { table: 'a table', split: 'a train/test split', model: 'a trained model', report: 'an evaluation report' },
  nodes: [
    { type: 'data.sample', title: 'Sample data', inputs: [], outputs: [{ name: 'table', type: 'table', label: 'Table' }] },
    {
      type: 'prep.normalize',
      title: 'Normalize',
      inputs: [{ name: 'table', type: 'table', label: 'Table' }],
      outputs: [{ name: 'table', type: 'table', label: 'Table' }],
    },
    {
      type: 'prep.split',
      title: 'Train/test split',
      inputs: [{ name: 'table', type: 'table', label: 'Table' }],
      outputs: [{ name: 'split', type: 'split', label: 'Train/test' }],
    },
    {
      type: 'model.logisticRegression',
      title: 'Logistic regression',
      inputs: [{ name: 'data', type: 'split', label: 'Train/test' }],
      outputs: [{ name: 'model', type: 'model', label: 'Model' }],
    },
    {
      type: 'eval.evaluate',
      title: 'Evaluate',
      inputs: [
        { name: 'model', type: 'model', label: 'Models', multiple: true },
        { name: 'data', type: 'split', label: 'Train/test' },
      ],
      outputs: [{ name: 'report', type: 'report', label: 'Report' }],
    },
  ],
};

const nodes = [
  { id: 'data', type: 'data.sample' },
  { id: 'scale', type: 'prep.normalize' },
  { id: 'scale2', type: 'prep.normalize' },
  { id: 'split', type: 'prep.split' },
  { id: 'model', type: 'model.logisticRegression' },
  { id: 'model2', type: 'model.logisticRegression' },
  { id: 'evaluate', type: 'eval.evaluate' },
];

function graph(edges: RulesGraph['edges'] = []): RulesGraph {
  return { nodes, edges };
}

const wire = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({
  source,
  sourceHandle,
  target,
  targetHandle,
});

describe('checkConnection', () => {
  it('accepts an output wired to a free input of the same port type', () => {
    expect(checkConnection(wire('data', 'table', 'scale', 'table'), graph(), catalog)).toEqual({ ok: true });
    expect(checkConnection(wire('model', 'model', 'evaluate', 'model'), graph(), catalog)).toEqual({ ok: true });
  });

  it('refuses a port type mismatch with a sentence built from titles and labels', () => {
    const verdict = checkConnection(wire('scale', 'table', 'evaluate', 'model'), graph(), catalog);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.code).toBe('type');
    expect(verdict.reason).toBe('Evaluate needs a trained model on "Models"; Normalize outputs a table.');
    expect(verdict.hint).toBe('Wire it from Logistic regression instead.');
  });

  it('refuses a second wire into an input that is already connected', () => {
    const existing = [wire('data', 'table', 'scale', 'table')];
    const verdict = checkConnection(wire('scale2', 'table', 'scale', 'table'), graph(existing), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'occupied' });
    if (!verdict.ok) expect(verdict.reason).toContain('"Table" on Normalize is already connected');
  });

  it('accepts several wires into an input that takes several', () => {
    const existing = [wire('model', 'model', 'evaluate', 'model')];
    expect(checkConnection(wire('model2', 'model', 'evaluate', 'model'), graph(existing), catalog)).toEqual({ ok: true });
  });

  it('refuses the same wire twice into an input that takes several', () => {
    const existing = [wire('model', 'model', 'evaluate', 'model')];
    const verdict = checkConnection(wire('model', 'model', 'evaluate', 'model'), graph(existing), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'duplicate' });
    if (!verdict.ok) expect(verdict.reason).toBe('Logistic regression is already wired to "Models" on Evaluate.');
  });

  it('still refuses a second wire into a single input next to one that takes several', () => {
    const existing = [wire('split', 'split', 'evaluate', 'data')];
    const verdict = checkConnection(wire('split', 'split', 'evaluate', 'data'), graph(existing), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'occupied' });
  });

  it('allows one output to feed several inputs', () => {
    const existing = [wire('split', 'split', 'model', 'data')];
    expect(checkConnection(wire('split', 'split', 'evaluate', 'data'), graph(existing), catalog)).toEqual({ ok: true });
  });

  it('refuses a wire from a step to itself', () => {
    const verdict = checkConnection(wire('scale', 'table', 'scale', 'table'), graph(), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'self' });
  });

  it('refuses a wire that would close a loop', () => {
    const existing = [wire('scale', 'table', 'scale2', 'table')];
    const verdict = checkConnection(wire('scale2', 'table', 'scale', 'table'), graph(existing), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'cycle' });
    if (!verdict.ok) expect(verdict.reason).toBe('That wire would make a loop: Normalize already feeds into Normalize.');
  });

  it('refuses wires between handles that are not an output and an input', () => {
    const verdict = checkConnection(wire('data', 'nope', 'scale', 'table'), graph(), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'direction' });
  });

  it('refuses steps the catalog does not know', () => {
    const verdict = checkConnection(wire('ghost', 'table', 'scale', 'table'), graph(), catalog);
    expect(verdict).toMatchObject({ ok: false, code: 'unknown' });
  });

  it('names the output port when the source has several outputs', () => {
    const wide: RulesCatalog = {
      ...catalog,
      nodes: [
        ...catalog.nodes,
        {
          type: 'x.two',
          title: 'Two outputs',
          inputs: [],
          outputs: [
            { name: 'a', type: 'table', label: 'First' },
            { name: 'b', type: 'split', label: 'Second' },
          ],
        },
      ],
    };
    const verdict = checkConnection(wire('two', 'a', 'model', 'data'), { nodes: [...nodes, { id: 'two', type: 'x.two' }], edges: [] }, wide);
    if (verdict.ok) throw new Error('expected a refusal');
    expect(verdict.reason).toBe('Logistic regression needs a train/test split on "Train/test"; Two outputs outputs a table on "First".');
  });
});

describe('reaches', () => {
  it('follows wires downstream only', () => {
    const edges = [wire('a', 'o', 'b', 'i'), wire('b', 'o', 'c', 'i')];
    expect(reaches('a', 'c', edges)).toBe(true);
    expect(reaches('c', 'a', edges)).toBe(false);
  });
});

describe('sameSideMessage', () => {
  it('explains the direction of wires', () => {
    expect(sameSideMessage('source')).toMatch(/output .* to an input/);
  });
});
