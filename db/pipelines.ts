import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { PipelineDetail } from '../server/api-types';
import type { Graph } from '../server/engine/graph';
import type { Db } from './client';
import { pipelines } from './schema';

export type PipelineRow = PipelineDetail;

export function listPipelines(db: Db): PipelineRow[] {
  return db.select().from(pipelines).orderBy(desc(pipelines.updatedAt)).all() as PipelineRow[];
}

export function getPipeline(db: Db, id: string): PipelineRow | undefined {
  return db.select().from(pipelines).where(eq(pipelines.id, id)).get() as PipelineRow | undefined;
}

/** Creates a pipeline, or replaces the graph, name and description of an existing one. */
export function savePipeline(db: Db, input: { id?: string; name: string; description: string; graph: Graph }): PipelineRow {
  const now = Date.now();
  const existing = input.id ? getPipeline(db, input.id) : undefined;
  if (existing) {
    db.update(pipelines)
      .set({ name: input.name, description: input.description, graph: input.graph, updatedAt: now })
      .where(eq(pipelines.id, existing.id))
      .run();
    return { ...existing, name: input.name, description: input.description, graph: input.graph, updatedAt: now };
  }
  const row: PipelineRow = {
    id: input.id ?? randomUUID(),
    name: input.name,
    description: input.description,
    graph: input.graph,
    createdAt: now,
    updatedAt: now,
  };
  db.insert(pipelines).values(row).run();
  return row;
}

export function deletePipeline(db: Db, id: string): void {
  db.delete(pipelines).where(eq(pipelines.id, id)).run();
}
