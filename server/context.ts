import { getDb, type Db } from '../db/client';
import { failOrphanedRuns } from '../db/runs';
import type { Executor } from './runs/executor';
import { WorkerExecutor } from './runs/worker-executor';

export interface AppContext {
  db: Db;
  executor: Executor;
}

const globalForApp = globalThis as unknown as { pipelabContext?: AppContext };

/** One database and one run worker per server process (kept across hot reloads in development). */
export function appContext(): AppContext {
  if (!globalForApp.pipelabContext) {
    const db = getDb();
    failOrphanedRuns(db, 'ui');
    globalForApp.pipelabContext = { db, executor: new WorkerExecutor() };
  }
  return globalForApp.pipelabContext;
}
