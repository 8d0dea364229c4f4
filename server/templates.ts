import { CURRENT_SCHEMA_VERSION, type Graph } from './engine/graph';
import type { TemplateInfo } from './api-types';

type Step = { id: string; type: string; params?: Record<string, unknown> };

/** Lays nodes left to right and wires `from.output → to.input` pairs. */
function graphOf(steps: Step[], wires: [string, string, string, string][]): Graph {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: steps.map((step, i) => ({
      id: step.id,
      type: step.type,
      version: 1,
      params: step.params ?? {},
      position: { x: 40 + i * 230, y: step.type.startsWith('eval.') ? 260 : i % 2 === 0 ? 80 : 180 },
    })),
    edges: wires.map(([source, sourceHandle, target, targetHandle]) => ({
      id: `${source}.${sourceHandle}-${target}.${targetHandle}`,
      source,
      sourceHandle,
      target,
      targetHandle,
    })),
  };
}

export const templates: TemplateInfo[] = [
  {
    id: 'campaign-response',
    name: 'Predict campaign response',
    description:
      'Which clients will subscribe to a term deposit when called? Trains a logistic regression on 45,211 past calls of a bank campaign and tells how well it spots the 11.7% who said yes.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'bank-marketing', target: 'y' } },
        { id: 'clean', type: 'prep.cleanMissing', params: { strategy: 'dropRows' } },
        { id: 'encode', type: 'prep.oneHot' },
        { id: 'scale', type: 'prep.normalize', params: { method: 'zscore' } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: true } },
        { id: 'model', type: 'model.logisticRegression', params: { l2: 1, classWeight: 'balanced' } },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      [
        ['data', 'table', 'clean', 'table'],
        ['clean', 'table', 'encode', 'table'],
        ['encode', 'table', 'scale', 'table'],
        ['scale', 'table', 'split', 'table'],
        ['split', 'split', 'model', 'data'],
        ['model', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
  {
    id: 'sales-forecast',
    name: 'Forecast sales from ad spend',
    description:
      'How many units will a market sell for a given TV, radio and newspaper budget? Fits a linear regression (raise the degree for curves) on 200 markets and reports how close its forecasts land.',
    graph: graphOf(
      [
        { id: 'data', type: 'data.sample', params: { sample: 'advertising', target: 'Sales' } },
        { id: 'columns', type: 'prep.selectColumns', params: { features: ['TV', 'Radio', 'Newspaper'], target: 'Sales' } },
        { id: 'split', type: 'prep.split', params: { testFraction: 0.2, seed: 42, stratify: false } },
        { id: 'model', type: 'model.linearRegression', params: { degree: 1, l2: 0 } },
        { id: 'evaluate', type: 'eval.evaluate' },
      ],
      [
        ['data', 'table', 'columns', 'table'],
        ['columns', 'table', 'split', 'table'],
        ['split', 'split', 'model', 'data'],
        ['model', 'model', 'evaluate', 'model'],
        ['split', 'split', 'evaluate', 'data'],
      ],
    ),
  },
];

export function findTemplate(idOrName: string): TemplateInfo | undefined {
  const wanted = idOrName.trim().toLowerCase();
  return templates.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
}
