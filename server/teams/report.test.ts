import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../api-types';
import { compareRuns } from './compare';
import { classificationPreview, DATASET_HASH, sampleGraph, testLookup } from './fixtures';
import { escapeHtml, formatDuration, graphSvg, renderComparisonReport, renderPipelineReport, renderRunReport, type ReportRun } from './report';

const NOW = Date.UTC(2026, 10, 25, 10, 0);

function runDetail(id: string, label: string, auc = 0.9): RunDetail {
  const graph = sampleGraph();
  const nodes: RunDetail['nodes'] = {};
  for (const node of graph.nodes) {
    nodes[node.id] = { nodeId: node.id, status: 'done', cached: false, durationMs: 120, progress: 1, message: null, error: null, preview: null, metrics: null };
  }
  nodes.evaluate.preview = classificationPreview(auc);
  nodes.evaluate.metrics = { rocAuc: auc, accuracy: 0.85 };
  return {
    id,
    pipelineId: 'p1',
    label,
    startedBy: null,
    status: 'succeeded',
    origin: 'ui',
    backend: 'wasm',
    startedAt: Date.UTC(2026, 10, 24, 8, 15),
    finishedAt: Date.UTC(2026, 10, 24, 8, 16),
    durationMs: 65_000,
    headline: { name: 'rocAuc', value: auc },
    error: null,
    graph,
    nodes,
    pipelineVersion: 4,
    attempts: 1,
  };
}

const context = { lookup: testLookup, fileName: (hash: string) => (hash === DATASET_HASH ? 'customers <2026>.csv' : null), generatedAt: NOW, appVersion: '0.1.0' };

/** No scripts, no stylesheets or images from elsewhere, no address outside the page. */
function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link/i);
  expect(html).not.toMatch(/https?:/i);
  expect(html).not.toMatch(/(src|href)="(?!#|data:)/i);
  expect(html.startsWith('<!doctype html>')).toBe(true);
}

