import fs from 'node:fs';
import path from 'node:path';
import { commandLineContext } from '../command-line-context';
import { recordActivity } from '../workspaces/activity';
import { interruptStoppedCommandLineRun, recordedRun } from '../runs/workspace-runs';
import { GraphFormatError, parseGraph, type Graph } from '../../nodes/graph-document';
import { InProcessExecutor } from '../runs/in-process';
import { startRun } from '../runs/service';
import { validateGraph } from '../engine/validate';
import { registry } from '../runs/registry';
import { findTemplate, templates } from '../templates';
import { queueUrl } from '../queue/settings';
import { applySettings, bindInputs } from './inputs';
import { UsageError } from './usage-error';
import { chooseWorkspace } from './workspace-choice';
import { formatRefusal, formatRun, refusalJson, runJson } from './format';

function loadGraph(reference: string): { graph: Graph; label: string } {
  const template = findTemplate(reference);
  if (template) return { graph: structuredClone(template.graph), label: template.name };
  if (!fs.existsSync(reference)) {
    const names = templates.map((t) => `"${t.id}"`).join(', ');
    throw new UsageError(`"${reference}" is neither a template (${names}) nor a pipeline file.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(reference, 'utf8'));
  } catch (error) {
    throw new GraphFormatError([`it is not JSON (${(error as Error).message})`]);
  }
  // Accept a bare graph or a saved pipeline ({ name, graph }).
  const graph = parseGraph(parsed && typeof parsed === 'object' && 'graph' in parsed ? parsed.graph : parsed);
  return { graph, label: path.basename(reference) };
}

/** `pipelab run <template | pipeline.json>`: runs it here, or on a team server through the queue. */
export async function runCommand(positionals: string[], values: { json?: boolean; input?: string[]; set?: string[]; workspace?: string }): Promise<number> {
  const reference = positionals[0];
  if (!reference) throw new UsageError('pipelab run needs a template name or a pipeline file.');
  const context = await commandLineContext({ sweepAbandonedRuns: true });
  const { db } = context;
  const workspace = await chooseWorkspace(context, values.workspace);
  const { graph, label } = loadGraph(reference);
  applySettings(graph, values.set ?? []);
  await bindInputs(context, graph, values.input ?? [], workspace?.id ?? null);
  // A pipeline that does not validate is not run, so it leaves nothing in the run history.
  const problems = validateGraph(graph, registry);
  if (problems.length) {
    if (values.json) process.stdout.write(`${JSON.stringify(refusalJson(problems))}\n`);
    else process.stderr.write(formatRefusal(graph, problems));
    return 1;
  }
  const input = { graph, pipelineId: null, label, origin: 'cli' as const, workspaceId: workspace?.id ?? null, startedBy: workspace?.owner?.id ?? null };
  // The queue's client (BullMQ, Redis) is loaded only on a team server.
  const queued = queueUrl() ? await (await import('./team-run')).startQueuedRun(context, input) : undefined;
  const { runId, done } = queued ?? (await startRun(db, new InProcessExecutor(), input));
  if (workspace) {
    const actorName = workspace.owner?.name ?? 'Command line';
    await recordActivity(db, { workspaceId: workspace.id, userId: workspace.owner?.id ?? null, actorName }, { action: 'ran', subjectType: 'run', subjectId: runId, subjectName: label, detail: 'from the command line' });
  }
  const stopOnSignal = () => {
    // On a team server, the worker training it is asked to stop.
    if (queued) return void queued.stop().finally(() => process.exit(130));
    // Ctrl-C or a polite kill: the run is recorded as interrupted at once (a kill -9 is caught by its lease).
    void interruptStoppedCommandLineRun(db, runId).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  await done;
  process.off('SIGINT', stopOnSignal);
  process.off('SIGTERM', stopOnSignal);
  const detail = await recordedRun(db, runId);
  if (values.json) process.stdout.write(`${JSON.stringify({ ...runJson(detail), workspace: workspace ? { id: workspace.id, name: workspace.name } : null })}\n`);
  else process.stdout.write(formatRun(detail));
  return detail.status === 'succeeded' ? 0 : 1;
}

