import type { Graph } from '../../nodes/graph-document';
import type { EngineEvent, ExecutionOutcome } from '../engine/events';

export type ToWorker = { type: 'warmUp' } | { type: 'run'; runId: string; graph: Graph } | { type: 'cancel'; runId: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'started'; runId: string }
  | { type: 'backend'; runId: string; name: string }
  | { type: 'event'; runId: string; event: EngineEvent }
  | { type: 'done'; runId: string; outcome: ExecutionOutcome };
