import { parentPort } from 'node:worker_threads';
import { tableModelNode } from '../model-nodes';
import { crossValidateSets, type FoldSets } from './cross-validate';
import { startBackend, type BackendName } from './tf-backends';
import type { FromTrialThread, ToTrialThread } from './tuning-protocol';

/**
 * The inside of a thread started by `scoreInThreads`: it starts the TensorFlow.js backend the run uses (the
 * logistic regression multiplies its matrices there), keeps the folds it is sent once (their numbers live in
 * memory shared with the run's thread), and cross-validates each try it is given on them, exactly as the
 * run's own thread would.
 */
export function serveTrials(): void {
  const port = parentPort;
  if (!port) throw new Error('serveTrials runs inside a worker thread.');
  const send = (message: FromTrialThread) => port.postMessage(message);
  let search: { node: NonNullable<ReturnType<typeof tableModelNode>>; title: string; sets: FoldSets[] } | null = null;
  port.on('message', (message: ToTrialThread) => {
    if (message.type === 'init') {
      void (async () => {
        const node = tableModelNode(message.nodeType);
        if (!node) return send({ type: 'initFailed', message: `No table model of type ${message.nodeType}.` });
        if (!(await startBackend(message.backend as BackendName))) {
          return send({ type: 'initFailed', message: `The TensorFlow.js backend "${message.backend}" could not start in a thread.` });
        }
        search = { node, title: message.title, sets: message.sets };
        send({ type: 'ready' });
      })();
      return;
    }
    const { index, params } = message;
    const { node, title, sets } = search!;
    crossValidateSets(node, params, title, sets, { onProgress: (fraction, text) => send({ type: 'progress', index, fraction, message: text }) }).then(
      (scores) => send({ type: 'done', index, scores }),
      (error: unknown) => send({ type: 'failed', index, message: error instanceof Error ? error.message : String(error) }),
    );
  });
}
