import type { Graph } from '../../nodes/graph-document';
import type { CatalogNode } from '../../server/api-types';

type Specs = ReadonlyMap<string, Pick<CatalogNode, 'category' | 'params' | 'title'>>;

/** The label of an enum value from the parameter schema, e.g. a sample id → its title. */
function enumLabel(spec: Pick<CatalogNode, 'params'> | undefined, param: string, value: unknown): string | null {
  const schema = spec?.params.properties[param];
  if (!schema?.enum) return null;
  const index = schema.enum.indexOf(value);
  if (index < 0) return null;
  return schema.enumLabels?.[index] ?? String(value);
}

/** Plain words for the data a pipeline reads: "Bank marketing (…)", "A CSV file you upload". Duplicates removed. */
export function dataSources(graph: Pick<Graph, 'nodes'>, specs: Specs): string[] {
  const found: string[] = [];
  for (const node of graph.nodes) {
    const spec = specs.get(node.type);
    const isData = spec ? spec.category === 'Data' : node.type.startsWith('data.');
    if (!isData) continue;
    let label: string | null = null;
    if (node.params.sample !== undefined) label = enumLabel(spec, 'sample', node.params.sample) ?? String(node.params.sample);
    else if (node.type === 'data.csv') label = 'A CSV file you upload';
    else if (node.type === 'data.model') label = 'A trained model file you upload';
    else label = spec?.title ?? node.type;
    if (!found.includes(label)) found.push(label);
  }
  return found;
}

/** The columns the pipeline learns to predict, from its data steps' "target" setting. */
export function predictedColumns(graph: Pick<Graph, 'nodes'>): string[] {
  const targets = graph.nodes
    .filter((node) => node.type.startsWith('data.') && typeof node.params.target === 'string' && node.params.target !== '')
    .map((node) => node.params.target as string);
  return [...new Set(targets)];
}
