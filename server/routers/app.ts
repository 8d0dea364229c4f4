import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getDataset, listDatasets } from '../../db/datasets';
import { deletePipeline, getPipeline, listPipelines, savePipeline } from '../../db/pipelines';
import { getRun, latestBackend, listRuns } from '../../db/runs';
import { allNodes } from '../../nodes';
import { CsvError } from '../../nodes/lib/csv';
import { buildCatalog } from '../catalog';
import { imageArchiveInfo, storeDataset, storedArtifacts, storeImageArchive } from '../datasets';
import { ImageArchiveError } from '../../models/images/archive';
import { endpointUrl, EndpointError, publishEndpoint } from '../endpoints';
import { listEndpoints, revokeEndpoint } from '../../db/endpoints';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import { validateGraph } from '../engine/validate';
import { registry } from '../runs/registry';
import { startRun } from '../runs/service';
import { templates } from '../templates';
import { publicProcedure, router } from '../trpc';
import { graphInput } from './graph-input';
import { pipelineTeamProcedures, runTeamProcedures, sharesRouter } from './teams';
import { APP_VERSION } from '../version';

const catalog = buildCatalog(allNodes);
const notFound = (what: string) => new TRPCError({ code: 'NOT_FOUND', message: `${what} was not found.` });

export const appRouter = router({
  system: router({
    info: publicProcedure.query(({ ctx }) => {
      return { backend: ctx.executor.backend ?? latestBackend(ctx.db), version: APP_VERSION };
    }),
  }),

  catalog: router({
    list: publicProcedure.query(() => catalog),
  }),

  templates: router({
    list: publicProcedure.query(() => templates),
  }),

  graph: router({
    validate: publicProcedure
      .input(z.object({ graph: graphInput }))
      // A mutation, so a large graph travels in the request body rather than the URL.
      .mutation(({ input }) => ({ problems: validateGraph(input.graph, registry) })),
  }),

  pipelines: router({
    list: publicProcedure.query(({ ctx }) =>
      listPipelines(ctx.db).map((pipeline) => ({
        id: pipeline.id,
        name: pipeline.name,
        description: pipeline.description,
        createdAt: pipeline.createdAt,
        updatedAt: pipeline.updatedAt,
        lastRun: listRuns(ctx.db, { pipelineId: pipeline.id, limit: 1 })[0] ?? null,
      })),
    ),
    get: publicProcedure.input(z.object({ id: z.string() })).query(({ ctx, input }) => {
      const pipeline = getPipeline(ctx.db, input.id);
      if (!pipeline) throw notFound('This pipeline');
      return pipeline;
    }),
    save: publicProcedure
      .input(
        z.object({
          id: z.string().optional(),
          name: z.string().trim().min(1, 'Give the pipeline a name').max(200),
          description: z.string().max(5000).default(''),
          graph: graphInput,
          message: z.string().max(2000).optional(),
        }),
      )
      .mutation(({ ctx, input }) => savePipeline(ctx.db, input)),
    delete: publicProcedure.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => {
      deletePipeline(ctx.db, input.id);
      return { ok: true };
    }),
    ...pipelineTeamProcedures,
  }),

  runs: router({
    start: publicProcedure
      .input(z.object({ graph: graphInput, pipelineId: z.string().optional(), label: z.string().default('Untitled pipeline') }))
      .mutation(({ ctx, input }) => {
        if (input.pipelineId && !getPipeline(ctx.db, input.pipelineId)) throw notFound('This pipeline');
        const { runId } = startRun(ctx.db, ctx.executor, {
          graph: input.graph,
          pipelineId: input.pipelineId ?? null,
          label: input.label,
          origin: 'ui',
        });
        return { runId };
      }),
    get: publicProcedure.input(z.object({ runId: z.string() })).query(({ ctx, input }) => {
      const run = getRun(ctx.db, input.runId);
      if (!run) throw notFound('This run');
      return run;
    }),
    list: publicProcedure
      .input(z.object({ pipelineId: z.string().optional(), limit: z.number().int().min(1).max(500).default(50) }))
      .query(({ ctx, input }) => listRuns(ctx.db, input)),
    cancel: publicProcedure.input(z.object({ runId: z.string() })).mutation(({ ctx, input }) => {
      ctx.executor.cancel(input.runId);
      return { ok: true };
    }),
    ...runTeamProcedures,
  }),

  shares: sharesRouter,

  models: router({
    upload: publicProcedure
      .input(z.object({ name: z.string().min(1).max(300), base64: z.string().max(200_000_000) }))
      .mutation(({ input }) => {
        const bytes = Buffer.from(input.base64, 'base64');
        let model;
        try {
          model = readModelFile(bytes).model;
        } catch (error) {
          if (error instanceof NodeInputError) throw new TRPCError({ code: 'BAD_REQUEST', message: `${input.name}: ${error.message}` });
          throw error;
        }
        const stored = storedArtifacts.write(input.name, bytes);
        return { hash: stored.hash, fileName: input.name, title: model.title, task: model.task, target: model.target, features: model.features };
      }),
  }),

  endpoints: router({
    list: publicProcedure.query(({ ctx }) =>
      listEndpoints(ctx.db).map(({ tokenHash: _secret, modelHash: _file, ...endpoint }) => ({ ...endpoint, url: endpointUrl(endpoint.id) })),
    ),
    publish: publicProcedure
      .input(z.object({ runId: z.string(), nodeId: z.string(), name: z.string().trim().min(1).max(200) }))
      .mutation(({ ctx, input }) => {
        try {
          return publishEndpoint(ctx.db, input);
        } catch (error) {
          if (error instanceof EndpointError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
          throw error;
        }
      }),
    unpublish: publicProcedure.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => {
      revokeEndpoint(ctx.db, input.id);
      return { ok: true };
    }),
  }),

  imageArchives: router({
    get: publicProcedure.input(z.object({ hash: z.string() })).query(async ({ input }) => {
      try {
        return await imageArchiveInfo(input.hash);
      } catch {
        throw notFound('This zip file');
      }
    }),
    upload: publicProcedure
      .input(z.object({ name: z.string().min(1).max(300), base64: z.string().max(400_000_000) }))
      .mutation(async ({ input }) => {
        try {
          return await storeImageArchive(input.name, Buffer.from(input.base64, 'base64'));
        } catch (error) {
          if (error instanceof ImageArchiveError) throw new TRPCError({ code: 'BAD_REQUEST', message: `${input.name}: ${error.message}` });
          throw error;
        }
      }),
  }),

  datasets: router({
    list: publicProcedure.query(({ ctx }) => listDatasets(ctx.db)),
    get: publicProcedure.input(z.object({ hash: z.string() })).query(({ ctx, input }) => {
      const dataset = getDataset(ctx.db, input.hash);
      if (!dataset) throw notFound('This file');
      return dataset;
    }),
    upload: publicProcedure
      .input(z.object({ name: z.string().min(1).max(300), base64: z.string().max(200_000_000) }))
      .mutation(({ ctx, input }) => {
        try {
          return storeDataset(ctx.db, input.name, Buffer.from(input.base64, 'base64'));
        } catch (error) {
          if (error instanceof CsvError) throw new TRPCError({ code: 'BAD_REQUEST', message: `${input.name}: ${error.message}` });
          throw error;
        }
      }),
  }),
});

export type AppRouter = typeof appRouter;
