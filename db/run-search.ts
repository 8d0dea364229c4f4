import { and, asc, count, desc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type {
  MetricHistoryPoint,
  RunSearchChoices,
  RunSearchFilters,
  RunSearchInput,
  RunSearchResult,
  RunSearchRow,
  RunSortColumn,
} from './records';
import type { Graph } from '../nodes/graph-document';
import type { NodePreview } from '../nodes/preview';
import { isLowerBetter, sortMetricNames } from '../models/evaluation/metric-vocabulary';
import { first, type Db } from './client';
import { tables } from './schema';
import { toSummary } from './runs';

const { nodeResults, pipelines, runMetrics, runs, user } = tables;

export const SEARCH_PAGE_DEFAULT = 50;
export const SEARCH_PAGE_MAX = 100;

/** Columns of a run list row: everything but the graph, which can be large and is not shown in lists. */
const summaryColumns = {
  id: runs.id,
  pipelineId: runs.pipelineId,
  label: runs.label,
  origin: runs.origin,
  status: runs.status,
  backend: runs.backend,
  startedAt: runs.startedAt,
  finishedAt: runs.finishedAt,
  durationMs: runs.durationMs,
  error: runs.error,
  headlineName: runs.headlineName,
  headlineValue: runs.headlineValue,
  headlineSubject: runs.headlineSubject,
  pipelineVersion: runs.pipelineVersion,
  workspaceId: runs.workspaceId,
  startedBy: runs.startedBy,
  startedByName: user.name,
  pipelineName: pipelines.name,
};

type SummaryRow = Omit<typeof runs.$inferSelect, 'graph' | 'leaseOwner' | 'leaseExpiresAt' | 'attempts'> & { pipelineName: string | null; startedByName: string | null };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE conditions of a search; all but the label match use indexed columns. */
function searchConditions(db: Db, workspaceId: string, filters: RunSearchFilters): SQL | undefined {
  const conditions: SQL[] = [eq(runs.workspaceId, workspaceId)];
  if (filters.startedBy !== undefined) conditions.push(eq(runs.startedBy, filters.startedBy));
  if (filters.pipelineId !== undefined) conditions.push(eq(runs.pipelineId, filters.pipelineId));
  if (filters.pipelineVersion !== undefined) conditions.push(eq(runs.pipelineVersion, filters.pipelineVersion));
  if (filters.status?.length) conditions.push(inArray(runs.status, filters.status));
  if (filters.origin) conditions.push(eq(runs.origin, filters.origin));
  if (filters.from !== undefined) conditions.push(gte(runs.startedAt, filters.from));
  if (filters.to !== undefined) conditions.push(lte(runs.startedAt, filters.to));
  const text = filters.text?.trim();
  if (text) conditions.push(sql`lower(${runs.label}) LIKE ${`%${escapeLike(text.toLowerCase())}%`} ESCAPE '\\'`);
  if (filters.metric) {
    const metric = [eq(runMetrics.name, filters.metric.name)];
    if (filters.metric.min !== undefined) metric.push(gte(runMetrics.value, filters.metric.min));
    if (filters.metric.max !== undefined) metric.push(lte(runMetrics.value, filters.metric.max));
    // Served by the (name, value) index on run_metrics.
    conditions.push(inArray(runs.id, db.select({ runId: runMetrics.runId }).from(runMetrics).where(and(...metric))));
  }
  return conditions.length ? and(...conditions) : undefined;
}

function toSearchRow(row: SummaryRow, metrics: Record<string, number>): RunSearchRow {
  return { ...toSummary(row), pipelineName: row.pipelineName, pipelineVersion: row.pipelineVersion, metrics };
}

/** Metrics of several runs, by run id. */
export async function metricsOfRuns(db: Db, runIds: string[]): Promise<Map<string, Record<string, number>>> {
  const byRun = new Map<string, Record<string, number>>(runIds.map((id) => [id, {}]));
  if (!runIds.length) return byRun;
  const rows = await db.select().from(runMetrics).where(inArray(runMetrics.runId, runIds));
  for (const row of rows) byRun.get(row.runId)![row.name] = row.value;
  return byRun;
}

const COLUMNS = new Set<string>(['startedAt', 'durationMs', 'pipeline', 'status', 'label'] satisfies RunSortColumn[]);

/**
 * One page of runs matching the filters, and how many match in all. Filtering, sorting and paging happen in SQL; sorting by a metric joins that metric's rows,
 * and runs without it come last, as do runs without a duration or a pipeline when sorting by those.
 */
export async function searchRuns(db: Db, workspaceId: string, input: RunSearchInput = {}): Promise<RunSearchResult> {
  const pageSize = Math.min(Math.max(1, Math.floor(input.pageSize ?? SEARCH_PAGE_DEFAULT)), SEARCH_PAGE_MAX);
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const offset = (page - 1) * pageSize;
  const where = searchConditions(db, workspaceId, input.filters ?? {});
  const by = input.sort?.by ?? 'startedAt';
  const explicit = input.sort?.direction;
  const direction = (fallback: 'asc' | 'desc') => ((explicit ?? fallback) === 'asc' ? asc : desc);

  const total = (await db.select({ total: count() }).from(runs).where(where).then(first))?.total ?? 0;

  const base = db
    .select(summaryColumns)
    .from(runs)
    .leftJoin(pipelines, eq(pipelines.id, runs.pipelineId))
    .leftJoin(user, eq(user.id, runs.startedBy));
  const newest = [desc(runs.startedAt), desc(runs.id)];
  let rows: SummaryRow[];
  if (!COLUMNS.has(by)) {
    const sortMetric = alias(runMetrics, 'sort_metric');
    const order = direction(isLowerBetter(by) ? 'asc' : 'desc');
    rows = await base
      .leftJoin(sortMetric, and(eq(sortMetric.runId, runs.id), eq(sortMetric.name, by)))
      .where(where)
      .orderBy(sql`${sortMetric.value} IS NULL`, order(sortMetric.value), ...newest)
      .limit(pageSize)
      .offset(offset);
  } else {
    const order =
      by === 'durationMs'
        ? [sql`${runs.durationMs} IS NULL`, direction('desc')(runs.durationMs), ...newest]
        : by === 'pipeline'
          ? [sql`${pipelines.name} IS NULL`, direction('asc')(sql`lower(${pipelines.name})`), ...newest]
          : by === 'status'
            ? [direction('asc')(runs.status), ...newest]
            : by === 'label'
              ? [direction('asc')(sql`lower(${runs.label})`), ...newest]
              : [direction('desc')(runs.startedAt), direction('desc')(runs.id)];
    rows = await base
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset(offset);
  }

  const metrics = await metricsOfRuns(
    db,
    rows.map((r) => r.id),
  );
  return { rows: rows.map((row) => toSearchRow(row, metrics.get(row.id) ?? {})), total, page, pageSize };
}

/** What the filters offer: metric names, pipelines and people of the workspace. */
export async function searchChoices(db: Db, workspaceId: string): Promise<RunSearchChoices> {
  return {
    metricNames: await listMetricNames(db, workspaceId),
    pipelines: await db
      .select({ id: pipelines.id, name: pipelines.name })
      .from(pipelines)
      .where(eq(pipelines.workspaceId, workspaceId))
      .orderBy(sql`lower(${pipelines.name})`),
    // PostgreSQL orders a DISTINCT only by selected columns; the few people are sorted here.
    people: (
      await db
        .selectDistinct({ id: user.id, name: user.name })
        .from(runs)
        .innerJoin(user, eq(user.id, runs.startedBy))
        .where(eq(runs.workspaceId, workspaceId))
    ).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
  };
}

/** Every metric name some run of the workspace recorded, in display order. */
export async function listMetricNames(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ name: runMetrics.name })
    .from(runMetrics)
    .innerJoin(runs, eq(runs.id, runMetrics.runId))
    .where(eq(runs.workspaceId, workspaceId));
  return sortMetricNames(rows.map((row) => row.name));
}

