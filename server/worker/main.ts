/**
 * The run worker: a child process that trains models, so the web server's event loop stays free
 * while models train. It talks to its parent through IPC messages (see protocol.ts).
 */
import { InProcessExecutor } from '../runs/in-process';
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
      onStarted: () => send({ type: 'started', runId }),
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
  // Its modules are loaded; TensorFlow.js is not, until a run's step needs it.
  if (message.type === 'warmUp') queue = queue.then(() => send({ type: 'ready' }));
  if (message.type === 'run') queue = queue.then(() => run(message.runId, message.graph));
  if (message.type === 'cancel') {
    if (running.has(message.runId)) executor.cancel(message.runId);
    else cancelledBeforeStart.add(message.runId);
  }
});

process.on('disconnect', () => process.exit(0));
