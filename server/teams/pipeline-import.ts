import { inTransaction, type Db } from '../../db/client';
import { pipelineNamesIn, savePipelineIn } from '../../db/pipelines';
import { grantFile } from '../../db/workspaces';
import { ImageArchiveError } from '../../models/images/archive';
import { CsvError } from '../../nodes/lib/csv';
import type { ImportResult } from '../api-types';
import { storeDataset, storedArtifacts, storeImageArchive } from '../datasets';
import { ServiceError as TeamsError } from '../errors';
import { checkBundledTable } from '../files/uploads';
import { unusedName } from '../pipeline-names';
import { hasFile, nodeLookup } from './stored-files';
import { checkImport } from './transfer';

/**
 * Saves an imported file as a new pipeline (its version 1), storing the files bundled inside it.
 * Throws TeamsError BAD_REQUEST listing every error; nothing is saved then.
 */
/** `workspaceId` receives the pipeline and may read the files bundled in it. */
export async function importPipelineFile(db: Db, text: string, name?: string, workspaceId: string | null = null): Promise<ImportResult> {
  const check = checkImport(text, { lookup: nodeLookup(), hasFile });
  if (!check.ok || !check.graph) {
    throw new TeamsError('BAD_REQUEST', check.errors.length === 1 ? check.errors[0] : check.errors.map((e) => `- ${e}`).join('\n'));
  }
  // A bundled zip of photos is checked like an uploaded one (safe paths, no bomb, two labels) and kept only if it passes.
  for (const file of check.attachments) {
    if (file.kind === 'imageArchive') await storeBundledArchive(file.name, file.bytes);
    if (file.kind === 'dataset') await checkBundledDataset(file.name, file.hash, file.bytes);
  }
  const graph = check.graph;
  // All or nothing: the dataset rows and the pipeline are written in one transaction. Bundled files land
  // on disk under their content hash first, where an unused one is harmless.
  const pipeline = await inTransaction(db, async (tx) => {
    for (const file of check.attachments) {
      if (workspaceId) await grantFile(tx, workspaceId, file.hash);
      if (file.kind === 'model') {
        storedArtifacts.write(file.name, file.bytes);
        continue;
      }
      if (file.kind === 'imageArchive') continue;
      try {
        await storeDataset(tx, file.name, file.bytes);
      } catch (error) {
        if (error instanceof CsvError) throw new TeamsError('BAD_REQUEST', `The bundled file "${file.name}" could not be read: ${error.message}`);
        throw error;
      }
    }
    // An import never takes the name of a pipeline already there: the second copy is "Name (2)".
    const wanted = (name?.trim() || check.name?.trim() || 'Imported pipeline').slice(0, 190);
    return savePipelineIn(tx, {
      name: unusedName(wanted, workspaceId ? await pipelineNamesIn(tx, workspaceId) : []),
      description: check.description.slice(0, 5000),
      graph,
      message: 'Imported from a file',
      workspaceId,
    }, Date.now());
  });
  return { pipeline, warnings: check.warnings };
}

/** Read in a checking thread, as an upload is: a Parquet file built to make its reader loop is stopped there. */
async function checkBundledDataset(name: string, hash: string, bytes: Uint8Array): Promise<void> {
  try {
    await checkBundledTable(name, hash, bytes);
  } catch (error) {
    const refused = error instanceof TeamsError && (error.code === 'BAD_REQUEST' || error.code === 'PAYLOAD_TOO_LARGE');
    if (refused) throw new TeamsError('BAD_REQUEST', `The bundled file "${name}" could not be read: ${error.message.replace(`${name}: `, '')}`);
    throw error;
  }
}

async function storeBundledArchive(name: string, bytes: Uint8Array): Promise<void> {
  try {
    await storeImageArchive(name, bytes);
  } catch (error) {
    if (error instanceof ImageArchiveError) throw new TeamsError('BAD_REQUEST', `The bundled zip "${name}" was refused: ${error.message}`);
    throw error;
  }
}
