import type { ParamJsonSchema, RunComparison, RunDetail, RunStatus } from '../api-types';
import type { Graph, GraphNode } from '../../nodes/graph-document';
import type { EvaluationPreview, ModelEvaluation } from '../../nodes/preview';
import { emptyLookup, titleOf, type NodeLookup } from './lookup';
import { headlineDetail, headlineSentence, isLowerBetter, metricShortLabel, metricsBehindHeadline } from '../../models/evaluation/metric-vocabulary';
import { nodeDisplayNames } from '../../nodes/node-names';
import { formatDate, formatDuration, formatNumber as formatMetric } from '../../charts/format';
import { confusionTable, graphSvg, rocSvg, runRocSvg, scatterSvg } from './report-charts';

/**
 * Self-contained HTML reports (inline CSS and SVG, no scripts, no external addresses) that can be mailed,
 * printed or opened from a share link. Every piece of user text goes through `escapeHtml`.
 */

export interface ReportContext {
  lookup?: NodeLookup;
  /** Display name of an uploaded file by content hash, when known. */
  fileName?: (hash: string) => string | null;
  generatedAt: number;
  appVersion?: string;
}

export interface ReportRun {
  run: RunDetail;
  pipelineName: string | null;
  pipelineVersion: number | null;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/* ---------- formatting ---------- */

// Durations, dates and numbers read as in the app: one formatting module serves both.
export { formatDate, formatDuration, formatNumber as formatMetric } from '../../charts/format';
export { confusionTable, graphSvg, rocSvg } from './report-charts';

/** A metric's table heading: its short label, marked when lower is better. */
function metricHeading(name: string): string {
  return `${escapeHtml(metricShortLabel(name))}${isLowerBetter(name) ? ' <span class="muted">(lower is better)</span>' : ''}`;
}

const STATUS_LABELS: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  queued: 'Waiting',
  interrupted: 'Interrupted',
  waiting: 'Waiting',
  done: 'Done',
  skipped: 'Skipped',
};

function statusBadge(status: RunStatus | string): string {
  return `<span class="badge s-${escapeHtml(status)}">${escapeHtml(STATUS_LABELS[status] ?? status)}</span>`;
}

