import { OutputCache } from '../engine/cache';
import { executeGraph } from '../engine/execute';
import type { Graph } from '../../nodes/graph-document';
import { storedFiles } from '../datasets';
import { requireStartedTensorFlow } from '../../models/tensorflow';
import { whenTensorFlowUsed } from '../../nodes/lib/tf-backends';
import type { ExecutionHandlers, Executor } from './executor';
import { registry } from './registry';

/**
 * Runs graphs in the calling process: for the command line, tests and the worker process itself. TensorFlow.js
 * is loaded, and its backend started, only when a step needs it (a network, image features, the softmax objective
 * on a mid-sized table): the run records that backend then, and a run that needed none records none.
 */
export class InProcessExecutor implements Executor {
  private readonly controllers = new Map<string, AbortController>();
  private readonly cache = new OutputCache();

  async execute(runId: string, graph: Graph, handlers: ExecutionHandlers) {
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    requireStartedTensorFlow();
    let reported: string | null = null;
    // Runs in one process share its one backend; each run reports it once, when one of its steps first needs it.
    const stopListening = whenTensorFlowUsed((name) => {
      if (reported !== name) handlers.onBackend((reported = name));
    });
    try {
      handlers.onStarted();
      const { results: _results, ...outcome } = await executeGraph({
        graph,
        registry,
        ...storedFiles,
        cache: this.cache,
        // The outcome and events carry what is recorded; port values past the cache's budget go when read.
        releaseOutputs: true,
        signal: controller.signal,
        onEvent: handlers.onEvent,
      });
      return outcome;
    } finally {
      stopListening();
      this.controllers.delete(runId);
    }
  }

  cancel(runId: string): void {
    this.controllers.get(runId)?.abort();
  }
}
