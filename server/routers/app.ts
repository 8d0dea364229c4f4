import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getDataset, listDatasets } from '../../db/datasets';
import { deletePipeline, getPipeline, listPipelines, savePipeline } from '../../db/pipelines';
import { getRun, latestBackend, listRuns } from '../../db/runs';
import { grantedHashes } from '../../db/workspaces';
import { allNodes } from '../../nodes';
import { buildCatalog } from '../catalog';
import { describeStoredArchive } from '../files/uploads';

import { endpointUrl, EndpointError, publishEndpoint } from '../endpoints';
import { getEndpoint, listEndpoints, revokeEndpoint } from '../../db/endpoints';
import { validateGraph } from '../engine/validate';
import { registry } from '../runs/registry';
import { startRun } from '../runs/service';
import { templates } from '../templates';
import { editorProcedure, publicProcedure, router, viewerProcedure } from '../trpc';
import { logActivity } from '../workspaces/activity';
import { canRevoke, pipelineIn, requireFileIn, requireRunsIn } from '../workspaces/scope';
import { graphInput } from './graph-input';
import { pipelineTeamProcedures, runTeamProcedures, sharesRouter } from './teams';
import { accountRouter, activityRouter, invitationsRouter, membersRouter, setupRouter, workspacesRouter } from './workspaces';
import { APP_VERSION } from '../version';

const catalog = buildCatalog(allNodes);
const notFound = (what: string) => new TRPCError({ code: 'NOT_FOUND', message: `${what} was not found.` });
const id = z.string().min(1).max(200);
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'This is not a file reference.');

