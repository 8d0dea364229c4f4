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
for (let i = 0; i < repeats; i++) {
  let duration = 0;
  const cpuBefore = process.cpuUsage();
  const outcome = await executeGraph({
    graph,
    registry,
    ...storedFiles,
    cache: new OutputCache(),
    onEvent: (event) => event.type === 'finished' && event.nodeId === 'model' && (duration = event.durationMs),
  });
  if (outcome.status !== 'succeeded') throw new Error(outcome.error ?? 'failed');
  const cpu = process.cpuUsage(cpuBefore);
  preview = outcome.results.get('model')!.preview as ModelPreview;
  seconds.push(duration / 1000);
  console.log(`run ${i + 1}: tree node ${(duration / 1000).toFixed(1)} s (whole run CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`);
}
seconds.sort((a, b) => a - b);
const board = preview!.tuning!;
const best = board.trials[board.bestTrial! - 1];
console.log(`median tree node (20 tries × 5 folds + the final fit): ${seconds[Math.floor(seconds.length / 2)].toFixed(1)} s`);
console.log(`tries: ${board.trials.map((t) => `${t.settings.maxDepth}/${t.settings.minSamplesLeaf} ${t.score?.toFixed(4)}`).join(', ')}`);
console.log(`best: depth ${best.settings.maxDepth}, leaf size ${best.settings.minSamplesLeaf}, ${board.metric} ${best.score!.toFixed(4)} ± ${best.std!.toFixed(4)}`);
