import { allNodes } from '../../nodes';
import { createRegistry } from '../engine/registry';

/** The node types this Pipelab runs. */
export const registry = createRegistry(allNodes);
