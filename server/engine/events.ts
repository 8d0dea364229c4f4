import type { Headline } from '../../models/evaluation/metric-vocabulary';
import type { GraphProblem } from '../../nodes/graph-document';
import type { NodePreview } from '../../nodes/preview';

export type EngineEvent =
  | { type: 'started'; nodeId: string; at: number }
  | { type: 'progress'; nodeId: string; fraction: number; message?: string; live?: NodePreview }
  | {
      type: 'finished';
      nodeId: string;
      cached: boolean;
      durationMs: number;
      preview: NodePreview;
      metrics: Record<string, number> | null;
    }
  | { type: 'failed'; nodeId: string; error: string; durationMs: number }
  | { type: 'skipped'; nodeId: string; reason: string };

export interface ExecutionOutcome {
  /** interrupted: the process running it stopped before it finished (see server/runs/leases.ts). */
  status: 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  problems: GraphProblem[];
  headline: Headline | null;
}