export const appRouter = router({
  system: router({
    // Public: the sign-in page shows the version; the backend says nothing about any workspace.
    info: publicProcedure.query(async ({ ctx }) => {
      return { backend: await ctx.runs.backend(), version: APP_VERSION };
    }),
  }),

  catalog: router({
    // Public: the node catalog is the same for everyone, and a shared link's read-only canvas needs it.
    list: publicProcedure.query(async () => catalog),
  }),

  templates: router({
    list: viewerProcedure.query(async () => templates),
  }),

  graph: router({
    validate: viewerProcedure
      .input(z.object({ graph: graphInput }))
      // A mutation, so a large graph travels in the request body rather than the URL.
      .mutation(async ({ input }) => ({ problems: validateGraph(input.graph, registry) })),
  }),

  pipelines: router({
    list: viewerProcedure.query(async ({ ctx }) =>
      Promise.all(
        (await listPipelines(ctx.db, ctx.actor.workspaceId)).map(async (pipeline) => ({
          id: pipeline.id,
          name: pipeline.name,
          description: pipeline.description,
          createdAt: pipeline.createdAt,
          updatedAt: pipeline.updatedAt,
          lastRun: (await listRuns(ctx.db, { pipelineId: pipeline.id, limit: 1 }))[0] ?? null,
        })),
      ),
    ),
    get: viewerProcedure.input(z.object({ id })).query(async ({ ctx, input }) => await pipelineIn(ctx.db, ctx.actor, input.id)),
    save: editorProcedure
      .input(
        z.object({
          id: id.optional(),
          name: z.string().trim().min(1, 'Give the pipeline a name').max(200),
          description: z.string().max(5000).default(''),
          graph: graphInput,
          message: z.string().max(2000).optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        // An id from another workspace is "not found"; a new id makes a new pipeline here.
        if (input.id && await getPipeline(ctx.db, input.id)) await pipelineIn(ctx.db, ctx.actor, input.id);
        const saved = await savePipeline(ctx.db, { ...input, workspaceId: ctx.actor.workspaceId });
        await logActivity(ctx.db, ctx.actor, {
          action: saved.version === 1 ? 'created' : 'changed',
          subjectType: 'pipeline',
          subjectId: saved.id,
          subjectName: saved.name,
          detail: `version ${saved.version}${input.message ? `: ${input.message}` : ''}`,
        });
        return saved;
      }),
    delete: editorProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
      const pipeline = await pipelineIn(ctx.db, ctx.actor, input.id);
      await deletePipeline(ctx.db, input.id);
      await logActivity(ctx.db, ctx.actor, { action: 'deleted', subjectType: 'pipeline', subjectId: input.id, subjectName: pipeline.name });
      return { ok: true };
    }),
    ...pipelineTeamProcedures,
  }),

  runs: router({
    start: editorProcedure
      .input(z.object({ graph: graphInput, pipelineId: id.optional(), label: z.string().max(300).default('Untitled pipeline') }))
      .mutation(async ({ ctx, input }) => {
        if (input.pipelineId) await pipelineIn(ctx.db, ctx.actor, input.pipelineId);
        const runId = await ctx.runs.start({
          graph: input.graph,
          pipelineId: input.pipelineId ?? null,
          label: input.label,
          origin: 'ui',
          workspaceId: ctx.actor.workspaceId,
          startedBy: ctx.actor.userId,
        });
        await logActivity(ctx.db, ctx.actor, { action: 'ran', subjectType: 'run', subjectId: runId, subjectName: input.label });
        return { runId };
      }),
    get: viewerProcedure.input(z.object({ runId: id })).query(async ({ ctx, input }) => {
      await requireRunsIn(ctx.db, ctx.actor, [input.runId]);
      const run = await getRun(ctx.db, input.runId);
      if (!run) throw notFound('This run');
      return run;
    }),
    list: viewerProcedure
      .input(z.object({ pipelineId: id.optional(), limit: z.number().int().min(1).max(500).default(50) }))
      .query(async ({ ctx, input }) => await listRuns(ctx.db, { ...input, workspaceId: ctx.actor.workspaceId })),
    cancel: editorProcedure.input(z.object({ runId: id })).mutation(async ({ ctx, input }) => {
      await requireRunsIn(ctx.db, ctx.actor, [input.runId]);
      await ctx.runs.cancel(input.runId);
      await logActivity(ctx.db, ctx.actor, { action: 'cancelled', subjectType: 'run', subjectId: input.runId, subjectName: (await getRun(ctx.db, input.runId))?.label ?? '' });
      return { ok: true };
    }),
    ...runTeamProcedures,
  }),

  shares: sharesRouter,
  setup: setupRouter,
  account: accountRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  activity: activityRouter,

  endpoints: router({
    list: viewerProcedure.query(async ({ ctx }) =>
      (await listEndpoints(ctx.db, ctx.actor.workspaceId)).map(({ tokenHash: _secret, modelHash: _file, workspaceId: _workspace, ...endpoint }) => ({
        ...endpoint,
        url: endpointUrl(endpoint.id),
        canUnpublish: canRevoke(ctx.actor, endpoint.createdBy),
      })),
    ),
    publish: editorProcedure
      .input(z.object({ runId: id, nodeId: id, name: z.string().trim().min(1).max(200) }))
      .mutation(async ({ ctx, input }) => {
        await requireRunsIn(ctx.db, ctx.actor, [input.runId]);
        try {
          const published = await publishEndpoint(ctx.db, { ...input, workspaceId: ctx.actor.workspaceId, createdBy: ctx.actor.userId });
          await logActivity(ctx.db, ctx.actor, { action: 'published', subjectType: 'prediction API', subjectId: published.id, subjectName: input.name });
          return published;
        } catch (error) {
          if (error instanceof EndpointError) throw new TRPCError({ code: error.status === 400 ? 'BAD_REQUEST' : 'NOT_FOUND', message: error.message });
          throw error;
        }
      }),
    unpublish: editorProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
      const endpoint = await getEndpoint(ctx.db, input.id);
      if (!endpoint || endpoint.workspaceId !== ctx.actor.workspaceId) throw notFound('This prediction API');
      if (!canRevoke(ctx.actor, endpoint.createdBy)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Only the person who published this API or a workspace owner can unpublish it.' });
      }
      await revokeEndpoint(ctx.db, input.id);
      await logActivity(ctx.db, ctx.actor, { action: 'unpublished', subjectType: 'prediction API', subjectId: input.id, subjectName: endpoint.name });
      return { ok: true };
    }),
  }),

  imageArchives: router({
    get: viewerProcedure.input(z.object({ hash })).query(async ({ ctx, input }) => {
      await requireFileIn(ctx.db, ctx.actor, input.hash);
      try {
        return await describeStoredArchive(input.hash);
      } catch {
        throw notFound('This zip file');
      }
    }),
  }),

  datasets: router({
    list: viewerProcedure.query(async ({ ctx }) => {
      const granted = await grantedHashes(ctx.db, ctx.actor.workspaceId);
      return (await listDatasets(ctx.db)).filter((dataset) => granted.has(dataset.hash));
    }),
    get: viewerProcedure.input(z.object({ hash })).query(async ({ ctx, input }) => {
      await requireFileIn(ctx.db, ctx.actor, input.hash);
      const dataset = await getDataset(ctx.db, input.hash);
      if (!dataset) throw notFound('This file');
      return dataset;
    }),
  }),
});

export type AppRouter = typeof appRouter;
