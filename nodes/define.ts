import type { z } from 'zod';
import type { NodePreview } from './preview';

/** The kinds of value that travel along a wire. Two ports connect only when their types match. */
export type PortType = 'table' | 'split' | 'model' | 'report';

export const PORT_TYPE_LABELS: Record<PortType, string> = {
  table: 'a table',
  split: 'a train/test split',
  model: 'a trained model',
  report: 'an evaluation report',
};

export interface PortSpec {
  name: string;
  type: PortType;
  label: string;
  /** Accepts several wires; the node then receives an array, in wiring order. */
  multiple?: boolean;
}

export type NodeCategory = 'Data' | 'Prepare' | 'Features' | 'Model' | 'Evaluate';

export interface DatasetResolver {
  /** Absolute path of a stored upload, by content hash; throws a plain error when it is unknown. */
  pathOf(hash: string): string;
}

/** Files a node produces for people to download (a scored list, a trained model), stored by content hash. */
export interface ArtifactStore {
  write(fileName: string, bytes: Uint8Array | string): ArtifactRef;
  read(hash: string): Uint8Array;
}

export interface ArtifactRef {
  hash: string;
  fileName: string;
  sizeBytes: number;
}

export interface NodeContext {
  nodeId: string;
  title: string;
  signal: AbortSignal;
  /** fraction in [0, 1] */
  progress(fraction: number, message?: string): void;
  datasets: DatasetResolver;
  artifacts: ArtifactStore;
}

export interface NodeRunResult {
  outputs: Record<string, unknown>;
  preview: NodePreview;
  /** Headline numbers, recorded with the run (e.g. accuracy, r2). */
  metrics?: Record<string, number>;
}

export interface NodeDefinition<P extends z.ZodObject = z.ZodObject> {
  /** Stable id, part of the saved JSON format. */
  type: string;
  version: number;
  title: string;
  category: NodeCategory;
  /** Plain-language description shown in the palette and the side panel. */
  help: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** Parameters with defaults; `.meta({ title, description, widget })` drives the generated form. */
  params: P;
  run(args: { params: z.output<P>; inputs: Record<string, unknown>; ctx: NodeContext }): Promise<NodeRunResult>;
}

export function defineNode<P extends z.ZodObject>(definition: NodeDefinition<P>): NodeDefinition<P> {
  return definition;
}

/** Thrown by a node for bad input; the message is shown to the user as is. */
export class NodeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeInputError';
  }
}
