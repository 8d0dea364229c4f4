import type { Db } from '../../db/client';
import type { MetricHistoryPoint, PipelineVersionDetail, PipelineVersionSummary, RunSearchChoices, RunSearchInput, RunSearchResult } from '../api-types';
import { metricHistory, searchChoices, searchRuns } from '../../db/run-search';
import { getVersion, listVersions } from '../../db/versions';
import type { Actor } from '../auth/guard';
import { ServiceError } from '../errors';
import { pipelineIn } from '../workspaces/scope';

/*
 * A workspace's history, read within the actor's workspace: the run search with its filters' choices,
 * a pipeline's versions, and a metric of a pipeline's runs over time.
 */

/** The page sizes the run search accepts; the procedures' input checks name them. */
export { SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX } from '../../db/run-search';

export async function searchWorkspaceRuns(db: Db, actor: Actor, input: RunSearchInput): Promise<RunSearchResult> {
  return searchRuns(db, actor.workspaceId, input);
}

/** The filters' choices (metric names, pipelines, people) of the actor's workspace. */
export async function workspaceSearchChoices(db: Db, actor: Actor): Promise<RunSearchChoices> {
  return searchChoices(db, actor.workspaceId);
}

export async function pipelineMetricHistory(db: Db, actor: Actor, pipelineId: string, metric: string): Promise<MetricHistoryPoint[]> {
  await pipelineIn(db, actor, pipelineId);
  return metricHistory(db, pipelineId, metric);
}

/** Newest first. */
export async function pipelineVersions(db: Db, actor: Actor, pipelineId: string): Promise<PipelineVersionSummary[]> {
  await pipelineIn(db, actor, pipelineId);
  return listVersions(db, pipelineId);
}

export async function pipelineVersion(db: Db, actor: Actor, pipelineId: string, version: number): Promise<PipelineVersionDetail> {
  await pipelineIn(db, actor, pipelineId);
  const found = await getVersion(db, pipelineId, version);
  if (!found) throw new ServiceError('NOT_FOUND', `Version ${version} of this pipeline was not found.`);
  return found;
}
