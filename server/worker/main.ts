/**
 * The run worker: a child process that trains models, so the web server's event loop stays free
 * while TensorFlow.js works. It talks to its parent through IPC messages (see protocol.ts).
 */
import { InProcessExecutor } from '../runs/in-process';
import { initBackend } from '../tf-backend';
import type { FromWorker, ToWorker } from './protocol';

const executor = new InProcessExecutor();
let queue: Promise<void> = Promise.resolve();
const running = new Set<string>();
const cancelledBeforeStart = new Set<string>();

function send(message: FromWorker): void {
  process.send?.(message);
}

async function run(runId: string, graph: Extract<ToWorker, { type: 'run' }>['graph']): Promise<void> {
  if (cancelledBeforeStart.delete(runId)) {
    send({ type: 'done', runId, outcome: { status: 'cancelled', error: 'Cancelled by the user', problems: [], headline: null } });
    return;
  }
  running.add(runId);
  try {
    const outcome = await executor.execute(runId, graph, {
      onBackend: (name) => send({ type: 'backend', runId, name }),
      onEvent: (event) => send({ type: 'event', runId, event }),
    });
    send({ type: 'done', runId, outcome });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send({ type: 'done', runId, outcome: { status: 'failed', error: message, problems: [], headline: null } });
  } finally {
    running.delete(runId);
  }
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'warmUp') {
    // A backend that cannot start is reported by the first run, in that run's record.
    queue = queue.then(async () => send({ type: 'ready', backend: await initBackend() })).catch(() => {});
  }
  if (message.type === 'run') queue = queue.then(() => run(message.runId, message.graph));
  if (message.type === 'cancel') {
    if (running.has(message.runId)) executor.cancel(message.runId);
    else cancelledBeforeStart.add(message.runId);
  }
});

process.on('disconnect', () => process.exit(0));
