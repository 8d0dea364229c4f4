import { getDb, type Db } from '../db/client';
import { failOrphanedRuns } from '../db/runs';
import { WorkerExecutor } from './runs/worker-executor';

export interface AppContext {
  db: Db;
  executor: WorkerExecutor;
}

const globalForApp = globalThis as unknown as { pipelabContext?: AppContext };

/** One database and one run worker per server process (kept across hot reloads in development). */
export function appContext(): AppContext {
  if (!globalForApp.pipelabContext) {
    const db = getDb();
    failOrphanedRuns(db, 'ui');
    const executor = new WorkerExecutor();
    executor.warmUp();
    globalForApp.pipelabContext = { db, executor };
  }
  return globalForApp.pipelabContext;
}
