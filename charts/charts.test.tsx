import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RocChart } from '../app/editor/results/RocChart';
import type { RunDetail } from '../server/api-types';
import { classificationPreview, sampleGraph, testLookup } from '../server/teams/fixtures';
import { renderRunReport } from '../server/teams/report';
import { ConfusionMatrix } from './ConfusionMatrix';
import { formatDate, formatDuration, formatNumber } from './format';
import { PipelineGraph } from './PipelineGraph';
import { RocPlot } from './RocChart';
import { ScatterPlot } from './ScatterPlot';

/** The attribute values of every element matching `pattern`, in document order. */
function attributes(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => match[1]);
}

describe('ROC chart geometry', () => {
  // The plot spans x 48…326 and y 278 (rate 0) … 12 (rate 1) inside a 340×320 drawing.
  const html = renderToStaticMarkup(
    <RocPlot curves={[{ id: 'a', label: 'Model <A>', color: '#2563eb', fpr: [0, 0.5, 1], tpr: [0, 1, 1] }]} ariaLabel="ROC curves" />,
  );

  it('puts a point at false positive rate 0.5 and true positive rate 1 in the middle of the top edge', () => {
    expect(attributes(html, /<path d="([^"]+)"[^>]*data-testid="roc-curve-a"/g)).toEqual(['M48,278L187,12L326,12']);
  });

  it('draws the guessing diagonal from the bottom-left to the top-right corner', () => {
    expect(html).toMatch(/<line x1="48" y1="278" x2="326" y2="12"[^>]*data-testid="roc-diagonal"/);
  });

  it('escapes labels and lists every curve and the diagonal in the legend', () => {
    expect(html).toContain('<title>Model &lt;A&gt;</title>');
    expect(html).toContain('Guessing at random');
    expect(html).not.toContain('<button');
  });
});

describe('confusion matrix', () => {
  const html = renderToStaticMarkup(<ConfusionMatrix classes={['no', 'yes']} matrix={[[95, 5], [25, 75]]} />);

  it('shades right answers green and mix-ups red by their share of the largest cell', () => {
    const cell = (actual: string, predicted: string) =>
      new RegExp(`<td class="(hit|miss)" style="[^"]*background:([^;"]+)[^"]*" data-actual="${actual}" data-predicted="${predicted}"`).exec(html);
    expect(cell('no', 'no')?.slice(1)).toEqual(['hit', 'rgba(22, 163, 74, 0.600)']);
    expect(cell('yes', 'no')?.slice(1)).toEqual(['miss', 'rgba(220, 38, 38, 0.198)']);
    expect(html).toContain('title="Actually yes, predicted no: 25 rows"');
    expect(html).toContain('<strong>95</strong>');
  });
});

describe('scatter plot and pipeline graph geometry', () => {
  it('places perfect predictions on the diagonal', () => {
    const html = renderToStaticMarkup(<ScatterPlot points={[{ actual: 0, predicted: 0 }, { actual: 5, predicted: 5 }, { actual: 10, predicted: 10 }]} />);
    const diagonal = /<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"[^>]*data-testid="scatter-diagonal"/.exec(html);
    const [left, bottom, right, top] = diagonal!.slice(1).map(Number);
    const dots = [...html.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="3"/g)].map((match) => [Number(match[1]), Number(match[2])]);
    expect(dots).toHaveLength(3);
    for (const [x, y] of dots) expect(y - bottom).toBeCloseTo(((x - left) * (top - bottom)) / (right - left), 6);
    // The axis runs from 0 to 10 (rounded outward), so the middle prediction sits in the middle of the plot.
    expect(dots[1][0]).toBeCloseTo((left + right) / 2, 6);
  });

  it('joins two steps with a wire from the right edge of one box to the left edge of the next', () => {
    const html = renderToStaticMarkup(
      <PipelineGraph
        steps={[{ id: 'a', title: 'Data', position: { x: 0, y: 0 } }, { id: 'b', title: 'Model', position: { x: 300, y: 0 } }]}
        wires={[{ id: 'w', source: 'a', target: 'b' }]}
      />,
    );
    // Boxes are 180×54 with a 16 px margin: the wire runs at mid-height from x 196 to x 316.
    expect(html).toContain('<path d="M196,43C256,43,256,43,316,43"');
  });
});

describe('one chart in the app and in the report', () => {
  const preview = classificationPreview(0.9);
  const graph = sampleGraph();
  const run = {
    id: 'run-1', pipelineId: 'p1', label: 'Churn', startedBy: null, status: 'succeeded', origin: 'ui', backend: 'wasm',
    startedAt: Date.UTC(2026, 10, 24, 8, 15), finishedAt: null, durationMs: 65_000, headline: null, error: null, graph,
    nodes: { evaluate: { nodeId: 'evaluate', status: 'done', cached: false, durationMs: 120, progress: 1, message: null, error: null, preview, metrics: null } },
    pipelineVersion: 1, attempts: 1,
  } as RunDetail;
  const report = renderRunReport({ run, pipelineName: 'Churn', pipelineVersion: 1 }, { lookup: testLookup, generatedAt: Date.UTC(2026, 10, 25) });

  it('draws the same confusion matrix markup', () => {
    for (const model of preview.models) {
      expect(report).toContain(renderToStaticMarkup(<ConfusionMatrix classes={preview.classes!} matrix={model.confusion!} />));
    }
  });

  it('draws the same ROC axes and curves as the results panel', () => {
    const app = renderToStaticMarkup(<RocChart models={preview.models} selected="model" onSelect={() => undefined} />);
    const axes = app.slice(app.indexOf('<rect'), app.indexOf('<path'));
    expect(axes.length).toBeGreaterThan(500);
    expect(report).toContain(axes);
    const curves = attributes(app, /<path d="([^"]+)" fill="none" stroke="(?:[^"]+)"/g);
    expect(curves).toHaveLength(2);
    for (const d of curves) expect(report).toContain(`d="${d}"`);
    for (const legend of ['AUC 0.800', 'AUC 0.900', 'Decision tree (tree)']) expect(report).toContain(legend);
  });
});

describe('formatting shared by the app and the report', () => {
  it('formats durations, dates and numbers one way', () => {
    expect([null, 850, 4_250, 12_340, 185_000, 7_500_000].map(formatDuration)).toEqual(['—', '850 ms', '4.25 s', '12.3 s', '3 min 05 s', '2 h 05 min']);
    expect(formatDate(Date.UTC(2026, 10, 24, 8, 15))).toBe('2026-11-24 08:15 UTC');
    expect([0.9, 42, 12_345.67, 0.00002, Number.NaN, null].map((value) => formatNumber(value))).toEqual(['0.900', '42', '12,345.7', '2.00e-5', '—', '—']);
  });
});