describe('run report', () => {
  const item: ReportRun = { run: runDetail('run-1', 'Churn <b>"first"</b> & more'), pipelineName: 'Churn & co', pipelineVersion: 4 };
  const html = renderRunReport(item, context);

  it('is one self-contained page', () => {
    expectSelfContained(html);
  });

  it('escapes every piece of user text', () => {
    expect(html).not.toContain('<b>"first"</b>');
    expect(html).toContain('<title>Churn &lt;b&gt;&quot;first&quot;&lt;/b&gt; &amp; more — run report</title>');
    expect(html).toContain('Churn &amp; co');
    expect(html).toContain('customers &lt;2026&gt;.csv');
    expect(escapeHtml(`<img src=x onerror='alert(1)'>`)).toBe('&lt;img src=x onerror=&#39;alert(1)&#39;&gt;');
  });

  it('shows status, duration, backend and version', () => {
    expect(html).toContain('Succeeded');
    expect(html).toContain('1 min 05 s');
    expect(html).toContain('wasm');
    expect(html).toContain('v4');
    expect(html).toContain('2026-11-24 08:15 UTC');
  });

  it('draws the graph as boxes and wires at the node positions', () => {
    expect(html.match(/<rect x="\d+" y="\d+" width="180"/g)).toHaveLength(4);
    expect(html.match(/<path d="M[\d.]+,[\d.]+C/g)).toHaveLength(4);
    expect(html).toContain('>Logistic regression</text>');
  });

  it('lists every node\'s settings with readable names and values', () => {
    expect(html).toContain('<th scope="row">Regularization (L2)</th><td>1</td>');
    expect(html).toContain('<th scope="row">Rare classes</th><td>Treat every row the same</td>');
    expect(html).toContain('<th scope="row">Stratify</th><td>Yes</td>');
  });

  it('has the metrics table with the best model marked, ROC curves and confusion matrices', () => {
    expect(html).toMatch(/<td class="num best"><span class="star" title="Best">★<\/span> 0\.900<\/td>/);
    expect(html).toContain('aria-label="ROC curves"');
    expect(html.match(/data-testid="roc-curve-/g)).toHaveLength(2);
    expect(html).toContain('Actual ↓ / Predicted →');
    expect(html).toContain('<strong>95</strong>');
  });
});

describe('comparison report', () => {
  const first = runDetail('aaaaaaaa-1', 'First', 0.8);
  const second = runDetail('bbbbbbbb-2', 'Second <i>', 0.9);
  second.graph.nodes[2].params = { l2: 0.1 };
  const items: ReportRun[] = [
    { run: first, pipelineName: 'Churn', pipelineVersion: 1 },
    { run: second, pipelineName: 'Churn', pipelineVersion: 2 },
  ];
  const comparison = compareRuns(
    items.map(({ run, pipelineName, pipelineVersion }) => ({
      run: { ...run, pipelineName, pipelineVersion, metrics: run.nodes.evaluate.metrics! },
      graph: run.graph,
      evaluations: [{ nodeId: 'evaluate', preview: run.nodes.evaluate.preview as never }],
    })),
    testLookup,
  );
  const html = renderComparisonReport(items, comparison, context);

  it('is self-contained and escaped', () => {
    expectSelfContained(html);
    expect(html).not.toContain('Second <i>');
    expect(html).toContain('Second &lt;i&gt;');
  });

  it('has one column per run and marks the best run', () => {
    const metricsTable = html.slice(html.indexOf('<h2>Metrics</h2>'), html.indexOf('<h2>What differs</h2>'));
    const header = metricsTable.slice(metricsTable.indexOf('<thead>'), metricsTable.indexOf('</thead>'));
    expect(header.match(/<th>/g)).toHaveLength(3);
    expect(metricsTable).toMatch(/<td class="num">0\.800<\/td><td class="num best"><span class="star" title="Best">★<\/span> 0\.900<\/td>/);
  });

  it('shows only the settings that differ', () => {
    const section = html.slice(html.indexOf('Settings that differ'), html.indexOf('<h2>Charts</h2>'));
    expect(section).toContain('Regularization (L2)');
    expect(section).toContain('<td>1</td><td>0.1</td>');
    expect(section).not.toContain('Test share');
  });

  it('puts each run\'s ROC curve and confusion matrix in its own column', () => {
    expect(html).toContain('grid-template-columns:repeat(2,minmax(260px,1fr))');
    expect(html.match(/aria-label="ROC curves"/g)).toHaveLength(2);
  });
});

describe('shared pipeline report', () => {
  it('shows the pipeline, a downloadable pipeline file and the latest run', () => {
    const html = renderPipelineReport(
      {
        name: 'Churn <script>',
        description: 'Line one\nLine <two>',
        version: 3,
        savedAt: NOW,
        graph: sampleGraph(),
        latestRun: { run: runDetail('r', 'Latest'), pipelineName: 'Churn', pipelineVersion: 2 },
        pipelineFile: { fileName: 'churn-v3.pipelab.json', text: '{"format":"pipelab.pipeline"}' },
      },
      context,
    );
    expectSelfContained(html);
    expect(html).toContain('<h1>Churn &lt;script&gt;</h1>');
    expect(html).toContain('<p>Line &lt;two&gt;</p>');
    expect(html).toContain('download="churn-v3.pipelab.json" href="data:application/json;base64,');
    expect(html).toContain('This run used version 2 of the pipeline.');
  });

  it('says so when the pipeline has no run yet and draws an empty graph safely', () => {
    const html = renderPipelineReport({ name: 'Empty', description: '', version: 1, savedAt: NOW, graph: { schemaVersion: 1, nodes: [], edges: [] }, latestRun: null }, context);
    expect(html).toContain('This pipeline has not been run yet.');
    expect(graphSvg({ schemaVersion: 1, nodes: [], edges: [] })).toContain('no nodes');
  });
});

describe('formatting', () => {
  it('formats durations for people', () => {
    expect([formatDuration(null), formatDuration(850), formatDuration(12_340), formatDuration(185_000), formatDuration(7_500_000)]).toEqual([
      '—',
      '850 ms',
      '12.3 s',
      '3 min 05 s',
      '2 h 05 min',
    ]);
  });
});
