import type { Db } from '../../db/client';
import { finishRun, getRun, listRuns } from '../../db/runs';
import type { Graph } from '../../nodes/graph-document';
import type { RunDetail, RunSummary, SavedPipeline } from '../api-types';
import { savePipelineFor } from '../pipelines';
import type { Actor } from '../auth/guard';
import { ServiceError } from '../errors';
import { logActivity } from '../workspaces/activity';
import { pipelineIn, requireRunsIn } from '../workspaces/scope';
import type { RunDispatcher } from './dispatch';
import { refuseInvalidGraph } from './service';

/*
 * What people do with the runs of their workspace: start, read, list and cancel them, each reached
 * within the actor's workspace and logged. Kept apart from the run service, which the dispatchers use.
 */

export interface RunToStart {
  graph: Graph;
  pipelineId?: string;
  /** The pipeline's name; a pipeline not saved yet is saved under it. */
  label: string;
  description?: string;
}

export interface StartedRun {
  runId: string;
  /** The pipeline saved for this run when it had not been saved before; null otherwise. */
  saved: SavedPipeline | null;
}

/**
 * Starts a run from the web app through the server's dispatcher, as the actor. A pipeline never saved is
 * saved first, under its name, so every run in the history belongs to a pipeline one can open. A graph
 * that does not validate is refused before anything is saved or recorded.
 */
export async function startRunFor(db: Db, runs: RunDispatcher, actor: Actor, input: RunToStart): Promise<StartedRun> {
  if (input.pipelineId) await pipelineIn(db, actor, input.pipelineId);
  refuseInvalidGraph(input.graph);
  const saved = input.pipelineId
    ? null
    : await savePipelineFor(db, actor, { name: input.label, description: input.description ?? '', graph: input.graph, message: 'Saved at its first run' });
  const runId = await runs.start({
    graph: input.graph,
    pipelineId: saved?.id ?? input.pipelineId ?? null,
    label: saved?.name ?? input.label,
    origin: 'ui',
    workspaceId: actor.workspaceId,
    startedBy: actor.userId,
  });
  await logActivity(db, actor, { action: 'ran', subjectType: 'run', subjectId: runId, subjectName: saved?.name ?? input.label });
  return { runId, saved };
}

/** One run of the actor's workspace with its nodes' results. */
export async function runIn(db: Db, actor: Actor, runId: string): Promise<RunDetail> {
  await requireRunsIn(db, actor, [runId]);
  return await recordedRun(db, runId);
}

/** A run as recorded; NOT_FOUND when there is none (deleted meanwhile). */
export async function recordedRun(db: Db, runId: string): Promise<RunDetail> {
  const run = await getRun(db, runId);
  if (!run) throw new ServiceError('NOT_FOUND', 'This run was not found.');
  return run;
}

/** Where a run stands as recorded (queued, running, succeeded, ...), or undefined when it is gone. */
export async function runStatusOf(db: Db, runId: string): Promise<RunDetail['status'] | undefined> {
  return (await getRun(db, runId))?.status;
}

/**
 * Newest first. `workspaceId` undefined lists every workspace's runs: only the command line does, before
 * the first account (and so the first workspace) exists.
 */
export async function recentRuns(db: Db, workspaceId: string | undefined, options: { pipelineId?: string; limit: number }): Promise<RunSummary[]> {
  return listRuns(db, { ...options, workspaceId });
}

export async function cancelRunFor(db: Db, runs: RunDispatcher, actor: Actor, runId: string): Promise<void> {
  await requireRunsIn(db, actor, [runId]);
  await runs.cancel(runId);
  await logActivity(db, actor, { action: 'cancelled', subjectType: 'run', subjectId: runId, subjectName: (await getRun(db, runId))?.label ?? '' });
}

/** A command-line run stopped by Ctrl-C or a polite kill is recorded as interrupted at once (a kill -9 is caught by its lease). */
export async function interruptStoppedCommandLineRun(db: Db, runId: string): Promise<void> {
  await finishRun(db, runId, { status: 'interrupted', error: 'Interrupted: the command-line run was stopped before it finished.', headline: null });
}
