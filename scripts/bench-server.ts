/**
 * Measures a template run through the web server's API (worker process included) and how fast the
 * API answers while that run trains. Start a fresh app first (npm start), then:
 *   npx tsx scripts/bench-server.ts [base-url=http://127.0.0.1:3000] [template=campaign-response] [runs=3]
 * With template=classify-product-photos the model that changes is the convolutional network, so the
 * latencies are measured while it trains.
 */
import { findTemplate } from '../server/templates';

const [base = 'http://127.0.0.1:3000', templateId = 'campaign-response', runsArg = '3'] = process.argv.slice(2);
const template = findTemplate(templateId);
if (!template) throw new Error(`unknown template ${templateId}`);

async function call<T>(procedure: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const url = `${base}/api/trpc/${procedure}` + (method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '');
  const response = await fetch(url, method === 'POST' ? { method, body: JSON.stringify(input), headers: { 'content-type': 'application/json' } } : {});
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${procedure}: ${body.error?.message ?? response.status}`);
  return body.result.data;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];

/** Run i changes the model's regularization (a network's seed), so only the model and what follows it recompute. */
function graphForRun(i: number) {
  const graph = structuredClone(template!.graph);
  const model = graph.nodes.find((n) => n.type.startsWith('model.'));
  if (model && i > 0) model.params = { ...model.params, ...(model.type === 'model.cnn' ? { seed: 42 + i } : { l2: 1 + i / 2 }) };
  return graph;
}

async function timedRun(i: number): Promise<{ wall: number; recorded: number; latencies: number[]; backend: string | null }> {
  const latencies: number[] = [];
  const started = performance.now();
  const { runId } = await call<{ runId: string }>('runs.start', { graph: graphForRun(i), label: `${template!.name} (benchmark)` }, 'POST');
  let finished = false;
  const prober = (async () => {
    while (!finished) {
      const t0 = performance.now();
      await call('pipelines.list', undefined, 'GET');
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let run: { status: string; durationMs: number | null; backend: string | null };
  do {
    await new Promise((resolve) => setTimeout(resolve, 25));
    run = await call('runs.get', { runId }, 'GET');
  } while (run.status === 'running');
  const wall = performance.now() - started;
  finished = true;
  await prober;
  if (run.status !== 'succeeded') throw new Error(`run ${runId} ${run.status}`);
  return { wall, recorded: run.durationMs ?? NaN, latencies, backend: run.backend };
}

console.log('| run | wall time seen by the client (s) | recorded duration (s) | API latency during the run: median / p95 / max (ms), samples | backend |');
console.log('| --- | --- | --- | --- | --- |');
for (let i = 0; i < Number(runsArg); i++) {
  const { wall, recorded, latencies, backend } = await timedRun(i);
  const label = i === 0 ? '1: everything computed' : `${i + 1}: model setting changed, data steps reused`;
  const stats = `${percentile(latencies, 0.5).toFixed(1)} / ${percentile(latencies, 0.95).toFixed(1)} / ${Math.max(...latencies).toFixed(1)}, ${latencies.length}`;
  console.log(`| ${label} | ${(wall / 1000).toFixed(2)} | ${(recorded / 1000).toFixed(2)} | ${stats} | ${backend} |`);
}
