import { getDb, type Db } from '../db/client';
import { sweepAbandonedRuns } from './runs/leases';

/**
 * What a `pipelab` command works with: the installation's database, the same one the web server's context
 * holds (server/context.ts). A command needs no run worker and no sign-in: it acts as a workspace's owner.
 */
export interface CommandLineContext {
  db: Db;
}

/**
 * Opens the database for one command. A command that starts or lists runs first marks interrupted the
 * runs whose process died, so none of them shows as still going.
 */
export async function commandLineContext(options: { sweepAbandonedRuns: boolean }): Promise<CommandLineContext> {
  const db = await getDb();
  if (options.sweepAbandonedRuns) await sweepAbandonedRuns(db);
  return { db };
}
