import type { z } from 'zod';
import type { NodePreview } from './preview';

/** The kinds of value that travel along a wire. Two ports connect only when their types match. */
export type PortType = 'table' | 'images' | 'split' | 'model' | 'report';

export const PORT_TYPE_LABELS: Record<PortType, string> = {
  table: 'a table',
  images: 'a set of photos',
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
  /** Other value types this input also takes (e.g. the split takes a table or photos). */
  accepts?: PortType[];
  /** May be left unwired; the node then receives undefined. */
  optional?: boolean;
}

/** True when a value of type `type` may be wired into `input`. */
export function inputAccepts(input: Pick<PortSpec, 'type' | 'accepts'>, type: string): boolean {
  return input.type === type || (input.accepts?.includes(type as PortType) ?? false);
}

/** "a table or a set of photos": what an input takes, in words. */
export function describeInputTypes(input: Pick<PortSpec, 'type' | 'accepts'>, labels: Readonly<Record<string, string>> = PORT_TYPE_LABELS): string {
  return [input.type, ...(input.accepts ?? [])].map((type) => labels[type] ?? `a ${type}`).join(' or ');
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
  /** fraction in [0, 1]; `live` replaces the node's shown result while it works (e.g. training curves so far). */
  progress(fraction: number, message?: string, live?: NodePreview): void;
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
