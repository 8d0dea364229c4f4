import { and, count, desc, eq, max } from 'drizzle-orm';
import type { Graph } from '../nodes/graph-document';
import { first, type Db, type Tx } from './client';
import type { PipelineVersionDetail, PipelineVersionSummary } from './records';
import { tables } from './schema';

const { pipelines, pipelineVersions, runs } = tables;

type VersionRow = typeof pipelineVersions.$inferSelect;

function toDetail(row: VersionRow, runCount: number): PipelineVersionDetail {
  const graph = row.graph as Graph;
  return {
    pipelineId: row.pipelineId,
    version: row.version,
    name: row.name,
    description: row.description,
    message: row.message,
    createdAt: row.createdAt,
    nodeCount: graph.nodes.length,
    edgeCount: graph.edges.length,
    runCount,
    graph,
  };
}

function summaryOf({ graph: _graph, ...summary }: PipelineVersionDetail): PipelineVersionSummary {
  return summary;
}

/**
 * A pipeline with no version rows (none should remain: the 0002 migration gives every existing pipeline
 * a version 1) is shown as version 1, its current graph, dated when it was last saved.
 */
async function impliedFirstVersion(db: Db | Tx, pipelineId: string): Promise<VersionRow | undefined> {
  const pipeline = await db.select().from(pipelines).where(eq(pipelines.id, pipelineId)).then(first);
  if (!pipeline) return undefined;
  return {
    pipelineId,
    version: 1,
    graph: pipeline.graph,
    name: pipeline.name,
    description: pipeline.description,
    message: '',
    createdAt: pipeline.updatedAt,
  };
}

/** The highest version number of a pipeline, or null when it has none recorded. */
export async function latestVersionNumber(db: Db | Tx, pipelineId: string): Promise<number | null> {
  const row = await db
    .select({ version: max(pipelineVersions.version) })
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .then(first);
  return row?.version ?? null;
}

/** The newest version row actually stored. */
export async function latestRecordedVersion(db: Db | Tx, pipelineId: string): Promise<VersionRow | undefined> {
  return db
    .select()
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.version))
    .limit(1)
    .then(first);
}

/** The newest version, or the implied version 1 of a pipeline with none stored. */
export async function latestVersion(db: Db | Tx, pipelineId: string): Promise<VersionRow | undefined> {
  return (await latestRecordedVersion(db, pipelineId)) ?? impliedFirstVersion(db, pipelineId);
}

async function runCounts(db: Db | Tx, pipelineId: string): Promise<Map<number, number>> {
  const rows = await db
    .select({ version: runs.pipelineVersion, runs: count() })
    .from(runs)
    .where(eq(runs.pipelineId, pipelineId))
    .groupBy(runs.pipelineVersion);
  return new Map(rows.filter((r) => r.version !== null).map((r) => [r.version as number, r.runs]));
}

/** Newest first. Empty when the pipeline does not exist. */
export async function listVersions(db: Db, pipelineId: string): Promise<PipelineVersionSummary[]> {
  let rows = await db
    .select()
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.version));
  if (!rows.length) {
    const implied = await impliedFirstVersion(db, pipelineId);
    rows = implied ? [implied] : [];
  }
  const counts = await runCounts(db, pipelineId);
  return rows.map((row) => summaryOf(toDetail(row, counts.get(row.version) ?? 0)));
}

export async function getVersion(db: Db, pipelineId: string, version: number): Promise<PipelineVersionDetail | undefined> {
  let row = await db
    .select()
    .from(pipelineVersions)
    .where(and(eq(pipelineVersions.pipelineId, pipelineId), eq(pipelineVersions.version, version)))
    .then(first);
  if (!row && version === 1 && (await latestVersionNumber(db, pipelineId)) === null) row = await impliedFirstVersion(db, pipelineId);
  if (!row) return undefined;
  const counted = await db
    .select({ runs: count() })
    .from(runs)
    .where(and(eq(runs.pipelineId, pipelineId), eq(runs.pipelineVersion, version)))
    .then(first);
  const runCount = counted?.runs ?? 0;
  return toDetail(row, runCount);
}

/** Appends a version after the latest one and returns its number. */
export async function addVersion(
  db: Db | Tx,
  input: { pipelineId: string; graph: Graph; name: string; description: string; message: string; createdAt: number },
): Promise<number> {
  const version = ((await latestVersionNumber(db, input.pipelineId)) ?? 0) + 1;
  await db.insert(pipelineVersions)
    .values({ ...input, version })
    ;
  return version;
}