function formatParamValue(value: unknown, spec: ParamJsonSchema | undefined, context: ReportContext): string {
  if (value === null || value === undefined || value === '') return '<span class="muted">—</span>';
  if (spec?.enum && spec.enumLabels) {
    const index = spec.enum.indexOf(value);
    if (index >= 0 && spec.enumLabels[index] !== undefined) return escapeHtml(spec.enumLabels[index]);
  }
  if ((spec?.widget === 'dataset' || spec?.widget === 'model') && typeof value === 'string') {
    const name = context.fileName?.(value);
    const short = `${value.slice(0, 12)}…`;
    return name ? `${escapeHtml(name)} <span class="muted">(${escapeHtml(short)})</span>` : `<span class="mono">${escapeHtml(short)}</span>`;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.map((item) => escapeHtml(typeof item === 'string' ? item : JSON.stringify(item))).join(', ') : '<span class="muted">none</span>';
  if (typeof value === 'object') return `<span class="mono">${escapeHtml(JSON.stringify(value))}</span>`;
  return escapeHtml(value);
}

/** A comparison cell: the parameter formatted when the node type is known. */
function formatLooseValue(value: unknown): string {
  if (value === null || value === undefined) return '<span class="muted">—</span>';
  if (typeof value === 'string') return escapeHtml(value.length > 40 && /^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 12)}…` : value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return escapeHtml(value);
  return `<span class="mono">${escapeHtml(JSON.stringify(value))}</span>`;
}

/* ---------- page ---------- */

const STYLE = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2937;margin:0;background:#f8fafc}
main{max-width:1200px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid #e5e7eb}
h3{font-size:15px;margin:20px 0 8px}
.sub{color:#6b7280;margin:0 0 16px}
.muted{color:#4b5563}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
table{border-collapse:collapse;background:#fff;margin:8px 0 16px;min-width:320px}
th,td{border:1px solid #e5e7eb;padding:6px 10px;text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.best{font-weight:700;background:#ecfdf5}
.star{color:#059669}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e5e7eb}
.s-succeeded,.s-done{background:#d1fae5;color:#065f46}
.s-failed{background:#fee2e2;color:#991b1b}
.s-cancelled,.s-skipped{background:#f3f4f6;color:#4b5563}
.s-running,.s-waiting{background:#dbeafe;color:#1e40af}
.error{white-space:pre-wrap;background:#fef2f2;border:1px solid #fecaca;padding:8px 12px;border-radius:6px;color:#991b1b}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;margin:8px 0 16px}
.scroll{overflow-x:auto}
.columns{display:grid;gap:16px;align-items:start}
a.button{display:inline-block;padding:6px 14px;border-radius:6px;background:#2563eb;color:#fff;text-decoration:none;font-weight:600}
svg{max-width:100%;height:auto}
footer{margin-top:40px;color:#4b5563;font-size:12px}
@media print{body{background:#fff}main{padding:0}.card{break-inside:avoid}}
`;

function page(title: string, body: string, context: ReportContext): string {
  const version = context.appVersion ? ` ${escapeHtml(context.appVersion)}` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<footer>Made with Pipelab${version} on ${escapeHtml(formatDate(context.generatedAt))}.</footer>
</main>
</body>
</html>
`;
}

/* ---------- parameters ---------- */

/** Each node's name as messages and headings give it: its title, numbered for a second of a kind. */
function namesOf(graph: Graph, lookup: NodeLookup): Map<string, string> {
  return nodeDisplayNames(graph, (type) => titleOf(lookup, type));
}

function parametersSection(graph: Graph, context: ReportContext, run?: RunDetail): string {
  const lookup = context.lookup ?? emptyLookup;
  const nodeNames = namesOf(graph, lookup);
  const parts = graph.nodes.map((node) => {
    const info = lookup(node.type);
    const params = { ...(info?.defaults ?? {}), ...node.params };
    const names = Object.keys(params);
    const result = run?.nodes[node.id];
    const status = result
      ? ` ${statusBadge(result.status)}${result.cached ? ' <span class="muted">reused</span>' : ''}${result.durationMs !== null ? ` <span class="muted">${escapeHtml(formatDuration(result.durationMs))}</span>` : ''}`
      : '';
    const rows = names.length
      ? names
          .map((name) => {
            const spec = info?.params[name];
            const label = spec?.title ?? name;
            return `<tr><th scope="row">${escapeHtml(label)}</th><td>${formatParamValue(params[name], spec, context)}</td></tr>`;
          })
          .join('')
      : '<tr><td colspan="2" class="muted">No settings</td></tr>';
    const error = result?.error && result.status === 'failed' ? `<div class="error">${escapeHtml(result.error)}</div>` : '';
    return `<h3>${escapeHtml(nodeNames.get(node.id)!)}${status}</h3><table><thead><tr><th>Setting</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table>${error}`;
  });
  return parts.join('\n');
}

/* ---------- results ---------- */

function evaluationSection(nodeTitle: string, preview: EvaluationPreview): string {
  const head = preview.metricNames.map((name) => `<th>${metricHeading(name)}</th>`).join('');
  const rows = preview.models
    .map((model, index) => {
      const cells = preview.metricNames
        .map((name) => {
          const best = preview.best[name] === index;
          const value = formatMetric(model.metrics[name]);
          const cv = model.crossValidation?.[name];
          const spread = cv ? `<br><span class="muted">CV ${formatMetric(cv.mean)} ± ${formatMetric(cv.std)}</span>` : '';
          return `<td class="num${best ? ' best' : ''}">${best ? '<span class="star" title="Best">★</span> ' : ''}${value}${spread}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${escapeHtml(model.model)}</th>${cells}</tr>`;
    })
    .join('');
  const folds = preview.folds ? ` CV: ${preview.folds}-fold cross-validation on the training rows.` : '';
  let html = `<h3>${escapeHtml(nodeTitle)}</h3><p class="sub">Scored on ${escapeHtml(preview.testRows.toLocaleString('en-US'))} test rows. ★ marks the best model for each metric.${escapeHtml(folds)}</p><div class="scroll"><table><thead><tr><th>Model</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
  const summary = bestModel(preview)?.summary ?? [];
  if (summary.length) html += `<div class="card">${summary.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>`;
  if (preview.models.some((model) => model.roc?.fpr.length)) html += `<h3>ROC curves</h3>${rocSvg(preview.models)}`;
  const withConfusion = preview.models.filter((model) => model.confusion);
  if (withConfusion.length && preview.classes) {
    html += `<h3>Confusion matrices</h3>`;
    html += withConfusion.map((model) => `<p><strong>${escapeHtml(model.model)}</strong></p>${confusionTable(model.confusion!, preview.classes!)}`).join('');
  }
  const withPoints = preview.models.filter((model) => model.points?.length);
  if (withPoints.length) {
    html += `<h3>Predicted against actual values</h3>`;
    html += withPoints.map((model) => `<p><strong>${escapeHtml(model.model)}</strong></p>${scatterSvg(model.points!)}`).join('');
  }
  return html;
}

function bestModel(preview: EvaluationPreview): ModelEvaluation | undefined {
  const first = preview.metricNames[0];
  return preview.models[first !== undefined ? (preview.best[first] ?? 0) : 0];
}

function evaluations(run: RunDetail): { node: GraphNode; preview: EvaluationPreview }[] {
  return run.graph.nodes.flatMap((node) => {
    const preview = run.nodes[node.id]?.preview;
    return preview && preview.kind === 'evaluation' ? [{ node, preview }] : [];
  });
}

function resultsSection(run: RunDetail, lookup: NodeLookup): string {
  const found = evaluations(run);
  if (!found.length) return '<p class="muted">This run has no evaluation results.</p>';
  const names = namesOf(run.graph, lookup);
  return found.map(({ node, preview }) => evaluationSection(names.get(node.id)!, preview)).join('\n');
}

function summaryTable(item: ReportRun): string {
  const { run } = item;
  const rows: [string, string][] = [
    ['Status', statusBadge(run.status)],
    ['Pipeline', item.pipelineName ? escapeHtml(item.pipelineName) : '<span class="muted">Unsaved pipeline</span>'],
    ['Version', item.pipelineVersion !== null ? `v${escapeHtml(item.pipelineVersion)}` : '—'],
    ['Started', escapeHtml(formatDate(run.startedAt))],
    ['Duration', escapeHtml(formatDuration(run.durationMs))],
    ['Compute backend', run.backend ? escapeHtml(run.backend) : '—'],
    ['Started from', run.origin === 'cli' ? 'Command line' : 'Web app'],
  ];
  if (run.headline) {
    const detail = headlineDetail(run.headline, metricsBehindHeadline(run.headline, Object.values(run.nodes).map((result) => result.metrics)));
    rows.push(['Result', `${escapeHtml(headlineSentence(run.headline))}${detail ? ` <span class="muted">(${escapeHtml(detail)})</span>` : ''}`]);
  }
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function statusesOf(run: RunDetail): Record<string, string> {
  return Object.fromEntries(Object.values(run.nodes).map((result) => [result.nodeId, result.status]));
}

/* ---------- reports ---------- */

/** One run: status, duration and backend, the graph, every node's settings, metrics, ROC curves, confusion matrices. */
export function renderRunReport(item: ReportRun, context: ReportContext): string {
  const lookup = context.lookup ?? emptyLookup;
  const { run } = item;
  const subtitle = [item.pipelineName, item.pipelineVersion !== null ? `version ${item.pipelineVersion}` : null, formatDate(run.startedAt)]
    .filter(Boolean)
    .join(' · ');
  const error = run.error ? `<div class="error">${escapeHtml(run.error)}</div>` : '';
  const body = `<h1>${escapeHtml(run.label)}</h1>
<p class="sub">${escapeHtml(subtitle)}</p>
${summaryTable(item)}
${error}
<h2>Results</h2>
${resultsSection(run, lookup)}
<h2>Pipeline</h2>
<div class="card scroll">${graphSvg(run.graph, lookup, statusesOf(run))}</div>
<h2>Settings</h2>
${parametersSection(run.graph, context, run)}`;
  return page(`${run.label} — run report`, body, context);
}

/** Several runs side by side: one column per run for the summary, metrics, differing settings and charts. */
export function renderComparisonReport(items: ReportRun[], comparison: RunComparison, context: ReportContext): string {
  const lookup = context.lookup ?? emptyLookup;
  const columns = items
    .map((item, i) => `<th>#${i + 1} ${escapeHtml(item.pipelineName ?? item.run.label)}${item.pipelineVersion !== null ? ` v${escapeHtml(item.pipelineVersion)}` : ''}<br><span class="muted mono">${escapeHtml(item.run.id.slice(0, 8))}</span></th>`)
    .join('');
  const row = (label: string, cells: string[]) => `<tr><th scope="row">${label}</th>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;

  const summary = [
    row('Run', items.map((item) => escapeHtml(item.run.label))),
    row('Pipeline', items.map((item) => (item.pipelineName ? escapeHtml(item.pipelineName) : '<span class="muted">Unsaved</span>'))),
    row('Version', items.map((item) => (item.pipelineVersion !== null ? `v${escapeHtml(item.pipelineVersion)}` : '—'))),
    row('Status', items.map((item) => statusBadge(item.run.status))),
    row('Started', items.map((item) => escapeHtml(formatDate(item.run.startedAt)))),
    row('Duration', items.map((item) => escapeHtml(formatDuration(item.run.durationMs)))),
    row('Compute backend', items.map((item) => escapeHtml(item.run.backend ?? '—'))),
  ].join('');

  const metrics = comparison.metricNames.length
    ? `<div class="scroll"><table><thead><tr><th>Metric</th>${columns}</tr></thead><tbody>${comparison.metricNames
        .map((name) => {
          const cells = comparison.runs
            .map((run, i) => {
              const best = comparison.best[name] === i;
              return `<td class="num${best ? ' best' : ''}">${best ? '<span class="star" title="Best">★</span> ' : ''}${escapeHtml(formatMetric(run.metrics[name]))}</td>`;
            })
            .join('');
          return `<tr><th scope="row">${metricHeading(name)}</th>${cells}</tr>`;
        })
        .join('')}</tbody></table></div><p class="sub">★ marks the best run for each metric (each run counts its best model).</p>`
    : '<p class="muted">None of these runs recorded metrics.</p>';

  const changeWords = { added: 'added in a later run', removed: 'missing from a later run' };
  const structure = comparison.graphChanges.flatMap((entry) =>
    entry.change === 'added' || entry.change === 'removed' ? [{ ...entry, change: entry.change }] : [],
  );
  const presence = structure.length
    ? `<h3>Steps not in every run</h3><div class="scroll"><table><thead><tr><th>Step</th>${columns}</tr></thead><tbody>${structure
        .map(
          (entry) =>
            `<tr><th scope="row">${escapeHtml(entry.nodeTitle)} <span class="muted">— ${changeWords[entry.change]}</span></th>${entry.inRuns
              .map((has) => `<td>${has ? 'Yes' : '<span class="muted">absent</span>'}</td>`)
              .join('')}</tr>`,
        )
        .join('')}</tbody></table></div>`
    : '';
  const differing = comparison.parameters.filter((param) => param.differs);
  const params = differing.length
    ? `<h3>Settings that differ</h3><div class="scroll"><table><thead><tr><th>Setting</th>${columns}</tr></thead><tbody>${differing
        .map((param) => {
          const type = items.map((item) => item.run.graph.nodes.find((n) => n.id === param.nodeId)?.type).find(Boolean);
          const spec = type ? lookup(type)?.params[param.param] : undefined;
          const label = param.paramTitle;
          return `<tr><th scope="row">${escapeHtml(param.nodeTitle)} › ${escapeHtml(label)}</th>${param.values
            .map((value) => `<td>${spec ? formatParamValue(value, spec, context) : formatLooseValue(value)}</td>`)
            .join('')}</tr>`;
        })
        .join('')}</tbody></table></div>`
    : '<p class="muted">All runs used the same settings.</p>';

  const charts = items
    .map((item, runIndex) => {
      const curves = comparison.rocCurves.filter((curve) => curve.runIndex === runIndex);
      const matrices = comparison.confusions.filter((entry) => entry.runIndex === runIndex);
      let html = `<div class="card"><h3>#${runIndex + 1} ${escapeHtml(item.run.label)}</h3>`;
      if (curves.length) html += runRocSvg(runIndex, curves);
      html += matrices.map((entry) => `<p><strong>${escapeHtml(entry.model)}</strong></p>${confusionTable(entry.matrix, entry.classes)}`).join('');
      if (!curves.length && !matrices.length) html += '<p class="muted">No ROC curve or confusion matrix.</p>';
      return `${html}</div>`;
    })
    .join('');

  const body = `<h1>Comparison of ${items.length} runs</h1>
<p class="sub">Run #1 is the reference the others are compared with.</p>
<div class="scroll"><table><thead><tr><th></th>${columns}</tr></thead><tbody>${summary}</tbody></table></div>
<h2>Metrics</h2>
${metrics}
<h2>What differs</h2>
${presence}
${params}
<h2>Charts</h2>
<div class="columns scroll" style="grid-template-columns:repeat(${items.length},minmax(260px,1fr))">${charts}</div>`;
  return page(`Comparison of ${items.length} runs`, body, context);
}

