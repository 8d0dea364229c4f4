/**
 * Runs the "Classify product photos" template in this process, plus two more models on the same split
 * (logistic regression on raw pixels, a decision tree on HOG), and prints each model's test accuracy
 * and each step's time:
 *   npx tsx scripts/bench-photos.ts
 */
import { storedFiles } from '../server/datasets';
import { executeGraph } from '../server/engine/execute';
import { registry } from '../server/runs/registry';
import { findTemplate } from '../server/templates';
import { initBackend } from '../server/tf-backend';
import type { EvaluationPreview } from '../nodes/preview';

const graph = structuredClone(findTemplate('classify-product-photos')!.graph);
const add = (id: string, type: string, params: Record<string, unknown>) =>
  graph.nodes.push({ id, type, version: 1, params, position: { x: 0, y: 0 } });
const wire = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
  graph.edges.push({ id: `${source}-${target}`, source, sourceHandle, target, targetHandle });
add('pixels', 'features.image', { method: 'pixels' });
add('logistic', 'model.logisticRegression', {});
add('tree', 'model.decisionTree', { maxDepth: 10 });
wire('split', 'split', 'pixels', 'data');
wire('pixels', 'split', 'logistic', 'data');
wire('hog', 'split', 'tree', 'data');
wire('logistic', 'model', 'evaluate', 'model');
wire('tree', 'model', 'evaluate', 'model');

const backend = await initBackend();
const times: Record<string, number> = {};
const result = await executeGraph({
  graph,
  registry,
  ...storedFiles,
  onEvent: (event) => {
    if (event.type === 'finished') times[event.nodeId] = event.durationMs;
  },
});
if (result.status !== 'succeeded') throw new Error(result.error ?? result.status);
const evaluation = result.results.get('evaluate')!.preview as EvaluationPreview;
console.log(`Backend: ${backend}; ${evaluation.testRows} test photos\n`);
console.log('| model | accuracy | balanced accuracy | macro F1 | training step time (s) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const model of evaluation.models) {
  const m = model.metrics;
  console.log(`| ${model.model} | ${m.accuracy.toFixed(3)} | ${m.balancedAccuracy.toFixed(3)} | ${m.macroF1.toFixed(3)} | ${(times[model.nodeId] / 1000).toFixed(2)} |`);
}
console.log('\n| step | time (s) |\n| --- | ---: |');
for (const node of graph.nodes) console.log(`| ${node.id} (${node.type}) | ${((times[node.id] ?? 0) / 1000).toFixed(2)} |`);
