/**
 * Times a settings search in this process (no database, no web server):
 *   npx tsx scripts/bench-tuning.ts [repeats=3] [threads=1,2] [tree|network]
 * - tree (the default): the "Predict campaign response" template with a Decision tree searching 20 settings
 *   (depth 2–10 × leaf size 1–50, the node's grid), each scored by 5-fold cross-validation on the training rows.
 *   The scikit-learn counterpart is scripts/bench-tuning.py (GridSearchCV on the same grid and rows, n_jobs).
 * - network: the "Classify product photos" template's photos (1,000 product photos, 28×28 grayscale, 800 for
 *   training) and its Convolutional network with the default layers, searching 4 settings of its grid for 2
 *   epochs each, each scored by 3-fold cross-validation on the training photos.
 * Each repeat runs the search once per thread count (PIPELAB_TUNING_THREADS; 1 scores the tries in turn in
 * the run's thread), side by side, so the ratio holds under the same load.
 */
import os from 'node:os';
import { executeGraph } from '../server/engine/execute';
import { OutputCache } from '../server/engine/cache';
import { storedFiles } from '../server/datasets';
import { registry } from '../server/runs/registry';
import { templates } from '../server/templates';
import { initBackend } from '../server/tf-backend';
import type { ModelPreview } from '../nodes/preview';

const repeats = Number(process.argv[2] ?? 3);
const threadCounts = (process.argv[3] ?? '1,2').split(',').map(Number);
const searched = process.argv[4] ?? 'tree';
if (searched !== 'tree' && searched !== 'network') throw new Error(`Search "tree" or "network", not "${searched}".`);
const backend = await initBackend();
console.log(`TensorFlow.js backend: ${backend}; ${os.cpus().length} × ${os.cpus()[0]?.model}; Node ${process.version}; load ${os.loadavg()[0].toFixed(1)}`);

const graph = searched === 'tree' ? treeSearch() : networkSearch();
const MODEL = searched === 'tree' ? 'model' : 'cnn';

function treeSearch() {
  const template = templates.find((t) => t.id === 'campaign-response')!;
  return {
    ...template.graph,
    nodes: template.graph.nodes.map((node) =>
      node.id === 'model' ? { ...node, type: 'model.decisionTree', params: { search: 'grid', searchTrials: 20, searchFolds: 5 } } : node,
    ),
  };
}

/** The photos, their preparation and split, and the network of the photo template, searching; its other steps left out. */
function networkSearch() {
  const template = templates.find((t) => t.id === 'classify-product-photos')!;
  const kept = ['photos', 'prepare', 'split', 'cnn'];
  return {
    ...template.graph,
    nodes: template.graph.nodes
      .filter((node) => kept.includes(node.id))
      .map((node) => (node.id === 'cnn' ? { ...node, params: { epochs: 2, validationFraction: 0, search: 'grid', searchTrials: 4, searchFolds: 3 } } : node)),
    edges: template.graph.edges.filter((edge) => kept.includes(edge.source) && kept.includes(edge.target)),
  };
}

const previews = new Map<number, ModelPreview>();
const timings = new Map<number, { wall: number; cpu: number; load: number }[]>(threadCounts.map((threads) => [threads, []]));
for (let i = 0; i < repeats; i++) {
  for (const threads of threadCounts) {
    process.env.PIPELAB_TUNING_THREADS = String(threads);
    const { wall, cpu, preview } = await timeSearch();
    const load = os.loadavg()[0];
    previews.set(threads, preview);
    timings.get(threads)!.push({ wall, cpu, load });
    console.log(`run ${i + 1}, ${threads} thread(s): ${searched} node ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (all threads), load ${load.toFixed(1)}`);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const threads of threadCounts) {
  const runs = timings.get(threads)!;
  console.log(
    `${threads} thread(s): median ${median(runs.map((r) => r.wall)).toFixed(1)} s wall, ${median(runs.map((r) => r.cpu)).toFixed(1)} s CPU; ` +
      `walls ${runs.map((r) => r.wall.toFixed(1)).join(' / ')}; loads ${runs.map((r) => r.load.toFixed(1)).join(' / ')}`,
  );
}
const boards = threadCounts.map((threads) => previews.get(threads)!.tuning!);
const same = boards.every((board) => JSON.stringify(board.trials.map((t) => [t.score, t.std])) === JSON.stringify(boards[0].trials.map((t) => [t.score, t.std])));
console.log(`same scores and pick with every thread count: ${same && boards.every((board) => board.bestTrial === boards[0].bestTrial)}`);
const board = boards[0];
const best = board.trials[board.bestTrial! - 1];
const settingsOf = (settings: Record<string, unknown>) => Object.values(settings).join('/');
console.log(`tries: ${board.trials.map((t) => `${settingsOf(t.settings)} ${t.score?.toFixed(4)}`).join(', ')}`);
console.log(`best: ${settingsOf(best.settings)}, ${board.metric} ${best.score!.toFixed(4)} ± ${best.std!.toFixed(4)}`);

/** One run of the graph; the searching node's wall time and the process's CPU time (every thread's) meanwhile. */
async function timeSearch(): Promise<{ wall: number; cpu: number; preview: ModelPreview }> {
  let duration = 0;
  // The engine reports events synchronously, so the process's CPU time between the model's start and finish is the model's.
  let cpuAtStart = process.cpuUsage();
  let cpu = 0;
  const outcome = await executeGraph({
    graph,
    registry,
    ...storedFiles,
    cache: new OutputCache(),
    onEvent: (event) => {
      if (event.nodeId !== MODEL) return;
      if (event.type === 'started') cpuAtStart = process.cpuUsage();
      if (event.type !== 'finished') return;
      duration = event.durationMs;
      const used = process.cpuUsage(cpuAtStart);
      cpu = (used.user + used.system) / 1e6;
    },
  });
  if (outcome.status !== 'succeeded') throw new Error(outcome.error ?? 'failed');
  return { wall: duration / 1000, cpu, preview: outcome.results.get(MODEL)!.preview as ModelPreview };
}
