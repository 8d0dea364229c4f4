import { headlineOf, type Headline } from '../../models/evaluation/metric-vocabulary';
import type { ArtifactStore, DatasetResolver, NodeContext, NodeRunResult, PortValue } from '../../nodes/define';
import type { Graph, GraphNode } from '../../nodes/graph-document';
import { nodeDisplayNames } from '../../nodes/node-names';
import { OutputCache, nodeKey } from './cache';
import type { EngineEvent, ExecutionOutcome } from './events';
import { topologicalOrder } from './order';
import { ConsumerLedger } from './release';
import type { NodeRegistry } from './registry';
import { describeProblems, validateGraph } from './validate';

export interface ExecuteOptions {
  graph: Graph;
  registry: NodeRegistry;
  datasets: DatasetResolver;
  artifacts: ArtifactStore;
  cache?: OutputCache;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /**
   * Drop each node's port values once every node wired to them has run, so a big table can be
   * collected once the split has copied its rows. `results` then carry previews and metrics only;
   * what the cache keeps (see OutputCache's byte budget) is still reused by the next run.
   */
  releaseOutputs?: boolean;
}

export interface ExecutionResult extends ExecutionOutcome {
  results: Map<string, NodeRunResult>;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function headlineWithSubject(result: NodeRunResult): Headline | null {
  const headline = headlineOf(result.metrics ?? {});
  return headline && result.headlineSubject ? { ...headline, subject: result.headlineSubject } : headline;
}

/**
 * Lets the current job end before the next node starts. A weakly held value read or made during a job
 * (the table just parsed, a shared feature matrix) stays alive until that job ends, and a run of nodes
 * that never wait on anything is one job: without this, a released table lives on through the next node.
 */
function endOfJob(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface NodeState {
  key: string;
  result: NodeRunResult;
}

/**
 * Validates, then runs every node after its inputs. A failing node stops only what depends on it;
 * a node whose key is in the cache is not run again.
 */
export async function executeGraph(options: ExecuteOptions): Promise<ExecutionResult> {
  const { graph, registry, datasets, signal } = options;
  const cache = options.cache ?? new OutputCache();
  const emit = options.onEvent ?? (() => {});
  const results = new Map<string, NodeRunResult>();
  const problems = validateGraph(graph, registry);
  if (problems.length) {
    return { status: 'failed', error: describeProblems(graph, registry, problems), problems, headline: null, results };
  }
  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  const names = nodeDisplayNames(graph, (type) => registry.get(type)?.title);
  const done = new Map<string, NodeState>();
  const failures: string[] = [];
  let headline: Headline | null = null;

  const ledger = new ConsumerLedger(graph);
  const release = (nodeIds: string[]) => {
    if (!options.releaseOutputs) return;
    for (const id of nodeIds) {
      const state = done.get(id);
      if (!state) continue;
      const { outputs: _dropped, ...kept } = state.result;
      const light: NodeRunResult = { ...kept, outputs: {} };
      done.set(id, { key: state.key, result: light });
      results.set(id, light);
    }
  };

  for (const nodeId of topologicalOrder(graph).order) {
    if (signal?.aborted) break;
    const node = nodesById.get(nodeId)!;
    const incoming = graph.edges.filter((e) => e.target === nodeId);
    const blocked = incoming.find((e) => !done.has(e.source));
    if (blocked) {
      emit({ type: 'skipped', nodeId, reason: `Not run: "${names.get(blocked.source)}" did not finish` });
      release(ledger.settled(nodeId));
      continue;
    }
    const state = await runNode(node, names.get(nodeId)!, incoming, done, { ...options, cache, emit });
    if ('error' in state) {
      if (signal?.aborted) break;
      failures.push(`${names.get(nodeId)}: ${state.error}`);
      release(ledger.settled(nodeId));
      continue;
    }
    done.set(nodeId, state);
    results.set(nodeId, state.result);
    if (node.type.startsWith('eval.') && state.result.metrics) headline = headlineWithSubject(state.result) ?? headline;
    release(ledger.settled(nodeId));
    if (options.releaseOutputs) await endOfJob();
  }
  release([...done.keys()]);

  if (signal?.aborted) return { status: 'cancelled', error: 'Cancelled by the user', problems: [], headline, results };
  if (failures.length) return { status: 'failed', error: failures.join('\n'), problems: [], headline, results };
  return { status: 'succeeded', error: null, problems: [], headline, results };
}

async function runNode(
  node: GraphNode,
  name: string,
  incoming: Graph['edges'],
  done: Map<string, NodeState>,
  options: ExecuteOptions & { cache: OutputCache; emit: (event: EngineEvent) => void },
): Promise<NodeState | { error: string }> {
  const definition = options.registry.get(node.type)!;
  const params = definition.params.parse(node.params);
  const inputs: Record<string, PortValue | PortValue[]> = {};
  const manyInputs: Record<string, PortValue[]> = {};
  const inputKeys: Record<string, string> = {};
  for (const edge of incoming) {
    const upstream = done.get(edge.source)!;
    const value = upstream.result.outputs[edge.sourceHandle];
    const key = `${upstream.key}:${edge.sourceHandle}`;
    if (value === undefined) return { error: `${name}: the step wired into "${edge.targetHandle}" gave no value on that wire.` };
    if (definition.inputs.find((port) => port.name === edge.targetHandle)?.multiple) {
      manyInputs[edge.targetHandle] = [...(manyInputs[edge.targetHandle] ?? []), value];
      inputs[edge.targetHandle] = manyInputs[edge.targetHandle];
      inputKeys[edge.targetHandle] = inputKeys[edge.targetHandle] ? `${inputKeys[edge.targetHandle]}|${key}` : key;
    } else {
      inputs[edge.targetHandle] = value;
      inputKeys[edge.targetHandle] = key;
    }
  }
  const key = nodeKey({ type: node.type, version: definition.version, params, inputKeys });
  const started = performance.now();
  options.emit({ type: 'started', nodeId: node.id, at: Date.now() });
  const cached = options.cache.get(key);
  if (cached) {
    options.emit({ type: 'finished', nodeId: node.id, cached: true, durationMs: 0, preview: cached.preview, metrics: cached.metrics ?? null });
    return { key, result: cached };
  }
  const context: NodeContext = {
    nodeId: node.id,
    title: name,
    signal: options.signal ?? new AbortController().signal,
    datasets: options.datasets,
    artifacts: options.artifacts,
    progress: (fraction, message, live) => options.emit({ type: 'progress', nodeId: node.id, fraction, message, live }),
  };
  try {
    const result = await definition.run({ params, inputs, ctx: context });
    const durationMs = Math.round(performance.now() - started);
    options.cache.set(key, result);
    options.emit({ type: 'finished', nodeId: node.id, cached: false, durationMs, preview: result.preview, metrics: result.metrics ?? null });
    return { key, result };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    if (options.signal?.aborted) return { error: 'Cancelled by the user' };
    const message = errorMessage(error);
    options.emit({ type: 'failed', nodeId: node.id, error: message, durationMs });
    return { error: message };
  }
}
