import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../nodes/graph-document';
import { DATASET_HASH, sampleGraph, testLookup } from './fixtures';
import { allNodes } from '../../nodes';
import { buildCatalog } from '../catalog';
import { catalogLookup } from './lookup';
import { checkImport, exportFileName, exportPipeline, EXPORT_FORMAT_VERSION, serializeExport } from './transfer';

const NOW = Date.UTC(2026, 10, 25, 9, 30);
const CSV = new TextEncoder().encode('x,y\n1,yes\n2,no\n');
const CSV_HASH = createHash('sha256').update(CSV).digest('hex');

function exported(overrides: Partial<Parameters<typeof exportPipeline>[0]> = {}) {
  return exportPipeline({
    name: 'Churn model',
    description: 'Who leaves next month',
    graph: sampleGraph(),
    exportedAt: NOW,
    lookup: testLookup,
    dataset: (hash) => ({ hash, name: 'customers.csv', sizeBytes: 2048, rowCount: 40 }),
    ...overrides,
  });
}

function bundledGraph() {
  const graph = sampleGraph();
  graph.nodes[0].params.dataset = CSV_HASH;
  return graph;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const stored = () => true;

describe('pipeline export', () => {
  it('writes the graph and its CSV files by name and content hash, never by path', () => {
    const file = exported();
    expect(file).toEqual({
      format: 'pipelab-pipeline',
      formatVersion: EXPORT_FORMAT_VERSION,
      name: 'Churn model',
      description: 'Who leaves next month',
      exportedAt: '2026-11-25T09:30:00.000Z',
      graph: sampleGraph(),
      datasets: [{ hash: DATASET_HASH, name: 'customers.csv', sizeBytes: 2048, rowCount: 40 }],
    });
    expect(exportFileName('Churn model (Q3)', 3)).toBe('churn-model-q3-v3.pipelab.json');
    expect(exportFileName('***', null)).toBe('pipeline.pipelab.json');
  });

  it('round-trips: importing an export gives the identical graph, name and description', () => {
    const check = checkImport(serializeExport(exported()), { lookup: testLookup, hasFile: stored });
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([]);
    expect(check).toMatchObject({ ok: true, name: 'Churn model', description: 'Who leaves next month' });
    expect(check.graph).toEqual(sampleGraph());
  });

  it('round-trips with the CSV bytes bundled, checked against their hash', () => {
    const file = exported({ graph: bundledGraph(), readFile: () => CSV });
    expect(file.bundle).toEqual({ [CSV_HASH]: Buffer.from(CSV).toString('base64') });
    const check = checkImport(serializeExport(file), { lookup: testLookup, hasFile: () => false });
    expect(check.errors).toEqual([]);
    expect(check.files).toEqual([{ kind: 'dataset', hash: CSV_HASH, name: 'customers.csv', attached: true }]);
    expect(check.attachments.map((a) => [a.kind, a.name, Buffer.from(a.bytes).toString()])).toEqual([['dataset', 'customers.csv', 'x,y\n1,yes\n2,no\n']]);
    expect(check.graph).toEqual(bundledGraph());
  });
});

describe('pipeline import errors and warnings', () => {
  it('refuses a truncated file, text that is not JSON and an empty file, saying why in plain words', () => {
    const truncated = text(exported()).slice(0, 40);
    const check = checkImport(truncated);
    expect(check).toMatchObject({ ok: false, graph: null });
    expect(check.errors).toEqual(['This is not a Pipelab pipeline file: it stops in the middle, as if the file was cut off (the JSON in it is incomplete).']);
    expect(checkImport('{"format": "pipelab-pipeline",').errors[0]).toMatch(/as if the file was cut off/);
    expect(checkImport('{\n"name": "x",\n"graph": {}}}').errors).toEqual([
      'This is not a Pipelab pipeline file: it is not JSON text (it stops making sense at line 3); a pipeline file is the .pipelab.json file that Export downloads.',
    ]);
    expect(checkImport('name,spend\nAnn,10\n').errors[0]).toMatch(/^This is not a Pipelab pipeline file: it is not JSON text/);
    expect(checkImport('').errors).toEqual(['This is not a Pipelab pipeline file: the file is empty.']);
    expect(checkImport(' \n ').errors).toEqual(['This is not a Pipelab pipeline file: the file is empty.']);
    // None of these says what a JSON parser says.
    expect(checkImport(truncated).errors[0]).not.toMatch(/position|Unexpected|Expected/);
  });

  it('refuses JSON that is not a Pipelab pipeline file', () => {
    for (const doc of [[1, 2], { hello: 'world' }]) {
      expect(checkImport(text(doc)).errors).toEqual(['This is not a Pipelab pipeline file: it holds no pipeline (a pipeline file has its steps and wires under "graph").']);
    }
    expect(checkImport(text({ format: 'something-else', graph: sampleGraph() })).errors).toEqual([
      'This is not a Pipelab pipeline file: its format is "something-else", not "pipelab-pipeline".',
    ]);
  });

  it('refuses a file from a newer Pipelab, by file format or by graph schema version', () => {
    const newerFormat = { ...exported(), formatVersion: EXPORT_FORMAT_VERSION + 1 };
    expect(checkImport(text(newerFormat)).errors).toEqual([
      `The file was exported by a newer Pipelab (file format ${EXPORT_FORMAT_VERSION + 1}; this one reads up to ${EXPORT_FORMAT_VERSION}). Update Pipelab to import it.`,
    ]);
    const newerGraph = { ...exported(), graph: { ...sampleGraph(), schemaVersion: 99 } };
    expect(checkImport(text(newerGraph)).errors[0]).toMatch(/^It was saved by a newer Pipelab \(schema version 99; this one reads up to 1\)/);
  });

  it('refuses format versions below 1 and names or descriptions over the limits', () => {
    expect(checkImport(text({ ...exported(), formatVersion: -5 })).errors).toEqual(['The file has format version -5; this Pipelab reads versions 1 to 1.']);
    expect(checkImport(text({ ...exported(), name: 'n'.repeat(1_000_000) })).errors).toEqual(["The pipeline's name is longer than 200 characters."]);
    expect(checkImport(text({ ...exported(), description: 'd'.repeat(5001) })).errors).toEqual(["The pipeline's description is longer than 5,000 characters."]);
    const longDataset = { ...exported(), datasets: [{ hash: DATASET_HASH, name: 'x'.repeat(1_000_000), sizeBytes: 1, rowCount: 1 }] };
    expect(checkImport(text(longDataset)).errors[0]).toMatch(/^A data file's name in the file \("x{40}…"\) is longer than 200 characters\.$/);
  });

  it('checks a bundled model file like an uploaded one', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ format: 'pipelab-model', formatVersion: 1, model: { estimator: { kind: 'nope' } } }));
    const hash = createHash('sha256').update(bytes).digest('hex');
    const graph = { schemaVersion: 1, nodes: [{ id: 'saved', type: 'data.model', version: 1, params: { model: hash }, position: { x: 0, y: 0 } }], edges: [] };
    const file = { format: 'pipelab-pipeline', formatVersion: 1, name: 'Scoring', graph, datasets: [], bundle: { [hash]: Buffer.from(bytes).toString('base64') } };
    const lookup = catalogLookup(buildCatalog(allNodes));
    const errors = checkImport(text(file), { lookup }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^The bundled model file \([0-9a-f]{12}…\): This file is not a Pipelab model/);
  });

  it('refuses duplicate node ids', () => {
    const graph = sampleGraph();
    graph.nodes[1].id = 'data';
    graph.edges = [];
    const check = checkImport(text(exported({ graph })), { hasFile: stored });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual(['Node "data": the id is used by more than one node.']);
  });

  it('refuses wires to nodes that are not in the pipeline', () => {
    const graph = sampleGraph();
    graph.edges.push({ id: 'ghost', source: 'model', sourceHandle: 'model', target: 'nowhere', targetHandle: 'model' });
    const check = checkImport(text(exported({ graph })), { lookup: testLookup, hasFile: stored });
    expect(check.errors).toEqual(['A wire from Logistic regression ends at a step that is not in the pipeline.']);
  });

  it('refuses a bundled file whose bytes do not hash to its hash', () => {
    const file = exported({ graph: bundledGraph(), readFile: () => CSV });
    file.bundle![CSV_HASH] = Buffer.from('x,y\n1,yes\n2,yes\n').toString('base64');
    const check = checkImport(text(file), { lookup: testLookup, hasFile: stored });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual(['The bundled file "customers.csv" does not match its hash: the file was changed or damaged after export.']);
  });

  it('refuses a CSV file that is neither bundled nor stored here', () => {
    const check = checkImport(text(exported()), { lookup: testLookup, hasFile: () => false });
    expect(check.errors).toEqual([
      'The step "CSV file" reads the CSV file "customers.csv", which is neither inside the file nor stored here. Export the pipeline again with its data files.',
    ]);
  });

  it('keeps unknown node types, with one warning naming them', () => {
    const graph = sampleGraph();
    graph.nodes.push(
      { id: 'magic', type: 'model.quantumForest', version: 1, params: {}, position: { x: 0, y: 0 } },
      { id: 'magic2', type: 'model.quantumForest', version: 1, params: {}, position: { x: 0, y: 0 } },
    );
    graph.nodes[2].version = 5;
    const check = checkImport(text(exported({ graph })), { lookup: testLookup, hasFile: stored });
    expect(check.ok).toBe(true);
    expect(check.warnings).toEqual([
      'Unknown step type "model.quantumForest" (2 steps): kept in the pipeline, but they must be replaced before it can run.',
      'The step "Logistic regression" was saved by a newer Pipelab (version 5; this one has 1); it will not run until updated.',
    ]);
    expect(check.graph?.nodes.map((n) => n.id)).toEqual(['data', 'split', 'model', 'evaluate', 'magic', 'magic2']);
  });

  it('accepts a saved pipeline document and a bare graph too', () => {
    expect(checkImport(text(sampleGraph())).graph).toEqual(sampleGraph());
    expect(checkImport(text({ name: 'Saved', description: 'd', graph: sampleGraph() }))).toMatchObject({ ok: true, name: 'Saved', description: 'd' });
  });
});

describe('older graph schema versions', () => {
  it('lifts the graph of an older export through the migrations table', () => {
    // Version 0 kept node settings under "settings" and wires under "links".
    const v0 = {
      schemaVersion: 0,
      nodes: sampleGraph().nodes.map(({ params, ...node }) => ({ ...node, settings: params })),
      links: sampleGraph().edges,
    };
    const migrations: Record<number, Migration> = {
      0: (doc) => ({
        schemaVersion: 1,
        nodes: (doc.nodes as Record<string, unknown>[]).map(({ settings, ...node }) => ({ ...node, params: settings })),
        edges: doc.links,
      }),
    };
    const file = text({ ...exported(), graph: v0 });
    const check = checkImport(file, { lookup: testLookup, hasFile: stored, migrations });
    expect(check.errors).toEqual([]);
    expect(check.graph).toEqual(sampleGraph());
    // Without a migration for it, an older version is refused with a clear message.
    expect(checkImport(file, { lookup: testLookup, migrations: {} }).errors).toEqual(['Schema version 0 is not supported.']);
  });
});
