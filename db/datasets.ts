import { desc, eq } from 'drizzle-orm';
import type { DatasetInfo } from '../server/api-types';
import type { Db } from './client';
import { datasets } from './schema';

export type DatasetRow = DatasetInfo;

export function getDataset(db: Db, hash: string): DatasetRow | undefined {
  return db.select().from(datasets).where(eq(datasets.hash, hash)).get() as DatasetRow | undefined;
}

export function listDatasets(db: Db): DatasetRow[] {
  return db.select().from(datasets).orderBy(desc(datasets.createdAt)).all() as DatasetRow[];
}

/** Same bytes, same hash: a second upload of one file only refreshes its name. */
export function upsertDataset(db: Db, row: DatasetRow): void {
  db.insert(datasets)
    .values(row)
    // The same bytes uploaded again (perhaps by another workspace) keep the name they were first given.
    .onConflictDoNothing({ target: datasets.hash })
    .run();
}