/** What a share link shows: the pipeline at its latest version and, when there is one, its latest run. */
export function renderPipelineReport(
  input: {
    name: string;
    description: string;
    version: number | null;
    savedAt: number;
    graph: Graph;
    latestRun: ReportRun | null;
    /** Offered as a download inside the page, so a reader can import their own copy. */
    pipelineFile?: { fileName: string; text: string };
  },
  context: ReportContext,
): string {
  const lookup = context.lookup ?? emptyLookup;
  const subtitle = [input.version !== null ? `Version ${input.version}` : null, `saved ${formatDate(input.savedAt)}`].filter(Boolean).join(' · ');
  const description = input.description ? `<div class="card">${input.description.split(/\n+/).map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>` : '';
  let runPart = '<p class="muted">This pipeline has not been run yet.</p>';
  if (input.latestRun) {
    const { run } = input.latestRun;
    const sameVersion = input.latestRun.pipelineVersion === input.version;
    const note = sameVersion ? '' : `<p class="sub">This run used ${input.latestRun.pipelineVersion !== null ? `version ${escapeHtml(input.latestRun.pipelineVersion)}` : 'an earlier version'} of the pipeline.</p>`;
    runPart = `<h3>${escapeHtml(run.label)}</h3>${note}${summaryTable(input.latestRun)}${run.error ? `<div class="error">${escapeHtml(run.error)}</div>` : ''}${resultsSection(run, lookup)}`;
  }
  const download = input.pipelineFile
    ? `<p><a class="button" download="${escapeHtml(input.pipelineFile.fileName)}" href="data:application/json;base64,${Buffer.from(input.pipelineFile.text, 'utf8').toString('base64')}">Download the pipeline file</a> <span class="muted">Import it in Pipelab (Pipelines → Import pipeline) to make your own copy.</span></p>`
    : '';
  const body = `<h1>${escapeHtml(input.name)}</h1>
<p class="sub">${escapeHtml(subtitle)}</p>
${description}
${download}
<h2>Pipeline</h2>
<div class="card scroll">${graphSvg(input.graph, lookup)}</div>
<h2>Latest run</h2>
${runPart}
<h2>Settings</h2>
${parametersSection(input.graph, context)}`;
  return page(`${input.name} — pipeline report`, body, context);
}
