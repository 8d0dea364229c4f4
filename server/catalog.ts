import { z } from 'zod';
import type { NodeDefinition } from '../nodes/define';
import { PORT_TYPE_LABELS } from '../nodes/define';
import type { Catalog, CatalogNode } from './api-types';

/** The plain-data description of every node the browser builds its palette, forms and wiring rules from. */
export function describeNode(definition: NodeDefinition): CatalogNode {
  const schema = z.toJSONSchema(definition.params, { io: 'input' }) as CatalogNode['params'];
  return {
    type: definition.type,
    version: definition.version,
    title: definition.title,
    category: definition.category,
    help: definition.help,
    inputs: [...definition.inputs],
    outputs: [...definition.outputs],
    params: { properties: schema.properties ?? {}, required: schema.required },
    defaults: definition.params.parse({}) as Record<string, unknown>,
  };
}

export function buildCatalog(definitions: NodeDefinition[]): Catalog {
  return { nodes: definitions.map(describeNode), portTypes: PORT_TYPE_LABELS };
}
