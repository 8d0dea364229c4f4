import { isRunActive } from '../api-types';
import type { CommandLineContext } from '../command-line-context';
import { queueName, queueUrl, RunQueue } from '../queue/run-queue';
import { cancelQueuedRun, enqueueRun, requireSharedDatabase } from '../runs/dispatch';
import { openRunEventBus } from '../runs/live-events';
import type { StartRunInput } from '../runs/service';
import { runStatusOf } from '../runs/workspace-runs';

const POLL_MS = 250;

/**
 * `pipelab run` on a team server: the run goes onto the queue like one started in the browser, and the
 * command waits for a worker to finish it, reading its record. `stop` cancels it (Ctrl-C).
 */
export async function startQueuedRun({ db }: CommandLineContext, input: StartRunInput): Promise<{ runId: string; done: Promise<void>; stop(): Promise<void> }> {
  requireSharedDatabase(db);
  const queue = new RunQueue({ redisUrl: queueUrl()!, queueName: queueName() });
  const runId = await enqueueRun(db, queue, input);
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const status = await runStatusOf(db, runId);
      if (!status || !isRunActive(status)) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })().finally(() => queue.close());
  return {
    runId,
    done,
    async stop() {
      stopped = true;
      // Pages following the run hear that it ended.
      const events = openRunEventBus();
      await cancelQueuedRun(db, queue, runId, events);
      await events.close();
    },
  };
}
