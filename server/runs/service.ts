import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { claimRun, createRun, finishRun, interruptAbandonedRuns, markRunRunning, queuedRuns, setRunBackend, updateNodeResult } from '../../db/runs';
import { leaseKeeper, LEASE_OWNER, leaseUntil } from './leases';
import type { EngineEvent, ExecutionOutcome } from '../engine/events';
import type { Graph } from '../../nodes/graph-document';
import { ServiceError } from '../errors';
import { describeProblems, validateGraph } from '../engine/validate';
import { mergeBestMetrics } from '../../models/evaluation/metric-vocabulary';
import type { Executor } from './executor';
import type { LiveRunEvent, RunEventBus } from './live-events';
import { registry } from './registry';
import { grantFile } from '../../db/workspaces';

export interface StartRunInput {
  graph: Graph;
  pipelineId: string | null;
  label: string;
  origin: 'ui' | 'cli';
  /** Where the run is recorded; null only for command-line runs before the first account exists. */
  workspaceId: string | null;
  /** The person who started it; the command line runs as the workspace's owner. */
  startedBy: string | null;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * Writes engine events into the run's rows: the database is what the UI and the CLI read. Returns whether
 * it wrote (progress is thinned out), so live listeners hear only of what they can read.
 */
async function recordEvent(db: Db, runId: string, event: EngineEvent, lastProgress: Map<string, number>): Promise<boolean> {
  switch (event.type) {
    case 'started':
      await updateNodeResult(db, runId, event.nodeId, { status: 'running', startedAt: event.at, progress: 0 });
      break;
    case 'progress': {
      // Training reports often; a few writes a second are enough for a live view. A live result
      // (an epoch's curves) is always written: a cancelled run keeps the last one.
      const now = Date.now();
      if (!event.live && now - (lastProgress.get(event.nodeId) ?? 0) < PROGRESS_INTERVAL_MS) return false;
      lastProgress.set(event.nodeId, now);
      const patch = { progress: event.fraction, message: event.message ?? null };
      await updateNodeResult(db, runId, event.nodeId, event.live ? { ...patch, preview: event.live } : patch);
      break;
    }
    case 'finished':
      await updateNodeResult(db, runId, event.nodeId, {
        status: 'done',
        cached: event.cached,
        durationMs: event.durationMs,
        progress: 1,
        message: null,
        preview: event.preview,
        metrics: event.metrics,
      });
      break;
    case 'failed':
      await updateNodeResult(db, runId, event.nodeId, { status: 'failed', durationMs: event.durationMs, error: event.error });
      break;
    case 'skipped':
      await updateNodeResult(db, runId, event.nodeId, { status: 'skipped', error: event.reason });
      break;
  }
  return true;
}

/** Tells live listeners (a browser following the run) that the record changed; never fails the run. */
function announce(events: RunEventBus | undefined, runId: string, event: Omit<LiveRunEvent, 'at'>): void {
  if (!events) return;
  try {
    events.publish(runId, { ...event, at: Date.now() });
  } catch (error) {
    console.warn(`Run ${runId}: could not announce an event: ${(error as Error).message}`);
  }
}

function downloadHash(preview: unknown): string | undefined {
  const download = (preview as { download?: { hash?: unknown } } | null | undefined)?.download;
  return typeof download?.hash === 'string' ? download.hash : undefined;
}

/**
 * Checks a graph before a run of it is recorded: one that does not validate (an unwired input, a wire
 * between the wrong kinds of port, a bad setting) is refused with every problem listed, by node, and
 * leaves nothing in the run history. Nothing was run, so nothing failed.
 */
export function refuseInvalidGraph(graph: Graph): void {
  const problems = validateGraph(graph, registry);
  if (problems.length) throw new ServiceError('BAD_REQUEST', describeProblems(graph, registry, problems));
}

async function recordOutcome(db: Db, runId: string, outcome: ExecutionOutcome, metrics?: Record<string, number>): Promise<void> {
  for (const problem of outcome.problems) {
    if (problem.nodeId) await updateNodeResult(db, runId, problem.nodeId, { status: 'failed', error: problem.message });
  }
  await finishRun(db, runId, { status: outcome.status, error: outcome.error, headline: outcome.headline, metrics });
}

/**
 * Records a run and starts it. Returns at once with the run id; `done` settles when the run ends.
 * A graph that does not validate is refused (refuseInvalidGraph) and nothing is recorded.
 */
export async function startRun(db: Db, executor: Executor, input: StartRunInput, events?: RunEventBus): Promise<{ runId: string; done: Promise<ExecutionOutcome> }> {
  refuseInvalidGraph(input.graph);
  const runId = randomUUID();
  await createRun(db, { id: runId, ...input, nodeIds: input.graph.nodes.map((n) => n.id), lease: { owner: LEASE_OWNER, expiresAt: leaseUntil() } });
  return { runId, done: executeRecordedRun(db, executor, runId, input, events) };
}

/**
 * Runs a recorded, queued run and records what happens, while this process holds its lease. Used for
 * new runs, and for queued runs a restarted server takes over (they had not started). With `events`,
 * each recorded change is announced there as well (after it is written), and `ended` once the outcome is.
 */
export async function executeRecordedRun(db: Db, executor: Executor, runId: string, input: StartRunInput, events?: RunEventBus): Promise<ExecutionOutcome> {
  // Checked again here: a run queued by an older Pipelab, taken over after an upgrade, may no longer validate.
  const problems = validateGraph(input.graph, registry);
  if (problems.length) {
    const outcome: ExecutionOutcome = {
      status: 'failed',
      error: describeProblems(input.graph, registry, problems),
      problems,
      headline: null,
    };
    await recordOutcome(db, runId, outcome);
    announce(events, runId, { type: 'ended' });
    return outcome;
  }
  const leases = leaseKeeper(db);
  leases.hold(runId);
  const lastProgress = new Map<string, number>();
  // Evaluate nodes report their best model's metrics; the run keeps the best value per name for search.
  const evaluateNodes = new Set(input.graph.nodes.filter((n) => n.type.startsWith('eval.')).map((n) => n.id));
  const metrics: Record<string, number> = {};
  // Events arrive as the engine works; they are written one after another, in the order they happened.
  let writes: Promise<void> = Promise.resolve();
  const write = (step: () => Promise<void>) => {
    writes = writes.then(step).catch((error: unknown) => console.warn(`Run ${runId}: could not record progress: ${(error as Error).message}`));
  };
  try {
    const outcome = await executor
      .execute(runId, input.graph, {
        // The run leaves the queue; its backend is known once a step needs TensorFlow.js (most never do).
        onStarted: () =>
          write(async () => {
            await markRunRunning(db, runId);
            announce(events, runId, { type: 'backend' });
          }),
        onBackend: (name) =>
          write(async () => {
            await setRunBackend(db, runId, name);
            announce(events, runId, { type: 'backend' });
          }),
        onEvent: (event) => {
          if (event.type === 'finished' && evaluateNodes.has(event.nodeId)) mergeBestMetrics(metrics, event.metrics);
          // A file the run produced (a trained model, a scored list) can be downloaded from its workspace.
          const download = event.type === 'finished' ? downloadHash(event.preview) : undefined;
          const workspaceId = input.workspaceId;
          if (download && workspaceId) write(() => grantFile(db, workspaceId, download));
          write(async () => {
            if (await recordEvent(db, runId, event, lastProgress)) announce(events, runId, { type: event.type, nodeId: event.nodeId });
          });
        },
      })
      .catch(
        (error: unknown): ExecutionOutcome => ({
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          problems: [],
          headline: null,
        }),
      );
    await writes;
    await recordOutcome(db, runId, outcome, metrics);
    announce(events, runId, { type: 'ended' });
    return outcome;
  } finally {
    leases.release(runId);
  }
}

/**
 * When the web server starts: runs it was training when it stopped are interrupted, and the runs still
 * queued behind them start again here (they had not begun, so nothing of them is lost).
 */
export async function recoverRuns(db: Db, executor: Executor, events?: RunEventBus): Promise<void> {
  const queued = await queuedRuns(db, 'ui');
  for (const run of queued) await claimRun(db, run.id, { owner: LEASE_OWNER, expiresAt: leaseUntil() });
  await interruptAbandonedRuns(db, Date.now(), { origin: 'ui' });
  for (const { id, ...input } of queued) void executeRecordedRun(db, executor, id, input, events);
}
