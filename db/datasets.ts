import { desc, eq } from 'drizzle-orm';
import { first, type Db } from './client';
import type { DatasetInfo } from './records';
import { tables } from './schema';

const { datasets } = tables;

export type DatasetRow = DatasetInfo;

export async function getDataset(db: Db, hash: string): Promise<DatasetRow | undefined> {
  return (await db.select().from(datasets).where(eq(datasets.hash, hash)).then(first)) as DatasetRow | undefined;
}

export async function listDatasets(db: Db): Promise<DatasetRow[]> {
  return (await db.select().from(datasets).orderBy(desc(datasets.createdAt))) as DatasetRow[];
}

/** Same bytes, same hash: a second upload of one file only refreshes its name. */
export async function upsertDataset(db: Db, row: DatasetRow): Promise<void> {
  await db.insert(datasets)
    .values(row)
    // The same bytes uploaded again (perhaps by another workspace) keep the name they were first given.
    .onConflictDoNothing({ target: datasets.hash })
    ;
}
