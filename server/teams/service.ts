import { randomBytes } from 'node:crypto';
import { and, desc, eq, ne } from 'drizzle-orm';
import { first, getDb, type Db } from '../../db/client';
import { listDatasets, type DatasetRow } from '../../db/datasets';
import { getPipeline, getPipelineIn, savePipeline } from '../../db/pipelines';
import { getRun, listRuns } from '../../db/runs';
import { nodePreviews, runsWithGraphs } from '../../db/run-search';
import { tables } from '../../db/schema';
import { activeShareLink, getShareLink, insertShareLink, listShareLinks, revokeShareLink, type ShareLinkRow } from '../../db/share-links';
import { getVersion, latestVersion } from '../../db/versions';
import type { Actor } from '../auth/guard';
import { ServiceError as TeamsError } from '../errors';
import type { EvaluationPreview } from '../../nodes/preview';
import type {
  RunDetail,
  ExportedPipelineFile,
  PipelineExportFile,
  ImportCheck,
  RunComparison,
  SavedPipeline,
  SharedPipeline,
  ShareLinkInfo,
  VersionDiff,
} from '../api-types';
import type { Graph } from '../../nodes/graph-document';
import { APP_VERSION } from '../version';
import { logActivity } from '../workspaces/activity';
import { canRevoke, pipelineIn } from '../workspaces/scope';
import { compareRuns, type RunToCompare } from './compare';
import { diffGraphs, toGraphDiff } from './diff';
import { hasFile, nodeLookup } from './stored-files';
import { renderComparisonReport, renderPipelineReport, renderRunReport, type ReportContext, type ReportRun } from './report';
import { checkImport, exportFileName, exportPipeline, serializeExport } from './transfer';

const { runs } = tables;

/**
 * What the tRPC procedures, the report routes and the scripts call: database reads and writes around
 * the pure compare / diff / transfer / report functions.
 */

export const MAX_COMPARE = 20;

export { ServiceError as TeamsError } from '../errors';
export { importPipelineFile } from './pipeline-import';
export { hasFile, nodeLookup, storedFilePath } from './stored-files';

/** The stored datasets by hash, read once, for the pure functions that name a pipeline's files. */
async function datasetIndex(db: Db): Promise<Map<string, DatasetRow>> {
  return new Map((await listDatasets(db)).map((row) => [row.hash, row]));
}

function datasetName(datasets: Map<string, DatasetRow>) {
  return (hash: string) => datasets.get(hash)?.name ?? null;
}

function datasetEntry(datasets: Map<string, DatasetRow>) {
  return (hash: string) => {
    const row = datasets.get(hash);
    return row ? { hash, name: row.name, sizeBytes: row.sizeBytes, rowCount: row.rowCount } : null;
  };
}

async function reportContext(db: Db, now: number): Promise<ReportContext> {
  return { lookup: nodeLookup(), fileName: datasetName(await datasetIndex(db)), generatedAt: now, appVersion: APP_VERSION };
}

/* ---------- versions ---------- */

export async function versionDiff(db: Db, pipelineId: string, from: number, to: number): Promise<VersionDiff> {
  const before = await getVersion(db, pipelineId, from);
  const after = await getVersion(db, pipelineId, to);
  if (!before || !after) throw new TeamsError('NOT_FOUND', `Version ${!before ? from : to} of this pipeline was not found.`);
  const { graph: fromGraph, ...fromSummary } = before;
  const { graph: toGraph, ...toSummary } = after;
  const changes = diffGraphs(fromGraph, toGraph, nodeLookup());
  return { ...toGraphDiff(changes, toGraph, nodeLookup()), pipelineId, from: fromSummary, to: toSummary, diff: changes };
}

/** Makes an older version the pipeline's current graph, recorded as a new version. */
export async function restoreVersion(db: Db, pipelineId: string, version: number, message?: string): Promise<SavedPipeline> {
  const pipeline = await getPipeline(db, pipelineId);
  const old = await getVersion(db, pipelineId, version);
  if (!pipeline || !old) throw new TeamsError('NOT_FOUND', `Version ${version} of this pipeline was not found.`);
  return savePipeline(db, {
    id: pipelineId,
    name: pipeline.name,
    description: pipeline.description,
    graph: old.graph,
    message: message?.trim() || `Restored version ${version}`,
  });
}

