/**
 * Writes the train and test parts of a template's split node (after its preprocessing) as CSV files,
 * so scikit-learn can fit the same model on exactly the same rows:
 *   npx tsx scripts/export-template-split.ts <template-id> <out-dir>
 * then: /usr/bin/python3 scripts/sklearn-template-check.py <out-dir> <template-id>
 */
import fs from 'node:fs';
import path from 'node:path';
import { frameToCsv } from '../nodes/lib/csv-write';
import type { SplitValue } from '../nodes/values';
import { executeGraph } from '../server/engine/execute';
import { storedFiles } from '../server/datasets';
import { registry } from '../server/runs/registry';
import { findTemplate } from '../server/templates';
import { initBackend } from '../server/tf-backend';

const [templateId, outDir] = process.argv.slice(2);
const template = findTemplate(templateId ?? '');
if (!template || !outDir) throw new Error('usage: export-template-split.ts <template-id> <out-dir>');
await initBackend();
const outcome = await executeGraph({ graph: template.graph, registry, ...storedFiles });
const split = outcome.results.get('split')!.outputs.split as SplitValue;
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'train.csv'), `${frameToCsv(split.train)}\n`);
fs.writeFileSync(path.join(outDir, 'test.csv'), `${frameToCsv(split.test)}\n`);
const model = template.graph.nodes.find((n) => n.id === 'model')!;
const metrics = outcome.results.get('evaluate')!.metrics;
fs.writeFileSync(path.join(outDir, 'pipelab.json'), JSON.stringify({ target: split.target, params: model.params, metrics }, null, 2));
console.log(`wrote ${split.train.rowCount} train and ${split.test.rowCount} test rows to ${outDir}`);
