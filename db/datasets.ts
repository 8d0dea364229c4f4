import { desc, eq } from 'drizzle-orm';
import type { ColumnSummary } from '../nodes/preview';
import type { Db } from './client';
import { datasets } from './schema';

export interface DatasetRow {
  hash: string;
  name: string;
  sizeBytes: number;
  rowCount: number;
  delimiter: string;
  hasHeader: boolean;
  columns: ColumnSummary[];
  warnings: string[];
  createdAt: number;
}

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
    .onConflictDoUpdate({ target: datasets.hash, set: { name: row.name } })
    .run();
}
