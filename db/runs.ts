import { and, desc, eq, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Headline } from '../models/evaluation/metric-vocabulary';
import type { Graph } from '../nodes/graph-document';
import { first, inTransaction, type Db, type Tx } from './client';
import type { NodeResultInfo, NodeStatus, RunDetail, RunStatus, RunSummary } from './records';
import { tables } from './schema';
import { latestVersionNumber } from './versions';

const { nodeResults, runMetrics, runs, user } = tables;

type RunRow = typeof runs.$inferSelect;
type SummaryFields = Pick<
  RunRow,
  'id' | 'pipelineId' | 'label' | 'status' | 'origin' | 'backend' | 'startedAt' | 'finishedAt' | 'durationMs' | 'error' | 'headlineName' | 'headlineValue' | 'headlineSubject' | 'startedBy'
> & { startedByName?: string | null };

/** The run columns with the name of the person who started it. */
export const runWithPerson = { run: runs, startedByName: user.name };

export function toSummary(row: SummaryFields): RunSummary {
  const headline: Headline | null =
    row.headlineName !== null && row.headlineValue !== null
      ? { name: row.headlineName, value: row.headlineValue, ...(row.headlineSubject ? { subject: row.headlineSubject } : {}) }
      : null;
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    label: row.label,
    status: row.status,
    origin: row.origin,
    backend: row.backend,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs,
    headline,
    error: row.error,
    startedBy: row.startedBy ? { id: row.startedBy, name: row.startedByName ?? 'A former member' } : null,
  };
}

export async function createRun(
  db: Db,
  run: {
    id: string;
    pipelineId: string | null;
    label: string;
    origin: 'ui' | 'cli';
    graph: Graph;
    nodeIds: string[];
    workspaceId: string | null;
    startedBy: string | null;
    /** The process answering for the run, and until when (renewed while it lives). */
    lease?: { owner: string; expiresAt: number };
  },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.insert(runs)
      .values({
        id: run.id,
        pipelineId: run.pipelineId,
        label: run.label,
        origin: run.origin,
        status: 'queued',
        leaseOwner: run.lease?.owner ?? null,
        leaseExpiresAt: run.lease?.expiresAt ?? null,
        graph: run.graph,
        workspaceId: run.workspaceId,
        startedBy: run.startedBy,
        startedAt: Date.now(),
        // The pipeline's latest saved version; a pipeline saved before versions existed counts as version 1.
        pipelineVersion: run.pipelineId ? ((await latestVersionNumber(tx, run.pipelineId)) ?? 1) : null,
      })
      ;
    if (run.nodeIds.length) await tx.insert(nodeResults).values(run.nodeIds.map((nodeId) => ({ runId: run.id, nodeId, status: 'waiting' as const })));
  });
}

export async function updateNodeResult(
  db: Db,
  runId: string,
  nodeId: string,
  patch: Partial<Omit<typeof nodeResults.$inferInsert, 'runId' | 'nodeId'>>,
): Promise<void> {
  await db.update(nodeResults)
    .set(patch)
    .where(and(eq(nodeResults.runId, runId), eq(nodeResults.nodeId, nodeId)))
    ;
}

/** A queued run's engine has started it. */
export async function markRunRunning(db: Db, runId: string): Promise<void> {
  await db.update(runs).set({ status: 'running' }).where(and(eq(runs.id, runId), eq(runs.status, 'queued')));
}

/** Keeps the leases of the runs a live process answers for. */
export async function renewRunLeases(db: Db, runIds: string[], expiresAt: number): Promise<void> {
  if (runIds.length === 0) return;
  await db.update(runs)
    .set({ leaseExpiresAt: expiresAt })
    .where(and(inArray(runs.id, runIds), inArray(runs.status, ['queued', 'running'])))
    ;
}

/**
 * Runs whose process stopped answering for them (killed, machine restarted): their lease lapsed before
 * `now`, or they belong to `deadOwner` (a server that just restarted knows its old self is gone).
 * They are marked interrupted, with a plain message, so nothing stays "running" forever.
 */
