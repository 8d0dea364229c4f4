import type { Db } from '../db/client';
import { deletePipeline, getPipeline, listPipelines, savePipeline } from '../db/pipelines';
import { listRuns } from '../db/runs';
import type { Graph } from '../nodes/graph-document';
import type { PipelineSummary, SavedPipeline } from './api-types';
import type { Actor } from './auth/guard';
import { logActivity } from './workspaces/activity';
import { pipelineIn } from './workspaces/scope';

/** A workspace's saved pipelines, newest change first, each with its latest run. */
export async function pipelineSummaries(db: Db, workspaceId: string): Promise<PipelineSummary[]> {
  return Promise.all(
    (await listPipelines(db, workspaceId)).map(async (pipeline) => ({
      id: pipeline.id,
      name: pipeline.name,
      description: pipeline.description,
      createdAt: pipeline.createdAt,
      updatedAt: pipeline.updatedAt,
      lastRun: (await listRuns(db, { pipelineId: pipeline.id, limit: 1 }))[0] ?? null,
    })),
  );
}

export interface PipelineToSave {
  id?: string;
  name: string;
  description: string;
  graph: Graph;
  message?: string;
}

/** Saves a pipeline of the actor's workspace as its next version, or a new pipeline there, and logs it. */
export async function savePipelineFor(db: Db, actor: Actor, input: PipelineToSave): Promise<SavedPipeline> {
  // An id from another workspace is "not found"; a new id makes a new pipeline here.
  if (input.id && await getPipeline(db, input.id)) await pipelineIn(db, actor, input.id);
  const saved = await savePipeline(db, { ...input, workspaceId: actor.workspaceId });
  await logActivity(db, actor, {
    action: saved.version === 1 ? 'created' : 'changed',
    subjectType: 'pipeline',
    subjectId: saved.id,
    subjectName: saved.name,
    detail: `version ${saved.version}${input.message ? `: ${input.message}` : ''}`,
  });
  return saved;
}

export async function deletePipelineFor(db: Db, actor: Actor, pipelineId: string): Promise<void> {
  const pipeline = await pipelineIn(db, actor, pipelineId);
  await deletePipeline(db, pipelineId);
  await logActivity(db, actor, { action: 'deleted', subjectType: 'pipeline', subjectId: pipelineId, subjectName: pipeline.name });
}

/** The workspace's pipelines whose id is `wanted` or whose name is, ignoring case (the command line names them either way). */
export async function pipelinesNamed(db: Db, workspaceId: string, wanted: string): Promise<{ id: string; name: string }[]> {
  return (await listPipelines(db, workspaceId)).filter((p) => p.id === wanted || p.name.toLowerCase() === wanted.toLowerCase());
}
