import { getDb, type Db } from '../db/client';
import { getAuth, type Auth } from './auth/auth';
import { sessionFrom, type SessionInfo } from './auth/guard';
import { openRunDispatcher, type RunDispatcher } from './runs/dispatch';
import { openRunEventBus, type RunEventBus } from './runs/live-events';

/** What lives as long as the server process. */
export interface ServerContext {
  db: Db;
  /** Where runs people start go: this server's run worker, or the team's queue. */
  runs: RunDispatcher;
  auth: Auth;
  /** Live run events: what the runs of this installation announce as they go (in-process, or Redis in team mode). */
  events: RunEventBus;
}

/** What each request sees: the server's parts and, looked up once when first asked, who is signed in. */
export interface AppContext extends ServerContext {
  /** The request's headers: the session cookie the authentication library reads. */
  headers: Headers;
  session: () => Promise<SessionInfo | null>;
}

const globalForApp = globalThis as unknown as { pipelabContext?: Promise<ServerContext> };

/** One database, one run worker and one authentication instance per server process (kept across hot reloads in development). */
export function serverContext(): Promise<ServerContext> {
  globalForApp.pipelabContext ??= startServerContext().catch((error: unknown) => {
    // A database that cannot be reached now may be reachable on the next request.
    globalForApp.pipelabContext = undefined;
    throw error;
  });
  return globalForApp.pipelabContext;
}

async function startServerContext(): Promise<ServerContext> {
  const db = await getDb();
  const events = openRunEventBus();
  try {
    const runs = await openRunDispatcher(db, events);
    return { db, runs, auth: await getAuth(), events };
  } catch (error) {
    await events.close();
    throw error;
  }
}

/** The context of one request. */
export function requestContext(server: ServerContext, headers: Headers): AppContext {
  let lookup: Promise<SessionInfo | null> | undefined;
  return { ...server, headers, session: () => (lookup ??= sessionFrom(server.auth, headers)) };
}
