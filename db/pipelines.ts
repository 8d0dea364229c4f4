import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Graph } from '../nodes/graph-document';
import { first, inTransaction, type Db, type Tx } from './client';
import type { PipelineDetail, SavedPipeline } from './records';
import { tables } from './schema';
import { addVersion } from './versions';

const { pipelines } = tables;

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

export async function listPipelines(db: Db, workspaceId: string): Promise<PipelineRow[]> {
  return (await db.select(detailColumns).from(pipelines).where(eq(pipelines.workspaceId, workspaceId)).orderBy(desc(pipelines.updatedAt))) as PipelineRow[];
}

/** The names of a workspace's pipelines (to pick a name none of them has). */
export async function pipelineNamesIn(db: Db, workspaceId: string): Promise<string[]> {
  return (await db.select({ name: pipelines.name }).from(pipelines).where(eq(pipelines.workspaceId, workspaceId))).map((row) => row.name);
}

export async function getPipeline(db: Db, id: string): Promise<PipelineRow | undefined> {
  return (await db.select(detailColumns).from(pipelines).where(eq(pipelines.id, id)).then(first)) as PipelineRow | undefined;
}

/** The pipeline only when it belongs to the workspace. */
export async function getPipelineIn(db: Db, workspaceId: string, id: string): Promise<PipelineRow | undefined> {
  return (await db
    .select(detailColumns)
    .from(pipelines)
    .where(and(eq(pipelines.id, id), eq(pipelines.workspaceId, workspaceId)))
    .then(first)) as PipelineRow | undefined;
}

/**
 * Creates a pipeline, or replaces the graph, name and description of an existing one. Every save is
 * recorded as the pipeline's next version (1, 2, 3, ...) with its optional message.
 */
export async function savePipeline(
  db: Db,
  input: SaveInput,
  now: number = Date.now(),
): Promise<SavedPipeline> {
  return inTransaction(db, (tx) => savePipelineIn(tx, input, now));
}

/** `workspaceId` is where a new pipeline goes; an existing one stays where it is. */
export type SaveInput = { id?: string; name: string; description: string; graph: Graph; message?: string; workspaceId?: string | null };

export async function savePipelineIn(tx: Tx, input: SaveInput, now: number): Promise<SavedPipeline> {
  const existing = input.id
    ? ((await tx.select(detailColumns).from(pipelines).where(eq(pipelines.id, input.id)).then(first)) as PipelineRow | undefined)
    : undefined;
  let row: PipelineRow;
  if (existing) {
    await tx.update(pipelines)
      .set({ name: input.name, description: input.description, graph: input.graph, updatedAt: now })
      .where(eq(pipelines.id, existing.id))
      ;
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
    await tx.insert(pipelines)
      .values({ ...row, workspaceId: input.workspaceId ?? null })
      ;
  }
  const version = await addVersion(tx, {
    pipelineId: row.id,
    graph: input.graph,
    name: row.name,
    description: row.description,
    message: input.message?.trim() ?? '',
    createdAt: now,
  });
  return { ...row, version };
}

export async function deletePipeline(db: Db, id: string): Promise<void> {
  await db.delete(pipelines).where(eq(pipelines.id, id));
}
