import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { commandLineContext } from '../command-line-context';
import { ServiceError } from '../errors';
import { pipelinesNamed } from '../pipelines';
import { recentRuns } from '../runs/workspace-runs';
import { exportPipelineDownload } from '../teams/export-stream';
import { formatRunList, runListJson } from './format';
import { UsageError } from './usage-error';
import { chooseWorkspace } from './workspace-choice';

/** `pipelab export <pipeline>`: the same file the web app's Export writes, streamed to stdout. */
export async function exportToStdout(positionals: string[], values: { workspace?: string; version?: string; bundle?: boolean }): Promise<number> {
  const wanted = positionals[0];
  if (!wanted) throw new UsageError('pipelab export needs a saved pipeline\'s name or id.');
  const version = values.version === undefined ? undefined : Number(values.version);
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new UsageError('--version expects a version number (1, 2, ...).');
  const context = await commandLineContext({ sweepAbandonedRuns: false });
  const workspace = await chooseWorkspace(context, values.workspace);
  if (!workspace) throw new UsageError('There are no saved pipelines yet: open the app, create the owner account and save one.');
  const saved = await pipelinesNamed(context.db, workspace.id, wanted);
  if (saved.length !== 1) {
    throw new UsageError(saved.length ? `Several pipelines are called "${wanted}"; give its id.` : `No saved pipeline is called "${wanted}" in "${workspace.name}".`);
  }
  try {
    const download = await exportPipelineDownload(context.db, saved[0].id, { version, bundleFiles: values.bundle });
    await pipeline(Readable.fromWeb(download.body as WebReadableStream<Uint8Array>), process.stdout);
  } catch (error) {
    if (error instanceof ServiceError) throw new UsageError(error.message);
    throw error;
  }
  return 0;
}

/** `pipelab runs`: the latest runs of a workspace. */
export async function listRecentRuns(values: { json?: boolean; workspace?: string; limit?: string }): Promise<number> {
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit expects a whole number from 1 to 500.');
  const context = await commandLineContext({ sweepAbandonedRuns: true });
  const workspace = await chooseWorkspace(context, values.workspace);
  const list = await recentRuns(context.db, workspace?.id, { limit });
  process.stdout.write(values.json ? `${JSON.stringify(runListJson(list))}\n` : formatRunList(list));
  return 0;
}