export async function interruptAbandonedRuns(db: Db, now: number, deadOwner?: { origin: 'ui' | 'cli' }): Promise<string[]> {
  const lapsed = and(inArray(runs.status, ['queued', 'running']), or(lt(runs.leaseExpiresAt, now), isNull(runs.leaseExpiresAt)));
  const abandoned = deadOwner ? or(lapsed, and(eq(runs.status, 'running'), eq(runs.origin, deadOwner.origin))) : lapsed;
  const ids = (await db.select({ id: runs.id }).from(runs).where(abandoned)).map((row) => row.id);
  for (const id of ids) {
    await finishRun(db, id, {
      status: 'interrupted',
      error: 'Interrupted: the process running this pipeline stopped (it was closed, killed or the machine restarted) before it finished. Run it again.',
      headline: null,
    });
  }
  return ids;
}

/** Queued runs of one origin, oldest first, with what it takes to run them. */
export async function queuedRuns(db: Db, origin: 'ui' | 'cli') {
  const rows = await db
    .select({ id: runs.id, graph: runs.graph, pipelineId: runs.pipelineId, label: runs.label, origin: runs.origin, workspaceId: runs.workspaceId, startedBy: runs.startedBy })
    .from(runs)
    .where(and(eq(runs.status, 'queued'), eq(runs.origin, origin)))
    .orderBy(runs.startedAt);
  return rows.map((row) => ({ ...row, graph: row.graph as Graph }));
}

/** This process now answers for a queued run. */
export async function claimRun(db: Db, runId: string, lease: { owner: string; expiresAt: number }): Promise<void> {
  await db.update(runs).set({ leaseOwner: lease.owner, leaseExpiresAt: lease.expiresAt }).where(eq(runs.id, runId));
}

export async function setRunBackend(db: Db, runId: string, backend: string): Promise<void> {
  await db.update(runs).set({ backend }).where(eq(runs.id, runId));
}

export async function finishRun(
  db: Db,
  runId: string,
  outcome: {
    status: Exclude<RunStatus, 'running' | 'queued'>;
    error: string | null;
    headline: Headline | null;
    /** Best value per metric over the run's evaluate nodes, indexed for search. */
    metrics?: Record<string, number>;
  },
): Promise<void> {
  const row = await db.select({ startedAt: runs.startedAt }).from(runs).where(eq(runs.id, runId)).then(first);
  const finishedAt = Date.now();
  await inTransaction(db, async (tx) => {
    await tx.update(runs)
      .set({
        status: outcome.status,
        error: outcome.error,
        finishedAt,
        durationMs: row ? finishedAt - row.startedAt : null,
        headlineName: outcome.headline?.name ?? null,
        headlineValue: outcome.headline?.value ?? null,
        headlineSubject: outcome.headline?.subject ?? null,
        leaseOwner: null,
        leaseExpiresAt: null,
      })
      .where(eq(runs.id, runId))
      ;
    // Nodes that never started in a stopped run say why, instead of waiting forever.
    const leftover: NodeStatus = outcome.status === 'cancelled' ? 'cancelled' : 'skipped';
    await tx.update(nodeResults)
      .set({ status: leftover })
      .where(and(eq(nodeResults.runId, runId), eq(nodeResults.status, 'waiting')))
      ;
    await tx.update(nodeResults)
      .set({ status: outcome.status === 'cancelled' ? 'cancelled' : 'failed', error: outcome.error ?? 'Stopped' })
      .where(and(eq(nodeResults.runId, runId), eq(nodeResults.status, 'running')))
      ;
    if (outcome.metrics) await writeRunMetrics(tx, runId, outcome.metrics);
  });
}

/** Replaces a run's indexed metrics. */
export async function writeRunMetrics(db: Db | Tx, runId: string, metrics: Record<string, number>): Promise<void> {
  await db.delete(runMetrics).where(eq(runMetrics.runId, runId));
  const rows = Object.entries(metrics)
    .filter(([, value]) => Number.isFinite(value))
    .map(([name, value]) => ({ runId, name, value }));
  if (rows.length) await db.insert(runMetrics).values(rows);
}

/** A run recorded whole, e.g. brought in from elsewhere or generated for load tests. */
export interface RunRecord {
  run: typeof runs.$inferInsert;
  nodes: (typeof nodeResults.$inferInsert)[];
  metrics: Record<string, number>;
}

