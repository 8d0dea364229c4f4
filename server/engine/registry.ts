import type { NodeDefinition } from '../../nodes/define';

export type NodeRegistry = ReadonlyMap<string, NodeDefinition>;

export function createRegistry(definitions: NodeDefinition[]): NodeRegistry {
  const registry = new Map<string, NodeDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.type)) throw new Error(`Two node definitions share the type "${definition.type}"`);
    registry.set(definition.type, definition);
  }
  return registry;
}
