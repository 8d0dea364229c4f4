import type { z } from 'zod';
import type { NodePreview } from './preview';
import type { ImageSetValue, ModelValue, ReportValue, SplitValue, TableValue } from './values';

/** The value each kind of wire carries: a port's type decides the type of the value its node receives. */
export interface PortValues {
  table: TableValue;
  images: ImageSetValue;
  split: SplitValue;
  model: ModelValue;
  report: ReportValue;
}

/** The kinds of value that travel along a wire. Two ports connect only when their types match. */
export type PortType = keyof PortValues;

/** Any value that travels along a wire. */
export type PortValue = PortValues[PortType];

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
  accepts?: readonly PortType[];
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
  /** Pieces of text (an iterable) are written one at a time, so a large file is never held whole. */
  write(fileName: string, bytes: Uint8Array | string | Iterable<string>): ArtifactRef;
  read(hash: string): Uint8Array;
}

export interface ArtifactRef {
  hash: string;
  fileName: string;
  sizeBytes: number;
}

export interface NodeContext {
  nodeId: string;
  /** What messages call this node: its title, numbered when the pipeline has several of its kind. */
  title: string;
  signal: AbortSignal;
  /** fraction in [0, 1]; `live` replaces the node's shown result while it works (e.g. training curves so far). */
  progress(fraction: number, message?: string, live?: NodePreview): void;
  datasets: DatasetResolver;
  artifacts: ArtifactStore;
}

/**
 * What a node receives on one input port: its type's value, an array for `multiple`, possibly undefined
 * for `optional`. A port not known at compile time (the engine's view of any node) may be any of them.
 */
type InputValue<Port extends PortSpec> = Port extends { multiple: true }
  ? PortValues[AcceptedTypes<Port>][]
  : Port extends { optional: true }
    ? PortValues[AcceptedTypes<Port>] | undefined
    : Port extends { name: string; multiple?: false; optional?: false }
      ? PortValues[AcceptedTypes<Port>]
      : PortValue | PortValue[] | undefined;

type AcceptedTypes<Port extends PortSpec> = Port['type'] | (Port extends { accepts: readonly (infer Other extends PortType)[] } ? Other : never);

/** The inputs a node's `run` receives, keyed by port name and typed by the ports it declares. */
export type InputValues<Ports extends readonly PortSpec[]> = { [Port in Ports[number] as Port['name']]: InputValue<Port> };

/** The outputs a node's `run` returns, keyed by port name and typed by the ports it declares. */
export type OutputValues<Ports extends readonly PortSpec[]> = { [Port in Ports[number] as Port['name']]: PortValues[Port['type']] };

export interface NodeRunResult<Outputs extends Record<string, PortValue> = Record<string, PortValue>> {
  outputs: Outputs;
  preview: NodePreview;
  /** Headline numbers, recorded with the run (e.g. accuracy, r2). */
  metrics?: Record<string, number>;
  /** What the run's headline speaks of: the answer a yes/no model looks for ("yes"), or the column a number model predicts. */
  headlineSubject?: string;
}

export interface NodeDefinition<
  P extends z.ZodObject = z.ZodObject,
  Inputs extends readonly PortSpec[] = readonly PortSpec[],
  Outputs extends readonly PortSpec[] = readonly PortSpec[],
> {
  /** Stable id, part of the saved JSON format. */
  type: string;
  version: number;
  title: string;
  category: NodeCategory;
  /** Plain-language description shown in the palette and the side panel. */
  help: string;
  inputs: Inputs;
  outputs: Outputs;
  /** Parameters with defaults; `.meta({ title, description, widget })` drives the generated form. */
  params: P;
  run(args: { params: z.output<P>; inputs: InputValues<Inputs>; ctx: NodeContext }): Promise<NodeRunResult<OutputValues<Outputs>>>;
}

/** Declares a node; its ports' types decide the types `run` receives and returns, checked by the compiler. */
export function defineNode<P extends z.ZodObject, const Inputs extends readonly PortSpec[], const Outputs extends readonly PortSpec[]>(
  definition: NodeDefinition<P, Inputs, Outputs>,
): NodeDefinition<P, Inputs, Outputs> {
  return definition;
}

/** Thrown by a node for bad input; the message is shown to the user as is. */
export class NodeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeInputError';
  }
}
