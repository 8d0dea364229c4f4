import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { PipelineDetail, SavedPipeline } from '../server/api-types';
import type { Graph } from '../server/engine/graph';
import type { Db, Tx } from './client';
import { pipelines } from './schema';
import { addVersion } from './versions';

export type PipelineRow = PipelineDetail;

/** What callers see of a pipeline; its workspace is for the queries to filter on, not to hand out. */
const detailColumns = {
  id: pipelines.id,
  name: pipelines.name,
  description: pipelines.description,
  graph: pipelines.graph,
  createdAt: pipelines.createdAt,
  updatedAt: pipelines.updatedAt,
};

export function listPipelines(db: Db, workspaceId: string): PipelineRow[] {
  return db.select(detailColumns).from(pipelines).where(eq(pipelines.workspaceId, workspaceId)).orderBy(desc(pipelines.updatedAt)).all() as PipelineRow[];
}

export function getPipeline(db: Db, id: string): PipelineRow | undefined {
  return db.select(detailColumns).from(pipelines).where(eq(pipelines.id, id)).get() as PipelineRow | undefined;
}

/** The pipeline only when it belongs to the workspace. */
export function getPipelineIn(db: Db, workspaceId: string, id: string): PipelineRow | undefined {
  return db
    .select(detailColumns)
    .from(pipelines)
    .where(and(eq(pipelines.id, id), eq(pipelines.workspaceId, workspaceId)))
    .get() as PipelineRow | undefined;
}

/**
 * Creates a pipeline, or replaces the graph, name and description of an existing one. Every save is
 * recorded as the pipeline's next version (1, 2, 3, ...) with its optional message.
 */
export function savePipeline(
  db: Db,
  input: SaveInput,
  now: number = Date.now(),
): SavedPipeline {
  return db.transaction((tx) => savePipelineIn(tx, input, now));
}

/** `workspaceId` is where a new pipeline goes; an existing one stays where it is. */
type SaveInput = { id?: string; name: string; description: string; graph: Graph; message?: string; workspaceId?: string | null };

function savePipelineIn(tx: Tx, input: SaveInput, now: number): SavedPipeline {
  const existing = input.id
    ? (tx.select(detailColumns).from(pipelines).where(eq(pipelines.id, input.id)).get() as PipelineRow | undefined)
    : undefined;
  let row: PipelineRow;
  if (existing) {
    tx.update(pipelines)
      .set({ name: input.name, description: input.description, graph: input.graph, updatedAt: now })
      .where(eq(pipelines.id, existing.id))
      .run();
    row = { ...existing, name: input.name, description: input.description, graph: input.graph, updatedAt: now };
  } else {
    row = {
      id: input.id ?? randomUUID(),
      name: input.name,
      description: input.description,
      graph: input.graph,
      createdAt: now,
      updatedAt: now,
    };
    tx.insert(pipelines)
      .values({ ...row, workspaceId: input.workspaceId ?? null })
      .run();
  }
  const version = addVersion(tx, {
    pipelineId: row.id,
    graph: input.graph,
    name: row.name,
    description: row.description,
    message: input.message?.trim() ?? '',
    createdAt: now,
  });
  return { ...row, version };
}

export function deletePipeline(db: Db, id: string): void {
  db.delete(pipelines).where(eq(pipelines.id, id)).run();
}
