import { createHash } from 'node:crypto';
import type { ImportCheck, PipelineExportFile, PipelineFileKind } from '../api-types';
import { GraphFormatError, migrations as defaultMigrations, parseGraph, type Graph, type Migration } from '../../nodes/graph-document';
import { LIMITS } from '../../models/limits';
import { readModelFile } from '../../nodes/data-model';
import { NodeInputError } from '../../nodes/define';
import { emptyLookup, type NodeLookup } from './lookup';
import { nodeDisplayNames } from '../../nodes/node-names';

export const EXPORT_FORMAT = 'pipelab-pipeline';
export const EXPORT_FORMAT_VERSION = 1;

interface FileParam {
  nodeId: string;
  param: string;
  kind: PipelineFileKind;
  hash: string;
}

/** Parameters that hold the content hash of an uploaded file (a CSV, a zip of photos or a trained model), per the node catalog. */
export function fileParams(graph: Graph, lookup: NodeLookup): FileParam[] {
  const found: FileParam[] = [];
  for (const node of graph.nodes) {
    const schema = lookup(node.type)?.params ?? {};
    for (const [param, spec] of Object.entries(schema)) {
      const value = node.params[param];
      if ((spec.widget === 'dataset' || spec.widget === 'model' || spec.widget === 'imageArchive') && typeof value === 'string' && value) {
        found.push({ nodeId: node.id, param, kind: spec.widget, hash: value });
      }
    }
  }
  return found;
}

const FILE_EXTENSIONS: Record<PipelineFileKind, string> = { dataset: '.csv', imageArchive: '.zip', model: '.json' };

export type DatasetEntry = PipelineExportFile['datasets'][number];

export interface ExportInput {
  name: string;
  description: string;
  graph: Graph;
  exportedAt: number;
  lookup?: NodeLookup;
  /** The stored facts of an uploaded CSV file, when known. */
  dataset?: (hash: string) => DatasetEntry | null;
  /** When given, the referenced files' bytes go inside the export; files it cannot read (null) are left out. */
  readFile?: (kind: PipelineFileKind, hash: string) => Uint8Array | null;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Why bundled bytes are not a usable model file, or null when they are. */
function modelFileProblem(bytes: Uint8Array): string | null {
  try {
    readModelFile(bytes);
    return null;
  } catch (error) {
    if (error instanceof NodeInputError) return error.message;
    throw error;
  }
}

export function exportPipeline(input: ExportInput): PipelineExportFile {
  const refs = fileParams(input.graph, input.lookup ?? emptyLookup);
  const datasets: DatasetEntry[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    if (ref.kind !== 'dataset' || seen.has(ref.hash)) continue;
    seen.add(ref.hash);
    datasets.push(input.dataset?.(ref.hash) ?? { hash: ref.hash, name: `${ref.hash.slice(0, 12)}.csv`, sizeBytes: 0, rowCount: 0 });
  }
  const file: PipelineExportFile = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    name: input.name,
    description: input.description,
    exportedAt: new Date(input.exportedAt).toISOString(),
    graph: input.graph,
    datasets,
  };
  if (input.readFile) {
    const bundle: Record<string, string> = {};
    for (const ref of refs) {
      if (bundle[ref.hash] !== undefined) continue;
      const bytes = input.readFile(ref.kind, ref.hash);
      if (bytes) bundle[ref.hash] = Buffer.from(bytes).toString('base64');
    }
    file.bundle = bundle;
  }
  return file;
}

export function serializeExport(file: PipelineExportFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** "Churn model (Q3)" → "churn-model-q3-v3.pipelab.json" */
export function exportFileName(name: string, version: number | null): string {
  const slug =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'pipeline';
  return `${slug}${version === null ? '' : `-v${version}`}.pipelab.json`;
}

/** How every refusal of a file that is not a pipeline file begins; the plain reason follows. */
export const NOT_A_PIPELINE_FILE = 'This is not a Pipelab pipeline file';

/**
 * Why text is not JSON, in words a person can act on rather than the parser's: cut off, or where it
 * stops being JSON (the line, read from the parser's position).
 */
function whyNotJson(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message);
  const at = position ? Number(position[1]) : null;
  if (/end of (JSON )?input|Unterminated string/i.test(error.message) || (at !== null && at >= text.trimEnd().length)) {
    return 'it stops in the middle, as if the file was cut off (the JSON in it is incomplete)';
  }
  const line = at === null ? null : text.slice(0, at).split('\n').length;
  return `it is not JSON text${line ? ` (it stops making sense at line ${line})` : ''}; a pipeline file is the .pipelab.json file that Export downloads`;
}

