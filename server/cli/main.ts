import { parseArgs } from 'node:util';
import { GraphFormatError } from '../../nodes/graph-document';
import { unknownBackendProblem } from '../../nodes/lib/tf-backends';
import { UsageError } from './usage-error';

/*
 * Each command's modules are imported when it runs: `pipelab run` does not load the team queue's Redis client,
 * the team worker or the export stream, and `pipelab templates` does not load the nodes.
 */

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

/** `pipelab worker`: takes runs off the team queue until SIGTERM or Ctrl-C, then finishes the ones it holds. */
async function work(values: { concurrency?: string }): Promise<number> {
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency expects a whole number from 1 to 64.');
  const { startTeamWorker } = await import('../worker/team-worker');
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
    if (values.backend) {
      // Refused now: TensorFlow.js starts only when a step needs it, which many runs never do.
      const problem = unknownBackendProblem(values.backend);
      if (problem) throw new UsageError(`--backend: ${problem}`);
      process.env.PIPELAB_BACKEND = values.backend;
    }
    if (command === 'templates') {
      const { templates } = await import('../templates');
      // The graph too, so a template can be the starting point of a pipeline file.
      const list = templates.map(({ id, name, description, graph }) => ({ id, name, description, graph }));
      process.stdout.write(values.json ? `${JSON.stringify(list)}\n` : list.map((t) => `${t.id}\t${t.name}\n  ${t.description}\n`).join(''));
      return 0;
    }
    if (command === 'nodes') {
      const [{ buildCatalog }, { allNodes }] = await Promise.all([import('../catalog'), import('../../nodes')]);
      const catalog = buildCatalog(allNodes);
      process.stdout.write(
        values.json ? `${JSON.stringify(catalog)}\n` : catalog.nodes.map((n) => `${n.type}\t${n.category}\t${n.title}\n`).join(''),
      );
      return 0;
    }
    if (command === 'run') return await (await import('./run-command')).runCommand(rest, values);
    if (command === 'runs') return await (await import('./workspace-commands')).listRecentRuns(values);
    if (command === 'worker') return await work(values);
    if (command === 'export') return await (await import('./workspace-commands')).exportToStdout(rest, values);
    if (command === 'score') return await (await import('./score')).scoreCommand(rest, values);
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