/* ---------- export / import ---------- */

/** A saved pipeline (or one of its versions) as an export file without its files' bytes, and the file's name. */
export async function pipelineExport(
  db: Db,
  pipelineId: string,
  options: { version?: number } = {},
  now = Date.now(),
): Promise<{ fileName: string; file: PipelineExportFile }> {
  const pipeline = await getPipeline(db, pipelineId);
  if (!pipeline) throw new TeamsError('NOT_FOUND', 'This pipeline was not found.');
  let graph: Graph = pipeline.graph;
  let number: number | null;
  if (options.version !== undefined) {
    const saved = await getVersion(db, pipelineId, options.version);
    if (!saved) throw new TeamsError('NOT_FOUND', `Version ${options.version} of this pipeline was not found.`);
    graph = saved.graph;
    number = options.version;
  } else {
    number = (await latestVersion(db, pipelineId))?.version ?? null;
  }
  const file = exportPipeline({ name: pipeline.name, description: pipeline.description, graph, exportedAt: now, lookup: nodeLookup(), dataset: datasetEntry(await datasetIndex(db)) });
  return { fileName: exportFileName(pipeline.name, number), file };
}

/** The export file as text, without bundled files (the download route streams bundled ones from disk). */
export async function exportPipelineFile(db: Db, pipelineId: string, options: { version?: number } = {}, now = Date.now()): Promise<ExportedPipelineFile> {
  const { fileName, file } = await pipelineExport(db, pipelineId, options, now);
  return { fileName, text: serializeExport(file) };
}

/** Checks a pipeline file without saving anything. */
export function checkPipelineFile(text: string): ImportCheck {
  const { attachments: _bytes, ...check } = checkImport(text, { lookup: nodeLookup(), hasFile });
  return check;
}

/* ---------- comparison ---------- */

async function evaluationsOf(db: Db, items: { id: string; graph: Graph }[]): Promise<Map<string, { nodeId: string; preview: EvaluationPreview }[]>> {
  const evaluateIds = new Set(items.flatMap((item) => item.graph.nodes.filter((n) => n.type.startsWith('eval.')).map((n) => n.id)));
  const found = await nodePreviews(
    db,
    items.map((item) => item.id),
    [...evaluateIds],
  );
  const byRun = new Map<string, Map<string, EvaluationPreview>>();
  for (const row of found) {
    if (row.preview.kind !== 'evaluation') continue;
    if (!byRun.has(row.runId)) byRun.set(row.runId, new Map());
    byRun.get(row.runId)!.set(row.nodeId, row.preview);
  }
  return new Map(
    items.map((item) => {
      const previews = byRun.get(item.id) ?? new Map<string, EvaluationPreview>();
      // Graph order, and only nodes that really are evaluate nodes in this run's graph.
      const list = item.graph.nodes
        .filter((n) => n.type.startsWith('eval.') && previews.has(n.id))
        .map((n) => ({ nodeId: n.id, preview: previews.get(n.id)! }));
      return [item.id, list];
    }),
  );
}

function checkRunIds(runIds: string[]): string[] {
  const ids = [...new Set(runIds)];
  if (ids.length < 2 || ids.length > MAX_COMPARE) throw new TeamsError('BAD_REQUEST', `Pick 2 to ${MAX_COMPARE} different runs to compare.`);
  return ids;
}

export async function compareRunsById(db: Db, runIds: string[]): Promise<RunComparison> {
  const ids = checkRunIds(runIds);
  const found = await runsWithGraphs(db, ids);
  if (found.length !== ids.length) {
    const missing = ids.filter((id) => !found.some((run) => run.id === id));
    throw new TeamsError('NOT_FOUND', `${missing.length === 1 ? 'This run was' : 'These runs were'} not found: ${missing.join(', ')}.`);
  }
  const evaluations = await evaluationsOf(db, found);
  const items: RunToCompare[] = found.map(({ graph, ...run }) => ({ run, graph, evaluations: evaluations.get(run.id) ?? [] }));
  return compareRuns(items, nodeLookup());
}

/* ---------- reports ---------- */

