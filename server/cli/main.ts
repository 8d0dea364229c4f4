import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commandLineContext, type CommandLineContext } from '../command-line-context';
import { recordActivity } from '../workspaces/activity';
import { commandLineActorIn, everyWorkspace } from '../workspaces/service';
import { interruptStoppedCommandLineRun, recentRuns, recordedRun } from '../runs/workspace-runs';
import { allNodes } from '../../nodes';
import { CsvError } from '../../nodes/lib/csv';
import { buildCatalog } from '../catalog';
import { storeDataset } from '../datasets';
import { GraphFormatError, parseGraph, type Graph } from '../../nodes/graph-document';
import { InProcessExecutor } from '../runs/in-process';
import { startRun } from '../runs/service';
import { validateGraph } from '../engine/validate';
import { registry } from '../runs/registry';
import { findTemplate, templates } from '../templates';
import { pipelinesNamed } from '../pipelines';
import { ServiceError } from '../errors';
import { exportPipelineDownload } from '../teams/export-stream';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { applySettings, bindInputs, UsageError } from './inputs';
import { startQueuedRun } from './team-run';
import { scoreCommand } from './score';
import { queueUrl } from '../queue/run-queue';
import { startTeamWorker } from '../worker/team-worker';
import { formatRefusal, formatRun, formatRunList, refusalJson, runJson, runListJson } from './format';

const USAGE = `Usage:
  pipelab run <template-name | pipeline.json> [--json] [--input <nodeId>=<file> ...] [--set <nodeId>.<setting>=<value> ...]
              [--backend wasm|cpu|tensorflow|tensorflow-gpu] [--workspace <name or id>]
  pipelab export <pipeline name or id> [--version <n>] [--bundle] [--workspace <name or id>]   (writes the file to stdout)
  pipelab score <model-file> <customers.csv | -> [--output scored.csv]   (writes the scored rows to stdout by default)
  pipelab runs [--json] [--limit <n>] [--workspace <name or id>]
  pipelab worker [--concurrency <n>]   (team mode: trains runs from the queue until stopped)
  pipelab templates [--json]
  pipelab nodes [--json]

Runs are recorded in the same database as runs from the web app (PIPELAB_DATA_DIR, default ./data),
in the chosen workspace, as started by its owner. --workspace may be left out while there is only one.
With REDIS_URL and DATABASE_URL set (a team server), \`run\` puts the run on the queue and waits for a
worker; \`worker\` is such a worker.
\`score\` reads the CSV (or standard input, -) a chunk of rows at a time with a model file from "Download model",
so its memory does not grow with the file; it keeps the rows' order and adds the Score step's columns.`;


