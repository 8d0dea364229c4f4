import type { Db } from '../../db/client';
import { finishRun, getRun, listRuns } from '../../db/runs';
import type { Graph } from '../../nodes/graph-document';
import type { RunDetail, RunSummary } from '../api-types';
import type { Actor } from '../auth/guard';
import { ServiceError } from '../errors';
import { logActivity } from '../workspaces/activity';
import { pipelineIn, requireRunsIn } from '../workspaces/scope';
import type { RunDispatcher } from './dispatch';

/*
 * What people do with the runs of their workspace: start, read, list and cancel them, each reached
 * within the actor's workspace and logged. Kept apart from the run service, which the dispatchers use.
 */

export interface RunToStart {
  graph: Graph;
  pipelineId?: string;
  label: string;
}

/** Starts a run from the web app through the server's dispatcher, as the actor. */
export async function startRunFor(db: Db, runs: RunDispatcher, actor: Actor, input: RunToStart): Promise<string> {
  if (input.pipelineId) await pipelineIn(db, actor, input.pipelineId);
  const runId = await runs.start({
    graph: input.graph,
    pipelineId: input.pipelineId ?? null,
    label: input.label,
    origin: 'ui',
    workspaceId: actor.workspaceId,
    startedBy: actor.userId,
  });
  await logActivity(db, actor, { action: 'ran', subjectType: 'run', subjectId: runId, subjectName: input.label });
  return runId;
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
