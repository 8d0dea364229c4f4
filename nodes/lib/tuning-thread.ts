import { parentPort } from 'node:worker_threads';
import { crossValidateSets, type FoldSets } from './cross-validate';
import type { BackendName } from './tf-backends';
import type { TrainableModel } from './training';
import type { FromTrialThread, ToTrialThread } from './tuning-protocol';

/**
 * Each table model's node file, loaded alone: a thread searching a tree's settings does not load the logistic
 * regression, nor with it TensorFlow.js. A type not listed here is found among all the table models.
 */
export const TABLE_MODEL_FILES: Record<string, () => Promise<TrainableModel>> = {
  'model.decisionTree': async () => (await import('../model-decision-tree')).modelDecisionTree,
  'model.linearRegression': async () => (await import('../model-linear-regression')).modelLinearRegression,
  'model.logisticRegression': async () => (await import('../model-logistic-regression')).modelLogisticRegression,
  'model.svm': async () => (await import('../model-svm')).modelSvm,
};

async function loadNode(type: string): Promise<TrainableModel | undefined> {
  return TABLE_MODEL_FILES[type]?.() ?? (await import('../model-nodes')).tableModelNode(type);
}

/**
 * The inside of a thread started by `scoreInThreads`: it loads the model's node and, for a model that computes
 * on TensorFlow.js, starts the backend the run uses (so its numbers are the run's), keeps the folds it is sent once (their numbers live in
 * memory shared with the run's thread), and cross-validates each try it is given on them, exactly as the
 * run's own thread would.
 */
export function serveTrials(): void {
  const port = parentPort;
  if (!port) throw new Error('serveTrials runs inside a worker thread.');
  const send = (message: FromTrialThread) => port.postMessage(message);
  let search: { node: TrainableModel; title: string; sets: FoldSets[] } | null = null;
  port.on('message', (message: ToTrialThread) => {
    if (message.type === 'init') {
      void (async () => {
        const node = await loadNode(message.nodeType);
        if (!node) return send({ type: 'initFailed', message: `No table model of type ${message.nodeType}.` });
        if (message.backend) {
          const { startBackend } = await import('./tf-backends');
          if (!(await startBackend(message.backend as BackendName))) {
            return send({ type: 'initFailed', message: `The TensorFlow.js backend "${message.backend}" could not start in a thread.` });
          }
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