export interface ImportOptions {
  lookup?: NodeLookup;
  /** Whether an uploaded file is already stored here. Without it every file counts as stored. */
  hasFile?: (kind: PipelineFileKind, hash: string) => boolean;
  /** Graph schema migrations (the engine's by default). */
  migrations?: Record<number, Migration>;
}

/** A checked file, with its bundled files decoded and verified, ready to be stored. */
export interface ReadPipelineFile extends ImportCheck {
  attachments: { kind: PipelineFileKind; hash: string; name: string; bytes: Uint8Array }[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sentence(problem: string): string {
  const text = problem.charAt(0).toUpperCase() + problem.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Reads a pipeline file: an export from `exportPipeline`, or (as the command line accepts) a saved
 * pipeline `{ name, graph }` or a bare graph. Older graph schemas are lifted through `parseGraph`'s
 * migrations. Errors stop the import: not JSON, not a Pipelab pipeline, a newer format or schema,
 * duplicate node ids, wires to missing nodes, a bundled file whose bytes do not match its hash, a CSV
 * file that is neither bundled nor stored here. Unknown node types are kept, with a warning naming them.
 */
export function checkImport(text: string, options: ImportOptions = {}): ReadPipelineFile {
  const lookup = options.lookup ?? emptyLookup;
  const hasFile = options.hasFile ?? (() => true);
  const errors: string[] = [];
  const warnings: string[] = [];
  let name: string | null = null;
  let description = '';
  const failed = (): ReadPipelineFile => ({ ok: false, errors, warnings, name, description, graph: null, files: [], attachments: [] });
  const fail = (message: string) => {
    errors.push(message);
    return failed();
  };

  const notPipelab = (reason: string) => fail(`${NOT_A_PIPELINE_FILE}: ${reason}.`);
  const noPipeline = 'it holds no pipeline (a pipeline file has its steps and wires under "graph")';
  if (!text.trim()) return notPipelab('the file is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return notPipelab(whyNotJson(text, error as Error));
  }
  if (!isObject(doc)) return notPipelab(noPipeline);

  let rawGraph: unknown;
  let listed: DatasetEntry[] = [];
  let bundle: Record<string, unknown> = {};
  if ('format' in doc) {
    if (doc.format !== EXPORT_FORMAT) return notPipelab(`its format is ${JSON.stringify(doc.format)}, not "${EXPORT_FORMAT}"`);
    const formatVersion = doc.formatVersion;
    if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion)) return fail('The file has no valid "formatVersion".');
    if (formatVersion < 1) return fail(`The file has format version ${formatVersion}; this Pipelab reads versions 1 to ${EXPORT_FORMAT_VERSION}.`);
    if (formatVersion > EXPORT_FORMAT_VERSION) {
      return fail(
        `The file was exported by a newer Pipelab (file format ${formatVersion}; this one reads up to ${EXPORT_FORMAT_VERSION}). Update Pipelab to import it.`,
      );
    }
    rawGraph = doc.graph;
    if (typeof doc.name === 'string') name = doc.name;
    if (typeof doc.description === 'string') description = doc.description;
    if (Array.isArray(doc.datasets)) {
      listed = doc.datasets.filter((d): d is DatasetEntry => isObject(d) && typeof d.hash === 'string' && typeof d.name === 'string');
      const long = listed.find((d) => d.name.length > LIMITS.text.nameLength);
      if (long) return fail(`A data file's name in the file ("${long.name.slice(0, 40)}…") is longer than ${LIMITS.text.nameLength} characters.`);
    }
    if (doc.bundle !== undefined) {
      if (!isObject(doc.bundle)) return fail('The file\'s "bundle" is not readable.');
      bundle = doc.bundle;
    }
  } else if (isObject(doc.graph)) {
    rawGraph = doc.graph;
    if (typeof doc.name === 'string') name = doc.name;
    if (typeof doc.description === 'string') description = doc.description;
  } else if ('schemaVersion' in doc && 'nodes' in doc) {
    rawGraph = doc;
  } else {
    return notPipelab(noPipeline);
  }
  if (rawGraph === undefined) return fail('The file has no pipeline ("graph" is missing).');
  if (name !== null && name.length > LIMITS.text.nameLength) return fail(`The pipeline's name is longer than ${LIMITS.text.nameLength} characters.`);
  if (description.length > LIMITS.text.descriptionLength) return fail(`The pipeline's description is longer than ${LIMITS.text.descriptionLength.toLocaleString('en-US')} characters.`);

  let graph: Graph;
  try {
    graph = parseGraph(rawGraph, options.migrations ?? defaultMigrations);
  } catch (error) {
    if (!(error instanceof GraphFormatError)) throw error;
    errors.push(...error.problems.map(sentence));
    return failed();
  }

  const stepNames = nodeDisplayNames(graph, (type) => lookup(type)?.title);
  for (const edge of graph.edges) {
    const from = stepNames.get(edge.source);
    const to = stepNames.get(edge.target);
    if (!from) errors.push(`A wire${to ? ` into ${to}` : ''} starts at a step that is not in the pipeline.`);
    if (!to) errors.push(`A wire${from ? ` from ${from}` : ''} ends at a step that is not in the pipeline.`);
  }

  const names = new Map(listed.map((d) => [d.hash, d.name]));
  const attachments: ReadPipelineFile['attachments'] = [];
  const files: ImportCheck['files'] = [];
  const done = new Set<string>();
  for (const ref of fileParams(graph, lookup)) {
    if (done.has(ref.hash)) continue;
    done.add(ref.hash);
    const fileName = names.get(ref.hash) ?? null;
    const label = fileName ? `"${fileName}"` : `(${ref.hash.slice(0, 12)}…)`;
    const encoded = bundle[ref.hash];
    if (typeof encoded === 'string') {
      const bytes = new Uint8Array(Buffer.from(encoded, 'base64'));
      if (sha256(bytes) !== ref.hash) {
        errors.push(`The bundled file ${label} does not match its hash: the file was changed or damaged after export.`);
        continue;
      }
      const modelProblem = ref.kind === 'model' ? modelFileProblem(bytes) : null;
      if (modelProblem) {
        errors.push(`The bundled model file ${label}: ${modelProblem}`);
        continue;
      }
      const stored = fileName ?? `${ref.hash.slice(0, 12)}${FILE_EXTENSIONS[ref.kind]}`;
      attachments.push({ kind: ref.kind, hash: ref.hash, name: stored, bytes });
      files.push({ kind: ref.kind, hash: ref.hash, name: fileName, attached: true });
      continue;
    }
    files.push({ kind: ref.kind, hash: ref.hash, name: fileName, attached: false });
    if (hasFile(ref.kind, ref.hash)) continue;
    if (ref.kind !== 'model') {
      const what = ref.kind === 'dataset' ? 'the CSV file' : 'the zip of photos';
      errors.push(`The step "${stepNames.get(ref.nodeId)}" reads ${what} ${label}, which is neither inside the file nor stored here. Export the pipeline again with its data files.`);
    } else {
      warnings.push(`The step "${stepNames.get(ref.nodeId)}" loads a model file ${label} that is not stored here; upload it again before running.`);
    }
  }

  const unknown = graph.nodes.filter((node) => !lookup(node.type));
  if (unknown.length && options.lookup) {
    const types = [...new Set(unknown.map((node) => node.type))];
    warnings.push(
      `Unknown step type${types.length === 1 ? '' : 's'} ${types.map((t) => `"${t}"`).join(', ')} (${unknown.length} step${unknown.length === 1 ? '' : 's'}): kept in the pipeline, but ${unknown.length === 1 ? 'it' : 'they'} must be replaced before it can run.`,
    );
  }
  for (const node of graph.nodes) {
    const known = lookup(node.type);
    if (known && node.version > known.version) {
      warnings.push(`The step "${stepNames.get(node.id)}" was saved by a newer Pipelab (version ${node.version}; this one has ${known.version}); it will not run until updated.`);
    }
  }

  if (errors.length) return failed();
  return { ok: true, errors, warnings, name, description, graph, files, attachments };
}