/** Inserts finished runs with their node results and metrics in one transaction. */
export async function insertRunRecords(db: Db, records: RunRecord[]): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const record of records) {
      await tx.insert(runs).values(record.run);
      if (record.nodes.length) await tx.insert(nodeResults).values(record.nodes);
      const metrics = Object.entries(record.metrics).filter(([, value]) => Number.isFinite(value));
      if (metrics.length) await tx.insert(runMetrics).values(metrics.map(([name, value]) => ({ runId: record.run.id, name, value })));
    }
  });
}

/** Newest first, of one workspace (or, without one, of a pipeline already known to be in reach). */
export async function listRuns(db: Db, options: { workspaceId?: string; pipelineId?: string; limit: number }): Promise<RunSummary[]> {
  const conditions = [];
  if (options.workspaceId) conditions.push(eq(runs.workspaceId, options.workspaceId));
  if (options.pipelineId) conditions.push(eq(runs.pipelineId, options.pipelineId));
  const rows = await db
    .select(runWithPerson)
    .from(runs)
    .leftJoin(user, eq(user.id, runs.startedBy))
    .where(and(...conditions))
    .orderBy(desc(runs.startedAt))
    .limit(options.limit);
  return rows.map(({ run, startedByName }) => toSummary({ ...run, startedByName }));
}

/** The workspace a run belongs to (null for a run from before accounts), or undefined when there is no such run. */
export async function runWorkspaceId(db: Db, runId: string): Promise<string | null | undefined> {
  const row = await db.select({ workspaceId: runs.workspaceId }).from(runs).where(eq(runs.id, runId)).then(first);
  return row ? row.workspaceId : undefined;
}

export async function getRun(db: Db, runId: string): Promise<RunDetail | undefined> {
  const found = await db.select(runWithPerson).from(runs).leftJoin(user, eq(user.id, runs.startedBy)).where(eq(runs.id, runId)).then(first);
  if (!found) return undefined;
  const row = { ...found.run, startedByName: found.startedByName };
  const nodes: Record<string, NodeResultInfo> = {};
  for (const result of await db.select().from(nodeResults).where(eq(nodeResults.runId, runId))) {
    nodes[result.nodeId] = {
      nodeId: result.nodeId,
      status: result.status,
      cached: result.cached,
      durationMs: result.durationMs,
      progress: result.progress,
      message: result.message,
      error: result.error,
      preview: (result.preview ?? null) as NodeResultInfo['preview'],
      metrics: (result.metrics ?? null) as NodeResultInfo['metrics'],
    };
  }
  return { ...toSummary(row), graph: row.graph as Graph, nodes, pipelineVersion: row.pipelineVersion, attempts: row.attempts };
}

/** The TensorFlow.js backend of the newest run that got as far as starting the engine. */
export async function latestBackend(db: Db): Promise<string | null> {
  const row = await db.select({ backend: runs.backend }).from(runs).where(isNotNull(runs.backend)).orderBy(desc(runs.startedAt)).limit(1).then(first);
  return row?.backend ?? null;
}

/**
 * A team worker takes a run off the queue and answers for it from now on, as try number `attempt`. A
 * retry after a worker died starts the nodes over. Returns what it takes to run it, or undefined when
 * there is nothing to run (cancelled, finished or deleted meanwhile).
 */
export async function takeQueuedRun(db: Db, runId: string, lease: { owner: string; expiresAt: number }, attempt: number) {
  const row = await db
    .select({ id: runs.id, status: runs.status, graph: runs.graph, pipelineId: runs.pipelineId, label: runs.label, origin: runs.origin, workspaceId: runs.workspaceId, startedBy: runs.startedBy })
    .from(runs)
    .where(eq(runs.id, runId))
    .then(first);
  // "interrupted" too: the sweeper may have noticed the dead worker before the queue handed the run on.
  if (!row || !['queued', 'running', 'interrupted'].includes(row.status)) return undefined;
  await inTransaction(db, async (tx) => {
    await tx
      .update(runs)
      .set({ status: 'queued', leaseOwner: lease.owner, leaseExpiresAt: lease.expiresAt, attempts: attempt, error: null, finishedAt: null, durationMs: null })
      .where(eq(runs.id, runId));
    if (attempt > 1) {
      await tx
        .update(nodeResults)
        .set({ status: 'waiting', cached: false, startedAt: null, durationMs: null, progress: null, message: null, error: null, preview: null, metrics: null })
        .where(eq(nodeResults.runId, runId));
    }
  });
  const { status: _status, ...input } = row;
  return { ...input, graph: input.graph as Graph };
}
