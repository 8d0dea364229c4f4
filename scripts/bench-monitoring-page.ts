/**
 * How long the monitoring page's report takes with a month of traffic: trains the campaign-response template in a
 * temporary data folder, publishes its model, fills `endpoint_minutes` with 30 days × 1,440 minutes of counts
 * (each minute a real count of scored bank-marketing rows on the model's training bins, with latencies and a
 * refusal now and then), then times the report (`endpoints.monitoring`'s service) for each window, the first time
 * (a week or month report adds up and stores the closed hours it has not seen) and the later times:
 *   npx tsx scripts/bench-monitoring-page.ts [--repeats 7]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tables } from '../db/schema';
import { getEndpoint } from '../db/endpoints';
import { makeWorkspace } from '../db/test-fixtures';
import { takeRows } from '../models/frame';
import { seededRandom } from '../models/split';
import { readModelFile } from '../nodes/data-model';
import { readCsv } from '../nodes/lib/csv';
import { predictColumns } from '../nodes/lib/score-rows';
import type { TrainingReference } from '../nodes/lib/training-reference';
import { useTempDataDir } from '../nodes/test-harness';
import type { Actor } from '../server/auth/roles';
import { storedArtifacts } from '../server/datasets';
import { MONITORING_WINDOWS, monitoringReport, type MonitoringWindow } from '../server/monitoring/report';
import { emptyMinute, MINUTE_MS, recordRefusal, recordScored, type MinuteFigures } from '../server/monitoring/traffic-minute';
import { trainAndPublish } from './bench-support';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '7' } } });
const repeats = Number(values.repeats);
const DAYS = 30;
const TEMPLATE_MINUTES = 240;

const db = await useTempDataDir();
const workspace = await makeWorkspace(db, 'Benchmark');
const actor: Actor = { userId: workspace.userId, name: 'Owner', email: 'o@example.test', workspaceId: workspace.workspaceId, workspaceName: 'Benchmark', role: 'viewer' };
const published = await trainAndPublish(db, { template: 'campaign-response', label: 'monitoring page benchmark', workspaceId: workspace.workspaceId });
const row = (await getEndpoint(db, published.id))!;
const reference = row.trainingReference as TrainingReference;
const { model } = readModelFile(storedArtifacts.read(row.modelHash));

// A few hundred distinct minutes, each counting 1 to 40 real rows scored by the model, reused across the month.
const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
const random = seededRandom(7);
const templates: MinuteFigures[] = Array.from({ length: TEMPLATE_MINUTES }, () => {
  const figures = emptyMinute();
  const requests = 1 + Math.floor(random() * 20);
  for (let r = 0; r < requests; r++) {
    const rows = Array.from({ length: 1 + Math.floor(random() * 2) }, () => Math.floor(random() * frame.rowCount));
    const batch = takeRows(frame, rows);
    recordScored(figures, reference, batch, predictColumns(model, batch).columns, 0.5 + random() * 8);
  }
  if (random() < 0.2) recordRefusal(figures, 'Row 1, column "age": expected a number', 0.3);
  return figures;
});

const now = Date.now();
const firstMinute = now - (now % MINUTE_MS) - DAYS * 24 * 60 * MINUTE_MS;
const minutes = DAYS * 24 * 60;
const filling = performance.now();
const batchSize = 200;
for (let start = 0; start < minutes; start += batchSize) {
  const batch = Array.from({ length: Math.min(batchSize, minutes - start) }, (_, i) => {
    const figures = templates[(start + i) % TEMPLATE_MINUTES];
    return { endpointId: published.id, minute: firstMinute + (start + i) * MINUTE_MS, writer: 'bench', ...figures };
  });
  await db.insert(tables.endpointMinutes).values(batch);
}
const sample = JSON.stringify(templates[0]).length;
console.log(`filled ${minutes.toLocaleString('en-US')} minutes (about ${(sample / 1024).toFixed(1)} KB of counts each) in ${((performance.now() - filling) / 1000).toFixed(1)} s`);

console.log('| window | points | first report (ms) | later reports, median (ms) | fastest (ms) | slowest (ms) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const window of Object.keys(MONITORING_WINDOWS) as MonitoringWindow[]) {
  const times: number[] = [];
  let points = 0;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const report = await monitoringReport(db, actor, published.id, window, now);
    times.push(performance.now() - started);
    points = report.series.length;
    if (report.totals.requests === 0) throw new Error(`the ${window} report counted nothing`);
  }
  // The first week or month report adds up the closed hours it has not seen yet and stores them.
  const [first, ...later] = times;
  later.sort((a, b) => a - b);
  console.log(`| ${window} | ${points} | ${first.toFixed(0)} | ${later[Math.floor(later.length / 2)].toFixed(0)} | ${later[0].toFixed(0)} | ${later.at(-1)!.toFixed(0)} |`);
}
process.exit(0);