/** Runs with their graphs and metrics, in the order asked for; ids not found are left out. */
export async function runsWithGraphs(db: Db, runIds: string[]): Promise<(RunSearchRow & { graph: Graph })[]> {
  if (!runIds.length) return [];
  const rows = await db
    .select({ ...summaryColumns, graph: runs.graph })
    .from(runs)
    .leftJoin(pipelines, eq(pipelines.id, runs.pipelineId))
    .leftJoin(user, eq(user.id, runs.startedBy))
    .where(inArray(runs.id, runIds));
  const metrics = await metricsOfRuns(db, runIds);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return runIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const { graph, ...summary } = row;
    return [{ ...toSearchRow(summary, metrics.get(id) ?? {}), graph: graph as Graph }];
  });
}

/** The stored previews of some nodes of some runs (e.g. the evaluate nodes of compared runs). */
export async function nodePreviews(db: Db, runIds: string[], nodeIds: string[]): Promise<{ runId: string; nodeId: string; preview: NodePreview }[]> {
  if (!runIds.length || !nodeIds.length) return [];
  return (await db
    .select({ runId: nodeResults.runId, nodeId: nodeResults.nodeId, preview: nodeResults.preview })
    .from(nodeResults)
    .where(and(inArray(nodeResults.runId, runIds), inArray(nodeResults.nodeId, nodeIds), isNotNull(nodeResults.preview)))) as { runId: string; nodeId: string; preview: NodePreview }[];
}

/** HISTORY_MAX most recent runs of a pipeline that recorded the metric, oldest first. */
export const HISTORY_MAX = 10_000;

export async function metricHistory(db: Db, pipelineId: string, metric: string): Promise<MetricHistoryPoint[]> {
  const rows = await db
    .select({ runId: runs.id, startedAt: runs.startedAt, value: runMetrics.value, pipelineVersion: runs.pipelineVersion })
    .from(runs)
    .innerJoin(runMetrics, and(eq(runMetrics.runId, runs.id), eq(runMetrics.name, metric)))
    .where(eq(runs.pipelineId, pipelineId))
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(HISTORY_MAX);
  return rows.reverse();
}
