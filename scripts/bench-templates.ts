/**
 * Times each built-in template, node by node, in this process (no database, no web server):
 *   npx tsx scripts/bench-templates.ts [repeats=3]
 * Prints a Markdown table for docs/benchmarks.md.
 */
import os from 'node:os';
import { OutputCache } from '../server/engine/cache';
import { executeGraph } from '../server/engine/execute';
import { storedFiles } from '../server/datasets';
import { registry } from '../server/runs/registry';
import { templates } from '../server/templates';
import { initBackend } from '../server/tf-backend';

const repeats = Number(process.argv[2] ?? 3);
const backend = await initBackend();
console.log(`TensorFlow.js backend: ${backend}; ${os.cpus().length} × ${os.cpus()[0]?.model}; Node ${process.version}\n`);
console.log('| template | first run in a fresh process (s) | run with an empty cache, median of ' + repeats + ' (s) | slowest nodes (ms) | re-run, nothing changed (ms) | headline |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const template of templates) {
  const times: number[] = [];
  let nodeTimes: Record<string, number> = {};
  let warm = 0;
  let headline = '';
  for (let i = 0; i < repeats; i++) {
    const cache = new OutputCache();
    const durations: Record<string, number> = {};
    const started = performance.now();
    const outcome = await executeGraph({
      graph: template.graph,
      registry,
      ...storedFiles,
      cache,
      onEvent: (e) => e.type === 'finished' && (durations[e.nodeId] = e.durationMs),
    });
    if (outcome.status !== 'succeeded') throw new Error(`${template.name}: ${outcome.error}`);
    times.push(performance.now() - started);
    nodeTimes = durations;
    headline = outcome.headline ? `${outcome.headline.name} ${outcome.headline.value.toFixed(4)}` : '';
    const warmStart = performance.now();
    await executeGraph({ graph: template.graph, registry, ...storedFiles, cache });
    warm = performance.now() - warmStart;
  }
  const first = times[0] / 1000;
  times.sort((a, b) => a - b);
  const slowest = Object.entries(nodeTimes)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id, ms]) => `${id} ${ms}`)
    .join(', ');
  const median = times[Math.floor(times.length / 2)] / 1000;
  console.log(`| ${template.name} | ${first.toFixed(2)} | ${median.toFixed(2)} | ${slowest} | ${warm.toFixed(0)} | ${headline} |`);
}
