import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getPipeline } from '../../db/pipelines';
import { metricHistory, searchRuns, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX } from '../../db/run-search';
import { getVersion, listVersions } from '../../db/versions';
import {
  checkPipelineFile,
  compareRunsById,
  createShareLink,
  duplicatePipeline,
  exportPipelineFile,
  importPipelineFile,
  MAX_COMPARE,
  restoreVersion,
  revokeShare,
  sharedPipeline,
  shareLinksOf,
  TeamsError,
  versionDiff,
} from '../teams/service';
import { publicProcedure, router } from '../trpc';

/** Runs a service call, turning its errors into the matching tRPC errors. */
function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TeamsError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

const id = z.string().min(1).max(200);
const version = z.number().int().min(1);
const pipelineFileText = z.string().min(1, 'The file is empty.').max(20_000_000, 'The file is too large for a pipeline.');

const runStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

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
        status: z.array(runStatus).max(4).optional(),
        origin: z.enum(['ui', 'cli']).optional(),
        text: z.string().max(200).optional(),
        metric: z
          .object({ name: z.string().min(1).max(100), min: z.number().optional(), max: z.number().optional() })
          .optional(),
        from: z.number().optional(),
        to: z.number().optional(),
      })
      .default({}),
  })
  .default({ page: 1, pageSize: SEARCH_PAGE_DEFAULT, filters: {} });

/** Procedures added to the `runs` router: search, side-by-side comparison, a metric over time. */
export const runTeamProcedures = {
  search: publicProcedure.input(runSearchInput).query(({ ctx, input }) => searchRuns(ctx.db, input)),
  compare: publicProcedure
    .input(z.object({ runIds: z.array(id).min(2).max(MAX_COMPARE) }))
    .query(({ ctx, input }) => guard(() => compareRunsById(ctx.db, input.runIds))),
  metricHistory: publicProcedure
    .input(z.object({ pipelineId: id, metric: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => metricHistory(ctx.db, input.pipelineId, input.metric)),
};

function requirePipeline(db: Parameters<typeof getPipeline>[0], pipelineId: string) {
  if (!getPipeline(db, pipelineId)) throw new TRPCError({ code: 'NOT_FOUND', message: 'This pipeline was not found.' });
}

/**
 * Procedures added to the `pipelines` router: versions, diff, restore, export/import and read-only links.
 * `id` is the pipeline id, as in pipelines.get.
 */
export const pipelineTeamProcedures = {
  versions: publicProcedure.input(z.object({ id })).query(({ ctx, input }) => {
    requirePipeline(ctx.db, input.id);
    return listVersions(ctx.db, input.id);
  }),
  version: publicProcedure.input(z.object({ id, version })).query(({ ctx, input }) => {
    const found = getVersion(ctx.db, input.id, input.version);
    if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `Version ${input.version} of this pipeline was not found.` });
    return found;
  }),
  diffVersions: publicProcedure
    .input(z.object({ id, from: version, to: version }))
    .query(({ ctx, input }) => guard(() => versionDiff(ctx.db, input.id, input.from, input.to))),
  restoreVersion: publicProcedure
    .input(z.object({ id, version, message: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) => guard(() => restoreVersion(ctx.db, input.id, input.version, input.message))),
  export: publicProcedure
    .input(z.object({ id, version: version.optional(), bundleDatasets: z.boolean().default(false) }))
    .query(({ ctx, input }) =>
      guard(() => exportPipelineFile(ctx.db, input.id, { version: input.version, bundleFiles: input.bundleDatasets })),
    ),
  // Mutations, so a large file travels in the request body rather than the URL.
  checkImport: publicProcedure.input(z.object({ text: pipelineFileText })).mutation(({ input }) => checkPipelineFile(input.text)),
  import: publicProcedure
    .input(z.object({ text: pipelineFileText, name: z.string().trim().max(200).optional() }))
    .mutation(({ ctx, input }) => guard(() => importPipelineFile(ctx.db, input.text, input.name))),
  share: publicProcedure.input(z.object({ id })).mutation(({ ctx, input }) => guard(() => createShareLink(ctx.db, input.id))),
  shareLinks: publicProcedure.input(z.object({ id })).query(({ ctx, input }) => {
    requirePipeline(ctx.db, input.id);
    return shareLinksOf(ctx.db, input.id);
  }),
  unshare: publicProcedure
    .input(
      z
        .object({ id: id.optional(), token: z.string().min(1).max(100).optional() })
        .refine((value) => value.id !== undefined || value.token !== undefined, 'Give the pipeline id or the link token.'),
    )
    .mutation(({ ctx, input }) => ({ ok: true, revoked: guard(() => revokeShare(ctx.db, { pipelineId: input.id, token: input.token })) })),
  duplicate: publicProcedure
    .input(
      z
        .object({ id: id.optional(), shareToken: z.string().min(1).max(100).optional(), name: z.string().trim().max(200).optional() })
        .refine((value) => value.id !== undefined || value.shareToken !== undefined, 'Give the pipeline id or the link token.'),
    )
    .mutation(({ ctx, input }) => guard(() => duplicatePipeline(ctx.db, { id: input.id, shareToken: input.shareToken }, input.name))),
};

/** The `shares` router: what a read-only link opens. */
export const sharesRouter = router({
  get: publicProcedure
    .input(z.object({ token: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => guard(() => sharedPipeline(ctx.db, input.token))),
});
