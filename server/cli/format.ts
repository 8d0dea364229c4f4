import type { NodePreview } from '../../nodes/preview';
import type { Graph } from '../../nodes/graph-document';
import type { GraphProblem, RunDetail, RunSummary } from '../api-types';

/**
 * What a script needs of a node's result: an Evaluate node's whole leaderboard (every model with every
 * metric, the headline, the best marked), a model node's training summary and notes.
 */
function resultDetails(preview: NodePreview | null) {
  if (preview?.kind === 'evaluation') {
    return {
      leaderboard: {
        task: preview.task,
        testRows: preview.testRows,
        headline: preview.metricNames[0] ?? null,
        ...(preview.folds ? { folds: preview.folds } : {}),
        models: preview.models.map((entry, index) => ({
          nodeId: entry.nodeId,
          title: entry.model,
          metrics: entry.metrics,
          ...(entry.crossValidation ? { crossValidation: entry.crossValidation } : {}),
          bestAt: preview.metricNames.filter((name) => preview.best[name] === index),
        })),
      },
    };
  }
  if (preview?.kind === 'model') {
    return {
      model: { title: preview.model, task: preview.task, target: preview.target, trainRows: preview.trainRows, inputs: preview.features.length, summary: preview.summary, notes: preview.warnings ?? [] },
    };
  }
  if (preview?.kind === 'training') return { model: { title: preview.model, summary: preview.summary, notes: [] } };
  return {};
}

/** The CLI's --json shape: one object, stable for scripts. */
export function runJson(run: RunDetail) {
  const nodes: Record<string, { status: string; cached?: boolean; durationMs?: number; metrics?: Record<string, number>; error?: string }> = {};
  for (const [nodeId, result] of Object.entries(run.nodes)) {
    nodes[nodeId] = {
      status: result.status,
      ...(result.cached ? { cached: true } : {}),
      ...(result.durationMs !== null ? { durationMs: result.durationMs } : {}),
      ...(result.metrics ? { metrics: result.metrics } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...resultDetails(result.preview),
    };
  }
  return {
    run: {
      id: run.id,
      status: run.status,
      label: run.label,
      backend: run.backend,
      durationMs: run.durationMs,
      headline: run.headline,
      error: run.error,
      startedBy: run.startedBy?.name ?? null,
      attempts: run.attempts,
    },
    nodes,
  };
}

const STATUS_MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '-', cancelled: '■', waiting: '·', running: '…' };

export function formatRun(run: RunDetail): string {
  const lines = [`Run ${run.id} (${run.label}): ${run.status} in ${((run.durationMs ?? 0) / 1000).toFixed(2)} s ${run.backend ? `on TensorFlow.js ${run.backend}` : 'without TensorFlow.js'}`];
  for (const node of run.graph.nodes) {
    const result = run.nodes[node.id];
    if (!result) continue;
    const time = result.durationMs !== null ? ` ${(result.durationMs / 1000).toFixed(2)} s` : '';
    const metrics = result.metrics
      ? ' ' + Object.entries(result.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')
      : '';
    lines.push(`  ${STATUS_MARK[result.status] ?? '?'} ${node.id} (${node.type})${time}${result.cached ? ' reused' : ''}${metrics}`);
    if (result.error) lines.push(`      ${result.error}`);
  }
  if (run.status !== 'succeeded' && run.error) lines.push('', run.error);
  return `${lines.join('\n')}\n`;
}

const refusalHeadline = (problems: GraphProblem[]) =>
  `Not run: the pipeline has ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix first (nothing was recorded).`;

/** `pipelab run --json` for a pipeline that does not validate: no run, each problem on its node. */
export function refusalJson(problems: GraphProblem[]) {
  const nodes: Record<string, { status: 'failed'; error: string }> = {};
  for (const problem of problems) {
    if (problem.nodeId) nodes[problem.nodeId] = { status: 'failed', error: nodes[problem.nodeId] ? `${nodes[problem.nodeId].error}; ${problem.message}` : problem.message };
  }
  return { run: null, error: refusalHeadline(problems), problems, nodes };
}

/** `pipelab run` for a pipeline that does not validate: the problems, by node. */
export function formatRefusal(graph: Graph, problems: GraphProblem[]): string {
  const typeOf = new Map(graph.nodes.map((node) => [node.id, node.type]));
  const lines = problems.map((p) => `  ✗ ${p.nodeId ? `${p.nodeId} (${typeOf.get(p.nodeId)})` : (p.edgeId ?? 'pipeline')}: ${p.message}`);
  return `${[refusalHeadline(problems), ...lines].join('\n')}\n`;
}

/** `pipelab runs --json`: one object per run, newest first. */
export function runListJson(list: RunSummary[]) {
  return list.map((run) => ({
    id: run.id,
    pipeline: run.label,
    pipelineId: run.pipelineId,
    status: run.status,
    origin: run.origin,
    startedBy: run.startedBy?.name ?? null,
    startedAt: new Date(run.startedAt).toISOString(),
    durationMs: run.durationMs,
    headline: run.headline,
    error: run.error,
  }));
}

/** `pipelab runs`: a table a person reads in a terminal. */
export function formatRunList(list: RunSummary[]): string {
  if (list.length === 0) return 'No runs yet.\n';
  const rows = list.map((run) => [
    run.id.slice(0, 8),
    run.label.length > 40 ? `${run.label.slice(0, 39)}…` : run.label,
    run.status,
    run.startedBy?.name ?? '',
    new Date(run.startedAt).toISOString().replace('T', ' ').slice(0, 19),
    run.durationMs === null ? '' : `${(run.durationMs / 1000).toFixed(1)} s`,
  ]);
  const header = ['run', 'pipeline', 'status', 'who', 'started (UTC)', 'took'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
