import type { Graph } from '../../nodes/graph-document';
import type { EngineEvent, ExecutionOutcome } from '../engine/events';

export interface ExecutionHandlers {
  /** The run has begun (it left the queue). */
  onStarted(): void;
  /** A step of the run needed TensorFlow.js, which computes on this backend; never called for runs that need none. */
  onBackend(name: string): void;
  onEvent(event: EngineEvent): void;
}

/** Runs a validated graph somewhere (this process, or a worker process) and reports as it goes. */
export interface Executor {
  execute(runId: string, graph: Graph, handlers: ExecutionHandlers): Promise<ExecutionOutcome>;
  cancel(runId: string): void;
}
