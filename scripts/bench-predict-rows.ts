/**
 * The per-row cost of the prediction API without HTTP: publishes the campaign-response model as
 * bench-endpoint.ts does, then calls servePrediction with requests of 1,000 rows (or the count given, at most
 * LIMITS.predict.rows) in this process and reports CPU time (user+sys) and rows per CPU second, which stay
 * meaningful on a busy machine.
 *   npx tsx scripts/bench-predict-rows.ts [requests=200] [rows per request=1000]
 *   node --cpu-prof --import tsx scripts/bench-predict-rows.ts   (a profile of the same loop)
 */
import { LIMITS } from '../models/limits';
import { useTempDataDir } from '../nodes/test-harness';
import { servePrediction } from '../server/endpoints';
import { flushPredictions } from '../server/monitoring/prediction-log';
import { bankCustomerRows, trainAndPublish } from './bench-support';

const requests = Number(process.argv[2] ?? 200);
const db = await useTempDataDir();
const { url, token } = await trainAndPublish(db, { template: 'campaign-response', label: 'row path benchmark' });
const id = url.split('/').pop() ?? '';
const rows = bankCustomerRows();
const perRequest = Math.min(LIMITS.predict.rows, Number(process.argv[3] ?? 1000));
const bodies = Array.from({ length: Math.min(10, Math.floor(rows.length / perRequest)) }, (_, i) => JSON.stringify({ rows: rows.slice(i * perRequest, (i + 1) * perRequest) }));
if (bodies.some((body) => JSON.parse(body).rows.length !== perRequest)) throw new Error(`The sample has too few rows for requests of ${perRequest}.`);
const request = (body: string) => new Request(`http://localhost${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

async function round(count: number) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const answer = await servePrediction(db, id, request(bodies[i % bodies.length]));
    JSON.stringify(answer);
    if (i % 5 === 4) await flushPredictions();
  }
  await flushPredictions();
  const used = process.cpuUsage(cpu);
  return { cpuSeconds: (used.user + used.system) / 1e6, wallSeconds: (performance.now() - started) / 1000 };
}

await round(20);
if (process.env.PROFILE_MARK) console.log(`measured from ${process.hrtime.bigint() / 1000n}`);
const { cpuSeconds, wallSeconds } = await round(requests);
const rowCount = requests * perRequest;
console.log(`${requests} requests of ${perRequest} rows: CPU ${cpuSeconds.toFixed(2)} s (${((rowCount / cpuSeconds) | 0).toLocaleString('en-US')} rows per CPU second), wall ${wallSeconds.toFixed(2)} s (${((rowCount / wallSeconds) | 0).toLocaleString('en-US')} rows/s)`);
process.exit(0);
