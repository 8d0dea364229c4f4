import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { allNodes } from '../../nodes';
import { buildCatalog } from '../catalog';
import { storedDataset, workspaceDatasets } from '../datasets';
import { describeStoredArchive } from '../files/uploads';
import { endpointsOf, publishEndpointFor, unpublishEndpoint } from '../endpoints';
import { MONITORING_WINDOWS, monitoringReport, type MonitoringWindow } from '../monitoring/report';
import { recordOutcomeFileFor } from '../monitoring/outcomes';
import { LIMITS } from '../../models/limits';
import { validateGraph } from '../engine/validate';
import { deletePipelineFor, pipelineSummaries, savePipelineFor } from '../pipelines';
import { registry } from '../runs/registry';
import { cancelRunFor, recentRuns, runIn, startRunFor } from '../runs/workspace-runs';
import { templates } from '../templates';
import { firstRunName } from '../pipeline-names';
import { editorProcedure, publicProcedure, router, viewerProcedure } from '../trpc';
import { pipelineIn, requireFileIn } from '../workspaces/scope';
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
    list: viewerProcedure.query(async ({ ctx }) => await pipelineSummaries(ctx.db, ctx.actor.workspaceId)),
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
      .mutation(async ({ ctx, input }) => await savePipelineFor(ctx.db, ctx.actor, input)),
    delete: editorProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
      await deletePipelineFor(ctx.db, ctx.actor, input.id);
      return { ok: true };
    }),
    ...pipelineTeamProcedures,
  }),

  runs: router({
    start: editorProcedure
      .input(
        z.object({
          graph: graphInput,
          pipelineId: id.optional(),
          // A pipeline not saved yet is saved under this name (the browser dates a template's or a blank one's).
          label: z.string().trim().max(200).default('').transform((label) => label || firstRunName('', [], new Date())),
          description: z.string().max(5000).optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => await startRunFor(ctx.db, ctx.runs, ctx.actor, input)),
    get: viewerProcedure.input(z.object({ runId: id })).query(async ({ ctx, input }) => await runIn(ctx.db, ctx.actor, input.runId)),
    list: viewerProcedure
      .input(z.object({ pipelineId: id.optional(), limit: z.number().int().min(1).max(500).default(50) }))
      .query(async ({ ctx, input }) => await recentRuns(ctx.db, ctx.actor.workspaceId, input)),
    cancel: editorProcedure.input(z.object({ runId: id })).mutation(async ({ ctx, input }) => {
      await cancelRunFor(ctx.db, ctx.runs, ctx.actor, input.runId);
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
    list: viewerProcedure.query(async ({ ctx }) => await endpointsOf(ctx.db, ctx.actor)),
    publish: editorProcedure
      .input(z.object({ runId: id, nodeId: id, name: z.string().trim().min(1).max(200) }))
      .mutation(async ({ ctx, input }) => await publishEndpointFor(ctx.db, ctx.actor, input)),
    unpublish: editorProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
      await unpublishEndpoint(ctx.db, ctx.actor, input.id);
      return { ok: true };
    }),
    monitoring: viewerProcedure
      .input(z.object({ id, window: z.enum(Object.keys(MONITORING_WINDOWS) as [MonitoringWindow, ...MonitoringWindow[]]) }))
      .query(async ({ ctx, input }) => await monitoringReport(ctx.db, ctx.actor, input.id, input.window)),
    postOutcomes: editorProcedure
      .input(z.object({ id, csv: z.string().max(LIMITS.http.outcomesBodyBytes) }))
      .mutation(async ({ ctx, input }) => await recordOutcomeFileFor(ctx.db, ctx.actor, input.id, input.csv)),
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
    list: viewerProcedure.query(async ({ ctx }) => await workspaceDatasets(ctx.db, ctx.actor.workspaceId)),
    get: viewerProcedure.input(z.object({ hash })).query(async ({ ctx, input }) => {
      await requireFileIn(ctx.db, ctx.actor, input.hash);
      return await storedDataset(ctx.db, input.hash);
    }),
  }),
});

export type AppRouter = typeof appRouter;
