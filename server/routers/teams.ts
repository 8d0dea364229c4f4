import { z } from 'zod';
import { formatBytes, LIMITS } from '../../models/limits';
import {
  pipelineMetricHistory,
  pipelineVersion,
  pipelineVersions,
  searchWorkspaceRuns,
  SEARCH_PAGE_DEFAULT,
  SEARCH_PAGE_MAX,
  workspaceSearchChoices,
} from '../teams/history';
import {
  checkPipelineFile,
  compareRunsById,
  createShareLink,
  duplicatePipeline,
  importPipelineFile,
  MAX_COMPARE,
  restoreVersion,
  revokeSharesFor,
  sharedPipeline,
  sharedRun,
  shareLinksOf,
  versionDiff,
} from '../teams/service';
import { editorProcedure, publicProcedure, router, viewerProcedure } from '../trpc';
import { canRevoke, pipelineIn, requireRunsIn } from '../workspaces/scope';
import { logActivity } from '../workspaces/activity';

const id = z.string().min(1).max(200);
const version = z.number().int().min(1);
const pipelineFileText = z
  .string()
  // An empty file is refused by the check, in the same words as any other file that is not a pipeline file.
  .max(LIMITS.upload.pipelineFileBytes, `The file is larger than ${formatBytes(LIMITS.upload.pipelineFileBytes)}, the limit for a pipeline file.`);

const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);

export const runSearchInput = z
  .object({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(SEARCH_PAGE_MAX).default(SEARCH_PAGE_DEFAULT),
    sort: z
      .object({
        by: z.string().min(1).max(100),
        direction: z.enum(['asc', 'desc']).optional(),
      })
      .optional(),
    filters: z
      .object({
        pipelineId: id.optional(),
        pipelineVersion: version.optional(),
        status: z.array(runStatus).max(6).optional(),
        origin: z.enum(['ui', 'cli']).optional(),
        text: z.string().max(200).optional(),
        metric: z
          .object({ name: z.string().min(1).max(100), min: z.number().optional(), max: z.number().optional() })
          .optional(),
        from: z.number().optional(),
        to: z.number().optional(),
        startedBy: id.optional(),
      })
      .default({}),
  })
  .default({ page: 1, pageSize: SEARCH_PAGE_DEFAULT, filters: {} });

/** Procedures added to the `runs` router: search, side-by-side comparison, a metric over time. */
export const runTeamProcedures = {
  search: viewerProcedure.input(runSearchInput).query(async ({ ctx, input }) => await searchWorkspaceRuns(ctx.db, ctx.actor, input)),
  /** The filters' choices (metric names, pipelines, people), asked for once per visit of the Runs page. */
  searchChoices: viewerProcedure.query(async ({ ctx }) => await workspaceSearchChoices(ctx.db, ctx.actor)),
  compare: viewerProcedure.input(z.object({ runIds: z.array(id).min(2).max(MAX_COMPARE) })).query(async ({ ctx, input }) => {
    await requireRunsIn(ctx.db, ctx.actor, input.runIds);
    return await compareRunsById(ctx.db, input.runIds);
  }),
  metricHistory: viewerProcedure
    .input(z.object({ pipelineId: id, metric: z.string().min(1).max(100) }))
    .query(async ({ ctx, input }) => await pipelineMetricHistory(ctx.db, ctx.actor, input.pipelineId, input.metric)),
};

/**
 * Procedures added to the `pipelines` router: versions, diff, restore, export/import and read-only links.
 * `id` is the pipeline id, as in pipelines.get.
 */
export const pipelineTeamProcedures = {
  versions: viewerProcedure.input(z.object({ id })).query(async ({ ctx, input }) => await pipelineVersions(ctx.db, ctx.actor, input.id)),
  version: viewerProcedure.input(z.object({ id, version })).query(async ({ ctx, input }) => await pipelineVersion(ctx.db, ctx.actor, input.id, input.version)),
  diffVersions: viewerProcedure.input(z.object({ id, from: version, to: version })).query(async ({ ctx, input }) => {
    await pipelineIn(ctx.db, ctx.actor, input.id);
    return await versionDiff(ctx.db, input.id, input.from, input.to);
  }),
  restoreVersion: editorProcedure
    .input(z.object({ id, version, message: z.string().max(2000).optional() }))
    .mutation(async ({ ctx, input }) => {
      await pipelineIn(ctx.db, ctx.actor, input.id);
      const saved = await restoreVersion(ctx.db, input.id, input.version, input.message);
      await logActivity(ctx.db, ctx.actor, { action: 'restored', subjectType: 'pipeline', subjectId: saved.id, subjectName: saved.name, detail: `version ${input.version} as version ${saved.version}` });
      return saved;
    }),
  // Mutations, so a large file travels in the request body rather than the URL.
  checkImport: editorProcedure.input(z.object({ text: pipelineFileText })).mutation(async ({ input }) => checkPipelineFile(input.text)),
  import: editorProcedure
    .input(z.object({ text: pipelineFileText, name: z.string().trim().max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const imported = await importPipelineFile(ctx.db, input.text, input.name, ctx.actor.workspaceId);
      await logActivity(ctx.db, ctx.actor, { action: 'imported', subjectType: 'pipeline', subjectId: imported.pipeline.id, subjectName: imported.pipeline.name });
      return imported;
    }),
  share: editorProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const pipeline = await pipelineIn(ctx.db, ctx.actor, input.id);
    const link = await createShareLink(ctx.db, input.id, ctx.actor.userId);
    await logActivity(ctx.db, ctx.actor, { action: 'shared', subjectType: 'share link', subjectId: input.id, subjectName: pipeline.name });
    return link;
  }),
  shareLinks: editorProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    await pipelineIn(ctx.db, ctx.actor, input.id);
    return (await shareLinksOf(ctx.db, input.id)).map((link) => ({ ...link, canRevoke: canRevoke(ctx.actor, link.createdBy) }));
  }),
  unshare: editorProcedure
    .input(
      z
        .object({ id: id.optional(), token: z.string().min(1).max(100).optional() })
        .refine((value) => value.id !== undefined || value.token !== undefined, 'Give the pipeline id or the link token.'),
    )
    .mutation(async ({ ctx, input }) => ({ ok: true, revoked: await revokeSharesFor(ctx.db, ctx.actor, { pipelineId: input.id, token: input.token }) })),
  duplicate: editorProcedure
    .input(
      z
        .object({ id: id.optional(), shareToken: z.string().min(1).max(100).optional(), name: z.string().trim().max(200).optional() })
        .refine((value) => value.id !== undefined || value.shareToken !== undefined, 'Give the pipeline id or the link token.'),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.id) await pipelineIn(ctx.db, ctx.actor, input.id);
      const copy = await duplicatePipeline(ctx.db, { id: input.id, shareToken: input.shareToken }, input.name, ctx.actor.workspaceId);
      await logActivity(ctx.db, ctx.actor, { action: 'created', subjectType: 'pipeline', subjectId: copy.id, subjectName: copy.name, detail: input.shareToken ? 'copied from a shared link' : 'as a copy' });
      return copy;
    }),
};

/** The `shares` router: what a read-only link opens. */
export const sharesRouter = router({
  // Public: the token is the permission, and what it opens is read-only.
  get: publicProcedure.input(z.object({ token: z.string().min(1).max(100) })).query(async ({ ctx, input }) => await sharedPipeline(ctx.db, input.token)),
  run: publicProcedure
    .input(z.object({ token: z.string().min(1).max(100), runId: id }))
    .query(async ({ ctx, input }) => await sharedRun(ctx.db, input.token, input.runId)),
});
