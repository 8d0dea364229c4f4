import fs from 'node:fs';
import { allNodes } from '../../nodes';
import type { PipelineFileKind } from '../api-types';
import { buildCatalog } from '../catalog';
import { storedPathFor } from '../datasets';
import { catalogLookup, type NodeLookup } from './lookup';

/** What the teams services need to know of the node catalog and of the files pipelines refer to. */
let lookupCache: NodeLookup | undefined;
export function nodeLookup(): NodeLookup {
  lookupCache ??= catalogLookup(buildCatalog(allNodes));
  return lookupCache;
}

/** Where a file a pipeline refers to is stored, or null for a value that is not a content hash. */
export function storedFilePath(kind: PipelineFileKind, hash: string): string | null {
  return /^[0-9a-f]{64}$/.test(hash) ? storedPathFor(kind, hash) : null;
}

export function hasFile(kind: PipelineFileKind, hash: string): boolean {
  const file = storedFilePath(kind, hash);
  return file !== null && fs.existsSync(file);
}

