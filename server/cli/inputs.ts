import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { ImageArchiveError } from '../../models/images/archive';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import type { Graph, GraphNode } from '../../nodes/graph-document';
import { CsvError } from '../../nodes/lib/csv';
import type { CommandLineContext } from '../command-line-context';
import { storeDatasetFile, storedArtifacts, storeImageArchive } from '../datasets';
import { describeParamIssue } from '../engine/validate';
import { registry } from '../runs/registry';
import { grantFileTo } from '../workspaces/service';

import { UsageError } from './usage-error';

export { UsageError };

/** What each kind of data source takes from `--input`, in the words its refusal uses. */
const TAKES: Record<string, string> = {
  'data.csv': 'a CSV or Parquet file',
  'data.sample': 'a CSV or Parquet file',
  'data.images': 'a zip of labelled photos (one folder per label)',
  'data.model': 'a model file (from "Download model")',
};

function findNode(graph: Graph, nodeId: string, option: string): GraphNode {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) throw new UsageError(`${option}: the pipeline has no node "${nodeId}" (nodes: ${graph.nodes.map((n) => n.id).join(', ')}).`);
  return node;
}

const titleOf = (node: GraphNode) => `"${node.id}" (${registry.get(node.type)?.title ?? node.type})`;

/**
 * `--input <nodeId>=<file>`: stores the file and points that data source at it. A table source takes a
 * CSV, Photos a zip of labelled photos, Saved model a model file; each is checked as an upload would be.
 */
export async function bindInputs({ db }: CommandLineContext, graph: Graph, bindings: string[], workspaceId: string | null): Promise<void> {
  for (const binding of bindings) {
    const [nodeId, file] = binding.split(/=(.*)/s, 2);
    if (!nodeId || !file) throw new UsageError(`--input expects <nodeId>=<file>, got "${binding}".`);
    const node = findNode(graph, nodeId, '--input');
    const takes = TAKES[node.type];
    if (!takes) throw new UsageError(`--input: node ${titleOf(node)} is not a data source; the data sources take a CSV file, a zip of photos or a model file.`);
    const isFolder = fs.existsSync(file) && fs.statSync(file).isDirectory();
    if (isFolder && node.type !== 'data.images') throw new UsageError(`--input: "${file}" is a folder; node ${titleOf(node)} takes ${takes}.`);
    if (!fs.existsSync(file)) throw new UsageError(`--input: file "${file}" does not exist.`);
    const name = path.basename(file);
    const refuse = (message: string) => new UsageError(`--input ${name}: node ${titleOf(node)} takes ${takes}. ${message}`);
    const hash = await storeInput(db, node, file, refuse);
    if (workspaceId) await grantFileTo(db, workspaceId, hash);
  }
}

async function storeInput(db: CommandLineContext['db'], node: GraphNode, file: string, refuse: (message: string) => UsageError): Promise<string> {
  try {
    if (node.type === 'data.images') {
      const archive = await storePhotos(file);
      node.params = { ...node.params, source: 'upload', archive };
      return archive;
    }
    if (node.type === 'data.model') {
      const bytes = fs.readFileSync(file);
      readModelFile(bytes);
      const { hash } = storedArtifacts.write(path.basename(file), bytes);
      node.params = { ...node.params, model: hash };
      return hash;
    }
    const dataset = await storeDatasetFile(db, path.basename(file), file);
    const target = typeof node.params.target === 'string' ? node.params.target : '';
    // A CSV node keeps its other settings (e.g. --set data.maxRows=...); a sample node becomes a CSV node.
    const kept = node.type === 'data.csv' ? node.params : {};
    Object.assign(node, { type: 'data.csv', version: 1, params: { ...kept, dataset: dataset.hash, target } });
    return dataset.hash;
  } catch (error) {
    if (error instanceof CsvError || error instanceof ImageArchiveError || error instanceof NodeInputError) throw refuse(error.message);
    throw error;
  }
}

/**
 * A zip of photos, or a folder of them (one subfolder per label, zipped here so it is kept and checked
 * exactly like an uploaded zip), stored under its content hash.
 */
async function storePhotos(file: string): Promise<string> {
  const bytes = fs.statSync(file).isDirectory() ? await zipFolder(file) : fs.readFileSync(file);
  return (await storeImageArchive(path.basename(file), bytes)).hash;
}

/** The files below a folder as a zip; shortcuts (symbolic links) are left out, as in an uploaded zip. */
async function zipFolder(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    zip.addFile(full, path.relative(dir, full).split(path.sep).join('/'));
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A `--set` value: JSON when it reads as JSON (numbers, true, lists), otherwise the text itself. */
function settingValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * `--set <nodeId>.<param>=<value>`: overrides one setting for this run, checked against the node's
 * settings as the canvas checks them, so a shell loop can sweep a setting.
 */
export function applySettings(graph: Graph, assignments: string[]): void {
  for (const assignment of assignments) {
    const match = /^([^.=]+)\.([^=]+)=(.*)$/s.exec(assignment);
    if (!match) throw new UsageError(`--set expects <nodeId>.<setting>=<value>, got "${assignment}".`);
    const [, nodeId, param, text] = match;
    const node = findNode(graph, nodeId, '--set');
    const definition = registry.get(node.type);
    if (!definition) throw new UsageError(`--set: node ${titleOf(node)} is of a type this Pipelab does not know.`);
    const known = Object.keys(definition.params.shape);
    if (!known.includes(param)) throw new UsageError(`--set: node ${titleOf(node)} has no setting "${param}" (settings: ${known.join(', ')}).`);
    const params = { ...node.params, [param]: settingValue(text) };
    const parsed = definition.params.safeParse(params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => describeParamIssue(issue)).join('; ');
      throw new UsageError(`--set: node ${titleOf(node)}, ${problems}${/[.!?]$/.test(problems) ? '' : '.'}`);
    }
    node.params = params;
  }
}
