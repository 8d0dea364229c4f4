import type { RunDetail } from '../api-types';

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
    },
    nodes,
  };
}

const STATUS_MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '-', cancelled: '■', waiting: '·', running: '…' };

export function formatRun(run: RunDetail): string {
  const lines = [`Run ${run.id} (${run.label}): ${run.status} in ${((run.durationMs ?? 0) / 1000).toFixed(2)} s on TensorFlow.js ${run.backend ?? '(not started)'}`];
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