async function reportRun(db: Db, runId: string): Promise<ReportRun | undefined> {
  const run = await getRun(db, runId);
  if (!run) return undefined;
  const pipelineName = run.pipelineId ? ((await getPipeline(db, run.pipelineId))?.name ?? null) : null;
  return { run, pipelineName, pipelineVersion: run.pipelineVersion };
}

export async function runReportHtml(db: Db, runId: string, now = Date.now()): Promise<string> {
  const item = await reportRun(db, runId);
  if (!item) throw new TeamsError('NOT_FOUND', 'This run was not found.');
  return renderRunReport(item, await reportContext(db, now));
}

export async function comparisonReportHtml(db: Db, runIds: string[], now = Date.now()): Promise<string> {
  const comparison = await compareRunsById(db, runIds);
  const items = await Promise.all(comparison.runs.map(async (run) => (await reportRun(db, run.id))!));
  return renderComparisonReport(items, comparison, await reportContext(db, now));
}

/* ---------- share links ---------- */

function shareInfo(row: ShareLinkRow): ShareLinkInfo {
  return { ...row, url: `/share/${row.token}`, reportUrl: `/api/report/shared/${row.token}` };
}

/** The pipeline's read-only link: the active one if there is one, else a new one. */
export async function createShareLink(db: Db, pipelineId: string, createdBy: string | null = null, now = Date.now()): Promise<ShareLinkInfo> {
  if (!(await getPipeline(db, pipelineId))) throw new TeamsError('NOT_FOUND', 'This pipeline was not found.');
  const active = (await listShareLinks(db, pipelineId)).find((link) => link.revokedAt === null);
  if (active) return shareInfo(active);
  return shareInfo(await insertShareLink(db, { token: randomBytes(24).toString('base64url'), pipelineId, createdAt: now, createdBy }));
}

export async function shareLinksOf(db: Db, pipelineId: string): Promise<ShareLinkInfo[]> {
  return (await listShareLinks(db, pipelineId)).map(shareInfo);
}

/**
 * Turns off one link (by token) or every active link of a pipeline; returns how many were turned off.
 * `inReach` says whether the caller may turn off a link (its pipeline is theirs to manage).
 */
export async function revokeShare(
  db: Db,
  target: { pipelineId?: string; token?: string },
  now = Date.now(),
  inReach: (link: ShareLinkRow) => Promise<boolean> | boolean = () => true,
): Promise<number> {
  if (target.token) {
    const link = await getShareLink(db, target.token);
    if (!link || !(await inReach(link))) throw new TeamsError('NOT_FOUND', 'This share link was not found.');
    if (link.revokedAt !== null) return 0;
    await revokeShareLink(db, target.token, now);
    return 1;
  }
  if (!target.pipelineId || !(await getPipeline(db, target.pipelineId))) throw new TeamsError('NOT_FOUND', 'This pipeline was not found.');
  let revoked = 0;
  for (const link of await listShareLinks(db, target.pipelineId)) {
    if (link.revokedAt !== null || !(await inReach(link))) continue;
    await revokeShareLink(db, link.token, now);
    revoked += 1;
  }
  return revoked;
}

/**
 * Turns off share links as the actor: one by token, or every active link of a pipeline. Only links of the
 * workspace's pipelines are in reach, and only those the actor may revoke; the change is logged.
 */
export async function revokeSharesFor(db: Db, actor: Actor, target: { pipelineId?: string; token?: string }): Promise<number> {
  if (target.pipelineId) await pipelineIn(db, actor, target.pipelineId);
  const inReach = async (link: { pipelineId: string; createdBy: string | null }) =>
    !!await getPipelineIn(db, actor.workspaceId, link.pipelineId) && canRevoke(actor, link.createdBy);
  const revoked = await revokeShare(db, target, Date.now(), inReach);
  if (revoked) await logActivity(db, actor, { action: 'unshared', subjectType: 'share link', subjectId: target.pipelineId ?? null, detail: `${revoked} link${revoked === 1 ? '' : 's'} turned off` });
  return revoked;
}

