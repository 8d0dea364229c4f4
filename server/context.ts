import { getDb, type Db } from '../db/client';
import { getAuth, type Auth } from './auth/auth';
import { sessionFrom, type SessionInfo } from './auth/guard';
import { sweepAbandonedRunsEvery } from './runs/leases';
import { recoverRuns } from './runs/service';
import { WorkerExecutor } from './runs/worker-executor';

/** What lives as long as the server process. */
export interface ServerContext {
  db: Db;
  executor: WorkerExecutor;
  auth: Auth;
}

/** What each request sees: the server's parts and, looked up once when first asked, who is signed in. */
export interface AppContext extends ServerContext {
  /** The request's headers: the session cookie the authentication library reads. */
  headers: Headers;
  session: () => Promise<SessionInfo | null>;
}

const globalForApp = globalThis as unknown as { pipelabContext?: ServerContext };

/** One database, one run worker and one authentication instance per server process (kept across hot reloads in development). */
export function serverContext(): ServerContext {
  if (!globalForApp.pipelabContext) {
    const db = getDb();
    const executor = new WorkerExecutor();
    executor.warmUp();
    recoverRuns(db, executor);
    sweepAbandonedRunsEvery(db);
    globalForApp.pipelabContext = { db, executor, auth: getAuth() };
  }
  return globalForApp.pipelabContext;
}

/** The context of one request. */
export function requestContext(server: ServerContext, headers: Headers): AppContext {
  let lookup: Promise<SessionInfo | null> | undefined;
  return { ...server, headers, session: () => (lookup ??= sessionFrom(server.auth, headers)) };
}
