import { OutputCache } from '../engine/cache';
import { executeGraph } from '../engine/execute';
import type { Graph } from '../../nodes/graph-document';
import { storedFiles } from '../datasets';
import { initBackend } from '../tf-backend';
import type { ExecutionHandlers, Executor } from './executor';
import { registry } from './registry';

/** Runs graphs in the calling process: for the command line, tests and the worker process itself. */
export class InProcessExecutor implements Executor {
  private readonly controllers = new Map<string, AbortController>();
  private readonly cache = new OutputCache();

  async execute(runId: string, graph: Graph, handlers: ExecutionHandlers) {
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    try {
      handlers.onBackend(await initBackend());
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
      this.controllers.delete(runId);
    }
  }

  cancel(runId: string): void {
    this.controllers.get(runId)?.abort();
  }
}