function loadGraph(reference: string): { graph: Graph; label: string } {
  const template = findTemplate(reference);
  if (template) return { graph: structuredClone(template.graph), label: template.name };
  if (!fs.existsSync(reference)) {
    const names = templates.map((t) => `"${t.id}"`).join(', ');
    throw new UsageError(`"${reference}" is neither a template (${names}) nor a pipeline file.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(reference, 'utf8'));
  } catch (error) {
    throw new GraphFormatError([`it is not JSON (${(error as Error).message})`]);
  }
  // Accept a bare graph or a saved pipeline ({ name, graph }).
  const graph = parseGraph(parsed && typeof parsed === 'object' && 'graph' in parsed ? parsed.graph : parsed);
  return { graph, label: path.basename(reference) };
}

/**
 * The workspace a command-line run is recorded in, run as its owner. Before the first account exists
 * there is none: the run then joins the first workspace when its owner signs up.
 */
async function chooseWorkspace(
  { db }: CommandLineContext,
  wanted: string | undefined,
): Promise<{ id: string; name: string; owner: { id: string; name: string } | undefined } | null> {
  const workspaces = await everyWorkspace(db);
  if (!workspaces.length) {
    if (wanted) throw new UsageError(`--workspace: there are no workspaces yet; open the app to create the owner account first.`);
    return null;
  }
  const names = workspaces.map((w) => `"${w.name}"`).join(', ');
  const found = wanted ? workspaces.filter((w) => w.id === wanted || w.name.toLowerCase() === wanted.toLowerCase()) : workspaces;
  if (!found.length) throw new UsageError(`--workspace: no workspace is called "${wanted}" (workspaces: ${names}).`);
  if (found.length > 1) throw new UsageError(`Choose a workspace with --workspace <name or id> (workspaces: ${names}).`);
  return { ...found[0], owner: await commandLineActorIn(db, found[0].id) };
}

async function run(positionals: string[], values: { json?: boolean; input?: string[]; set?: string[]; workspace?: string }): Promise<number> {
  const reference = positionals[0];
  if (!reference) throw new UsageError('pipelab run needs a template name or a pipeline file.');
  const context = await commandLineContext({ sweepAbandonedRuns: true });
  const { db } = context;
  const workspace = await chooseWorkspace(context, values.workspace);
  const { graph, label } = loadGraph(reference);
  applySettings(graph, values.set ?? []);
  await bindInputs(context, graph, values.input ?? [], workspace?.id ?? null);
  // A pipeline that does not validate is not run, so it leaves nothing in the run history.
  const problems = validateGraph(graph, registry);
  if (problems.length) {
    if (values.json) process.stdout.write(`${JSON.stringify(refusalJson(problems))}\n`);
    else process.stderr.write(formatRefusal(graph, problems));
    return 1;
  }
  const input = { graph, pipelineId: null, label, origin: 'cli' as const, workspaceId: workspace?.id ?? null, startedBy: workspace?.owner?.id ?? null };
  const queued = queueUrl() ? await startQueuedRun(context, input) : undefined;
  const { runId, done } = queued ?? (await startRun(db, new InProcessExecutor(), input));
  if (workspace) {
    const actorName = workspace.owner?.name ?? 'Command line';
    await recordActivity(db, { workspaceId: workspace.id, userId: workspace.owner?.id ?? null, actorName }, { action: 'ran', subjectType: 'run', subjectId: runId, subjectName: label, detail: 'from the command line' });
  }
  const stopOnSignal = () => {
    // On a team server, the worker training it is asked to stop.
    if (queued) return void queued.stop().finally(() => process.exit(130));
    // Ctrl-C or a polite kill: the run is recorded as interrupted at once (a kill -9 is caught by its lease).
    void interruptStoppedCommandLineRun(db, runId).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  await done;
  process.off('SIGINT', stopOnSignal);
  process.off('SIGTERM', stopOnSignal);
  const detail = await recordedRun(db, runId);
  if (values.json) process.stdout.write(`${JSON.stringify({ ...runJson(detail), workspace: workspace ? { id: workspace.id, name: workspace.name } : null })}\n`);
  else process.stdout.write(formatRun(detail));
  return detail.status === 'succeeded' ? 0 : 1;
}

/** `pipelab export <pipeline>`: the same file the web app's Export writes, streamed to stdout. */
async function exportToStdout(positionals: string[], values: { workspace?: string; version?: string; bundle?: boolean }): Promise<number> {
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

async function listRecentRuns(values: { json?: boolean; workspace?: string; limit?: string }): Promise<number> {
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit expects a whole number from 1 to 500.');
  const context = await commandLineContext({ sweepAbandonedRuns: true });
  const workspace = await chooseWorkspace(context, values.workspace);
  const list = await recentRuns(context.db, workspace?.id, { limit });
  process.stdout.write(values.json ? `${JSON.stringify(runListJson(list))}\n` : formatRunList(list));
  return 0;
}

/** `pipelab worker`: takes runs off the team queue until SIGTERM or Ctrl-C, then finishes the ones it holds. */
async function work(values: { concurrency?: string }): Promise<number> {
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency expects a whole number from 1 to 64.');
  const worker = await startTeamWorker({ concurrency });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.stop();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        input: { type: 'string', multiple: true },
        workspace: { type: 'string' },
        limit: { type: 'string' },
        set: { type: 'string', multiple: true },
        backend: { type: 'string' },
        version: { type: 'string' },
        bundle: { type: 'boolean' },
        concurrency: { type: 'string' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      process.stdout.write(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    if (values.json) {
      // Keep stdout for the one JSON object; libraries that log go to stderr.
      console.log = console.error;
      console.info = console.error;
    }
    if (values.backend) process.env.PIPELAB_BACKEND = values.backend;
    if (command === 'templates') {
      // The graph too, so a template can be the starting point of a pipeline file.
      const list = templates.map(({ id, name, description, graph }) => ({ id, name, description, graph }));
      process.stdout.write(values.json ? `${JSON.stringify(list)}\n` : list.map((t) => `${t.id}\t${t.name}\n  ${t.description}\n`).join(''));
      return 0;
    }
    if (command === 'nodes') {
      const catalog = buildCatalog(allNodes);
      process.stdout.write(
        values.json ? `${JSON.stringify(catalog)}\n` : catalog.nodes.map((n) => `${n.type}\t${n.category}\t${n.title}\n`).join(''),
      );
      return 0;
    }
    if (command === 'run') return await run(rest, values);
    if (command === 'runs') return listRecentRuns(values);
    if (command === 'worker') return await work(values);
    if (command === 'export') return await exportToStdout(rest, values);
    if (command === 'score') return await scoreCommand(rest, values);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof GraphFormatError) {
      process.stderr.write(`pipelab: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof Error && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`pipelab: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