async function sharedPipelineOf(db: Db, token: string) {
  const link = /^[\w-]{16,64}$/.test(token) ? await activeShareLink(db, token) : undefined;
  const pipeline = link ? await getPipeline(db, link.pipelineId) : undefined;
  if (!link || !pipeline) throw new TeamsError('NOT_FOUND', 'This link is not valid or has been turned off.');
  const version = await latestVersion(db, pipeline.id);
  const lastRun = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.pipelineId, pipeline.id), ne(runs.status, 'running')))
    .orderBy(desc(runs.startedAt))
    .limit(1)
    .then(first);
  return {
    pipeline,
    version: version?.version ?? null,
    savedAt: version?.createdAt ?? pipeline.updatedAt,
    graph: version ? (version.graph as Graph) : pipeline.graph,
    run: lastRun ? ((await reportRun(db, lastRun.id)) ?? null) : null,
  };
}

/** What a read-only link shows: the pipeline at its latest version and its runs. NOT_FOUND for unknown or turned-off links. */
export async function sharedPipeline(db: Db, token: string): Promise<SharedPipeline> {
  const shared = await sharedPipelineOf(db, token);
  return {
    pipeline: {
      name: shared.pipeline.name,
      description: shared.pipeline.description,
      createdAt: shared.pipeline.createdAt,
      updatedAt: shared.pipeline.updatedAt,
      graph: shared.graph,
      version: shared.version,
    },
    // No pipeline id and no person: a link grants reading, nothing that a write call could use.
    runs: (await listRuns(db, { pipelineId: shared.pipeline.id, limit: 50 })).map(({ pipelineId: _id, startedBy: _who, ...run }) => ({
      ...run,
      pipelineId: null,
      startedBy: null,
    })),
  };
}

/** One run of a shared pipeline, read through its link. */
export async function sharedRun(db: Db, token: string, runId: string): Promise<RunDetail> {
  const shared = await sharedPipelineOf(db, token);
  const run = await getRun(db, runId);
  if (!run || run.pipelineId !== shared.pipeline.id) throw new TeamsError('NOT_FOUND', 'This run is not part of the shared pipeline.');
  return { ...run, pipelineId: null, startedBy: null };
}

/** Saves a copy of a pipeline (one's own, or one shared through a link) as a new pipeline in `workspaceId`. */
export async function duplicatePipeline(
  db: Db,
  source: { id?: string; shareToken?: string },
  name?: string,
  workspaceId: string | null = null,
): Promise<SavedPipeline> {
  let original;
  let graph: Graph;
  if (source.shareToken) {
    const shared = await sharedPipelineOf(db, source.shareToken);
    original = shared.pipeline;
    graph = shared.graph;
  } else {
    original = source.id ? await getPipeline(db, source.id) : undefined;
    if (!original) throw new TeamsError('NOT_FOUND', 'This pipeline was not found.');
    graph = original.graph;
  }
  return savePipeline(db, {
    name: (name?.trim() || `${original.name} (copy)`).slice(0, 200),
    description: original.description,
    graph,
    message: source.shareToken ? 'Copied from a shared link' : `Copied from "${original.name}"`,
    workspaceId,
  });
}

/**
 * The shared pipeline as a self-contained page: its latest version, its latest finished run, and the
 * pipeline file to download (so the reader can import their own copy).
 */
export async function sharedReportHtml(db: Db, token: string, now = Date.now()): Promise<string> {
  const shared = await sharedPipelineOf(db, token);
  const datasets = await datasetIndex(db);
  const file = exportPipeline({
    name: shared.pipeline.name,
    description: shared.pipeline.description,
    graph: shared.graph,
    exportedAt: now,
    lookup: nodeLookup(),
    dataset: datasetEntry(datasets),
  });
  return renderPipelineReport(
    {
      name: shared.pipeline.name,
      description: shared.pipeline.description,
      version: shared.version,
      savedAt: shared.savedAt,
      graph: shared.graph,
      latestRun: shared.run,
      pipelineFile: { fileName: exportFileName(shared.pipeline.name, shared.version), text: serializeExport(file) },
    },
    { lookup: nodeLookup(), fileName: datasetName(datasets), generatedAt: now, appVersion: APP_VERSION },
  );
}

/** The shared-link page for its public route: the token is the only permission, so no session or run worker is needed, only the database. */
export async function sharedReportPage(token: string): Promise<string> {
  return sharedReportHtml(await getDb(), token);
}
