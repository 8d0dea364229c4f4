import { randomBytes } from 'node:crypto';
import { inTransaction, type Db } from '../../db/client';
import { listDatasets } from '../../db/datasets';
import { adoptUnownedRows, countUsers, grantFile, insertWorkspace } from '../../db/workspaces';
import { storedFileHashes } from '../datasets';
import { recordActivity } from './activity';

export function newWorkspaceId(): string {
  return randomBytes(12).toString('base64url');
}

/** Makes a workspace owned by one person. */
export async function createWorkspace(db: Db, owner: { id: string; name: string }, name: string, now = Date.now()): Promise<{ id: string; name: string }> {
  const id = newWorkspaceId();
  await inTransaction(db, async (tx) => {
    await insertWorkspace(tx, { id, name, slug: id.toLowerCase(), ownerId: owner.id, now });
    await recordActivity(tx, { workspaceId: id, userId: owner.id, actorName: owner.name }, { action: 'created', subjectType: 'workspace', subjectId: id, subjectName: name }, now);
  });
  return { id, name };
}

/**
 * The first account's workspace. Everything saved before accounts existed (pipelines, runs, uploads,
 * trained models, prediction APIs) moves into it, so upgrading loses nothing.
 */
export async function setUpFirstWorkspace(db: Db, owner: { id: string; name: string }, now = Date.now()): Promise<{ id: string; name: string }> {
  if ((await countUsers(db)) !== 1) throw new Error('The first workspace is made for the first account only.');
  const workspace = await createWorkspace(db, owner, `${owner.name}'s workspace`, now);
  const hashes = new Set([...(await listDatasets(db)).map((d) => d.hash), ...storedFileHashes()]);
  await inTransaction(db, async (tx) => {
    const moved = await adoptUnownedRows(tx, workspace.id);
    for (const hash of hashes) await grantFile(tx, workspace.id, hash, now);
    if (moved.pipelines || moved.runs) {
      await recordActivity(
        tx,
        { workspaceId: workspace.id, userId: owner.id, actorName: owner.name },
        { action: 'imported', subjectType: 'workspace', subjectId: workspace.id, subjectName: workspace.name, detail: `${moved.pipelines} pipelines and ${moved.runs} runs saved before accounts` },
        now,
      );
    }
  });
  return workspace;
}
