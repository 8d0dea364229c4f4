import type { Db } from '../../db/client';
import { getPipelineIn, type PipelineRow } from '../../db/pipelines';
import { runWorkspaceId } from '../../db/runs';
import { fileGranted } from '../../db/workspaces';
import type { Actor } from '../auth/guard';
import { ServiceError } from '../errors';

/*
 * Everything reached by id is looked up within the actor's workspace. Something in another workspace
 * is "not found", exactly like something that does not exist, so ids reveal nothing across workspaces.
 */

export async function pipelineIn(db: Db, actor: Actor, pipelineId: string): Promise<PipelineRow> {
  const pipeline = await getPipelineIn(db, actor.workspaceId, pipelineId);
  if (!pipeline) throw new ServiceError('NOT_FOUND', 'This pipeline was not found.');
  return pipeline;
}

export async function requireRunsIn(db: Db, actor: Actor, runIds: string[]): Promise<void> {
  for (const runId of runIds) {
    if ((await runWorkspaceId(db, runId)) !== actor.workspaceId) throw new ServiceError('NOT_FOUND', 'This run was not found.');
  }
}

/** Uploaded files and the files runs produce are readable in the workspaces they were uploaded to or made in. */
export async function requireFileIn(db: Db, actor: Actor, hash: string): Promise<void> {
  if (!(await fileGranted(db, actor.workspaceId, hash))) throw new ServiceError('NOT_FOUND', 'This file was not found.');
}

/** Editors turn off the links and APIs they made; owners turn off any. */
export function canRevoke(actor: Actor, createdBy: string | null): boolean {
  return actor.role === 'owner' || (createdBy !== null && createdBy === actor.userId);
}
