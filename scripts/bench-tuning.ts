/**
 * Times a settings search of the decision tree on the bank-marketing sample, in this process (no database,
 * no web server): the "Predict campaign response" template with a Decision tree searching 20 settings
 * (depth 2–10 × leaf size 1–50, the node's grid), each scored by 5-fold cross-validation on the training rows.
 *   npx tsx scripts/bench-tuning.ts [repeats=3]
 * The scikit-learn counterpart is scripts/bench-tuning.py (GridSearchCV on the same grid and rows).
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
const backend = await initBackend();
console.log(`TensorFlow.js backend: ${backend}; ${os.cpus().length} × ${os.cpus()[0]?.model}; Node ${process.version}; load ${os.loadavg()[0].toFixed(1)}`);

const template = templates.find((t) => t.id === 'campaign-response')!;
const graph = {
  ...template.graph,
  nodes: template.graph.nodes.map((node) =>
    node.id === 'model' ? { ...node, type: 'model.decisionTree', params: { search: 'grid', searchTrials: 20, searchFolds: 5 } } : node,
  ),
};

const seconds: number[] = [];
let preview: ModelPreview | undefined;
const cpuSeconds: number[] = [];
for (let i = 0; i < repeats; i++) {
  let duration = 0;
  // The engine reports events synchronously, so the process's CPU time between the tree's start and finish is the tree's.
  let cpuAtStart = process.cpuUsage();
  let cpu = 0;
  const outcome = await executeGraph({
    graph,
    registry,
    ...storedFiles,
    cache: new OutputCache(),
    onEvent: (event) => {
      if (event.nodeId !== 'model') return;
      if (event.type === 'started') cpuAtStart = process.cpuUsage();
      if (event.type !== 'finished') return;
      duration = event.durationMs;
      const used = process.cpuUsage(cpuAtStart);
      cpu = (used.user + used.system) / 1e6;
    },
  });
  if (outcome.status !== 'succeeded') throw new Error(outcome.error ?? 'failed');
  preview = outcome.results.get('model')!.preview as ModelPreview;
  seconds.push(duration / 1000);
  cpuSeconds.push(cpu);
  console.log(`run ${i + 1}: tree node ${(duration / 1000).toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU`);
}
seconds.sort((a, b) => a - b);
cpuSeconds.sort((a, b) => a - b);
console.log(`median CPU: ${cpuSeconds[Math.floor(cpuSeconds.length / 2)].toFixed(1)} s`);
const board = preview!.tuning!;
const best = board.trials[board.bestTrial! - 1];
console.log(`median tree node (20 tries × 5 folds + the final fit): ${seconds[Math.floor(seconds.length / 2)].toFixed(1)} s`);
console.log(`tries: ${board.trials.map((t) => `${t.settings.maxDepth}/${t.settings.minSamplesLeaf} ${t.score?.toFixed(4)}`).join(', ')}`);
console.log(`best: depth ${best.settings.maxDepth}, leaf size ${best.settings.minSamplesLeaf}, ${board.metric} ${best.score!.toFixed(4)} ± ${best.std!.toFixed(4)}`);
