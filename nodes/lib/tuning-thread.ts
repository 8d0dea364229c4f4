import { parentPort } from 'node:worker_threads';
import { crossValidateSets } from './cross-validate';
import type { NetworkSettings } from './network-trials';
import type { BackendName } from './tf-backends';
import type { TrainableModel } from './training';
import type { FoldScores, FromTrialThread, ToTrialThread } from './tuning-protocol';

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

type ScoreTry = (params: Record<string, unknown>, onProgress: (fraction: number, message: string) => void) => Promise<FoldScores>;

/**
 * How this thread scores a try of the search it is sent: a table model cross-validated on the folds through
 * its node, or the network trained on the photos' folds (only the network's file is loaded, not its node).
 * A string says why it cannot.
 */
async function trialScorer({ nodeType, title, data }: Extract<ToTrialThread, { type: 'init' }>): Promise<ScoreTry | string> {
  if (data.kind === 'photos') {
    const { scoreNetworkTry } = await import('./network-trials');
    return (params, onProgress) => scoreNetworkTry(params as NetworkSettings, data.photos, { onProgress });
  }
  const node = await loadNode(nodeType);
  if (!node) return `No table model of type ${nodeType}.`;
  return (params, onProgress) => crossValidateSets(node, params, title, data.sets, { onProgress });
}

/**
 * The inside of a thread started by `scoreInThreads`: it loads what scores the search's tries and, for a
 * model that computes on TensorFlow.js, starts the backend the run uses (so its numbers are the run's), keeps
 * the data it is sent once (its numbers live in memory shared with the run's thread), and scores each try it
 * is given on them, exactly as the run's own thread would.
 */
export function serveTrials(): void {
  const port = parentPort;
  if (!port) throw new Error('serveTrials runs inside a worker thread.');
  const send = (message: FromTrialThread) => port.postMessage(message);
  let scoreTry: ScoreTry | null = null;
  port.on('message', (message: ToTrialThread) => {
    if (message.type === 'init') {
      void (async () => {
        const scorer = await trialScorer(message);
        if (typeof scorer === 'string') return send({ type: 'initFailed', message: scorer });
        if (message.backend) {
          const { startBackend } = await import('./tf-backends');
          if (!(await startBackend(message.backend as BackendName))) {
            return send({ type: 'initFailed', message: `The TensorFlow.js backend "${message.backend}" could not start in a thread.` });
          }
        }
        scoreTry = scorer;
        send({ type: 'ready' });
      })();
      return;
    }
    const { index, params } = message;
    scoreTry!(params, (fraction, text) => send({ type: 'progress', index, fraction, message: text })).then(
      (scores) => send({ type: 'done', index, scores }),
      (error: unknown) => send({ type: 'failed', index, message: error instanceof Error ? error.message : String(error) }),
    );
  });
}
