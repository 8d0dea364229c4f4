/**
 * What several benchmark scripts do before they measure: train one of the built-in templates in the data
 * folder they use and publish its model as a prediction API, and read bank-marketing customers as JSON rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client';
import { readCsv } from '../nodes/lib/csv';
import { publishEndpoint } from '../server/endpoints';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import { findTemplate } from '../server/templates';

/** Trains a template (its model step is `model`) and publishes that model; answers the published API and the run. */
export async function trainAndPublish(db: Db, options: { template: string; label: string; workspaceId?: string | null }) {
  const workspaceId = options.workspaceId ?? null;
  const { runId, done } = await startRun(db, new InProcessExecutor(), {
    graph: findTemplate(options.template)!.graph,
    pipelineId: null,
    label: options.label,
    origin: 'cli',
    workspaceId,
    startedBy: null,
  });
  await done;
  return { runId, ...(await publishEndpoint(db, { runId, nodeId: 'model', name: 'benchmark', workspaceId, createdBy: null })) };
}

/** Bank-marketing customers as the JSON rows an API receives (without the answer `y`): `count` rows, every `step`-th. */
export function bankCustomerRows(count?: number, step = 1): Record<string, string | number>[] {
  const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
  const inputs = frame.columns.filter((c) => c.name !== 'y');
  return Array.from({ length: count ?? Math.floor(frame.rowCount / step) }, (_, i) =>
    Object.fromEntries(inputs.map((c) => [c.name, c.values[i * step] as string | number])),
  );
}
