import type { ParamJsonSchema, RunComparison, RunDetail, RunStatus } from '../api-types';
import type { Graph, GraphNode } from '../../nodes/graph-document';
import type { EvaluationPreview, ModelEvaluation } from '../../nodes/preview';
import { emptyLookup, titleOf, type NodeLookup } from './lookup';
import { isLowerBetter, metricShortLabel } from '../../models/evaluation/metric-vocabulary';

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

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A metric's table heading: its short label, marked when lower is better. */
function metricHeading(name: string): string {
  return `${escapeHtml(metricShortLabel(name))}${isLowerBetter(name) ? ' <span class="muted">(lower is better)</span>' : ''}`;
}

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Math.abs(value) < 10) return value.toFixed(3);
  return Number(value.toPrecision(5)).toLocaleString('en-US', { maximumFractionDigits: 2 });
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
.muted{color:#9ca3af}
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
.legend{list-style:none;padding:0;margin:4px 0 0;font-size:12px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:12px;height:3px}
a.button{display:inline-block;padding:6px 14px;border-radius:6px;background:#2563eb;color:#fff;text-decoration:none;font-weight:600}
svg{max-width:100%;height:auto}
footer{margin-top:40px;color:#9ca3af;font-size:12px}
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

/* ---------- graph drawing ---------- */

const BOX_W = 180;
const BOX_H = 54;
const PAD = 16;

const NODE_COLORS: Record<string, { fill: string; stroke: string }> = {
  done: { fill: '#ecfdf5', stroke: '#10b981' },
  failed: { fill: '#fef2f2', stroke: '#ef4444' },
  skipped: { fill: '#f9fafb', stroke: '#9ca3af' },
  cancelled: { fill: '#f9fafb', stroke: '#9ca3af' },
  running: { fill: '#eff6ff', stroke: '#3b82f6' },
  waiting: { fill: '#eff6ff', stroke: '#93c5fd' },
};

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The pipeline as boxes at their canvas positions joined by wires; boxes coloured by node status when given. */
export function graphSvg(graph: Graph, lookup: NodeLookup = emptyLookup, statuses: Record<string, string> = {}): string {
  if (!graph.nodes.length) return '<p class="muted">The pipeline has no nodes.</p>';
  const xs = graph.nodes.map((n) => n.position.x);
  const ys = graph.nodes.map((n) => n.position.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const width = Math.max(...xs) - minX + BOX_W + PAD * 2;
  const height = Math.max(...ys) - minY + BOX_H + PAD * 2;
  const at = new Map(graph.nodes.map((n) => [n.id, { x: n.position.x - minX + PAD, y: n.position.y - minY + PAD }]));
  const wires = graph.edges
    .map((edge) => {
      const from = at.get(edge.source);
      const to = at.get(edge.target);
      if (!from || !to) return '';
      const x1 = from.x + BOX_W;
      const y1 = from.y + BOX_H / 2;
      const x2 = to.x;
      const y2 = to.y + BOX_H / 2;
      const bend = Math.max(40, Math.abs(x2 - x1) / 2);
      return `<path d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" fill="none" stroke="#94a3b8" stroke-width="1.5" marker-end="url(#arrow)"/>`;
    })
    .join('');
  const boxes = graph.nodes
    .map((node) => {
      const { x, y } = at.get(node.id)!;
      const colors = NODE_COLORS[statuses[node.id] ?? ''] ?? { fill: '#ffffff', stroke: '#64748b' };
      const title = titleOf(lookup, node.type);
      return `<g><rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="8" fill="${colors.fill}" stroke="${colors.stroke}" stroke-width="1.5"/><text x="${x + 10}" y="${y + 22}" font-size="13" font-weight="600" fill="#111827">${escapeHtml(clip(title, 24))}</text><text x="${x + 10}" y="${y + 40}" font-size="11" fill="#6b7280">${escapeHtml(clip(node.id, 28))}</text><title>${escapeHtml(`${title} (${node.id})`)}</title></g>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Pipeline graph" font-family="system-ui,sans-serif"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#94a3b8"/></marker></defs>${wires}${boxes}</svg>`;
}

/* ---------- parameters ---------- */

function nodeHeading(node: GraphNode, lookup: NodeLookup): string {
  return `${escapeHtml(titleOf(lookup, node.type))} <span class="muted">(${escapeHtml(node.id)})</span>`;
}

function parametersSection(graph: Graph, context: ReportContext, run?: RunDetail): string {
  const lookup = context.lookup ?? emptyLookup;
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
    return `<h3>${nodeHeading(node, lookup)}${status}</h3><table><thead><tr><th>Setting</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table>${error}`;
  });
  return parts.join('\n');
}

/* ---------- results ---------- */

const LINE_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563'];

/** ROC curves of the models that have one, on one chart. */
export function rocSvg(models: { name: string; roc: { fpr: number[]; tpr: number[] } }[], size = 280): string {
  if (!models.length) return '';
  const m = 36;
  const inner = size - m - 12;
  const px = (v: number) => (m + v * inner).toFixed(1);
  const py = (v: number) => (12 + (1 - v) * inner).toFixed(1);
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${px(t)}" y1="${py(0)}" x2="${px(t)}" y2="${py(1)}" stroke="#f1f5f9"/><line x1="${px(0)}" y1="${py(t)}" x2="${px(1)}" y2="${py(t)}" stroke="#f1f5f9"/>` +
        `<text x="${px(t)}" y="${size - 20}" font-size="10" text-anchor="middle" fill="#6b7280">${t}</text><text x="${m - 6}" y="${Number(py(t)) + 3}" font-size="10" text-anchor="end" fill="#6b7280">${t}</text>`,
    )
    .join('');
  const lines = models
    .map((model, i) => {
      const n = Math.min(model.roc.fpr.length, model.roc.tpr.length);
      const points = Array.from({ length: n }, (_, k) => `${px(model.roc.fpr[k])},${py(model.roc.tpr[k])}`).join(' ');
      return `<polyline points="${points}" fill="none" stroke="${LINE_COLORS[i % LINE_COLORS.length]}" stroke-width="2"><title>${escapeHtml(model.name)}</title></polyline>`;
    })
    .join('');
  const svg = `<svg viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="ROC curves" font-family="system-ui,sans-serif">${ticks}<rect x="${px(0)}" y="${py(1)}" width="${inner}" height="${inner}" fill="none" stroke="#cbd5e1"/><line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#9ca3af" stroke-dasharray="4 4"/>${lines}<text x="${px(0.5)}" y="${size - 4}" font-size="11" text-anchor="middle" fill="#374151">False positive rate</text><text x="10" y="${py(0.5)}" font-size="11" text-anchor="middle" fill="#374151" transform="rotate(-90 10 ${py(0.5)})">True positive rate</text></svg>`;
  const legend = `<ul class="legend">${models
    .map((model, i) => `<li><span class="swatch" style="background:${LINE_COLORS[i % LINE_COLORS.length]}"></span>${escapeHtml(model.name)}</li>`)
    .join('')}</ul>`;
  return `<div>${svg}${legend}</div>`;
}

/** Rows: actual class; columns: predicted class; shaded by share of the row. */
export function confusionTable(confusion: number[][], classes: string[]): string {
  const header = classes.map((label) => `<th>${escapeHtml(label)}</th>`).join('');
  const rows = confusion
    .map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row
        .map((count, j) => {
          const share = count / total;
          const style = `background:rgba(37,99,235,${(share * 0.55).toFixed(3)})`;
          return `<td class="num" style="${style}">${i === j ? `<strong>${count}</strong>` : count}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${escapeHtml(classes[i] ?? `class ${i + 1}`)}</th>${cells}</tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Actual ↓ / Predicted →</th>${header}</tr></thead><tbody>${rows}</tbody></table>`;
}

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
  const withRoc = preview.models.filter((model) => model.roc).map((model) => ({ name: model.model, roc: model.roc! }));
  if (withRoc.length) html += `<h3>ROC curves</h3>${rocSvg(withRoc)}`;
  const withConfusion = preview.models.filter((model) => model.confusion);
  if (withConfusion.length && preview.classes) {
    html += `<h3>Confusion matrices</h3>`;
    html += withConfusion.map((model) => `<p><strong>${escapeHtml(model.model)}</strong></p>${confusionTable(model.confusion!, preview.classes!)}`).join('');
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
  return found.map(({ node, preview }) => evaluationSection(`${titleOf(lookup, node.type)} (${node.id})`, preview)).join('\n');
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
  if (run.headline) rows.push(['Headline', `${escapeHtml(metricShortLabel(run.headline.name))} ${escapeHtml(formatMetric(run.headline.value))}`]);
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
            `<tr><th scope="row">${escapeHtml(entry.nodeTitle)} <span class="muted">(${escapeHtml(entry.nodeId)}) — ${changeWords[entry.change]}</span></th>${entry.inRuns
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
          const label = spec?.title ?? param.param;
          return `<tr><th scope="row">${escapeHtml(param.nodeTitle)} <span class="muted">(${escapeHtml(param.nodeId)})</span> › ${escapeHtml(label)}</th>${param.values
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
      if (curves.length) html += rocSvg(curves.map((curve) => ({ name: curve.model, roc: curve })), 240);
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
