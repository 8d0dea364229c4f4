import type { Db } from '../db/client';
import { getServingEndpoint, revokeEndpoint, type ServingEndpoint } from '../db/endpoints';

/**
 * The endpoint rows prediction requests are checked against (token hash, revoked or not), kept in memory so
 * that a request does not build and run a database query for a row that hardly ever changes (about a quarter
 * of a millisecond of a one-row request's CPU; docs/benchmarks.md).
 *
 * Only a revocation changes what serving reads of a row, and the token is never changed in place.
 * - In this process, revoking goes through `revokeServingEndpoint`, which forgets the row in the same step:
 *   the very next request reads the database and is refused.
 * - Another process (a team's other web servers) reads the row again once it is `RECHECK_MS` old, so an
 *   API revoked elsewhere stops answering there within that time.
 * Unknown ids are not kept: guessing addresses cannot fill the memory, and a newly published API answers at once.
 */
export const RECHECK_MS = 1_000;

interface Kept {
  row: ServingEndpoint;
  readAt: number;
}

/**
 * Kept on globalThis under a registered symbol: the web server's route bundles each hold their own copy of
 * this module, and the tRPC route that revokes must empty the same memory as the route that serves.
 */
const KEPT = Symbol.for('pipelab.servingEndpoints');
interface Memory {
  rows: Map<string, Kept>;
  /** Counts revocations made here: a row read while one was made is used for its request but not kept. */
  revocations: number;
}
const globalMemory = globalThis as unknown as Record<symbol, Memory | undefined>;
const memory = (globalMemory[KEPT] ??= { rows: new Map(), revocations: 0 });
const kept = memory.rows;

/** The endpoint's row as serving needs it: from memory when read less than RECHECK_MS ago, else from the database. */
export async function servingEndpoint(db: Db, id: string, now = Date.now()): Promise<ServingEndpoint | undefined> {
  const entry = kept.get(id);
  if (entry && now - entry.readAt < RECHECK_MS && now >= entry.readAt) return entry.row;
  const revocationsBefore = memory.revocations;
  const row = await getServingEndpoint(db, id);
  if (row && memory.revocations === revocationsBefore) kept.set(id, { row, readAt: now });
  else kept.delete(id);
  return row;
}

/** Revokes the endpoint and forgets its row here, so this process refuses its token from the next request on. */
export async function revokeServingEndpoint(db: Db, id: string): Promise<void> {
  kept.delete(id);
  try {
    await revokeEndpoint(db, id);
  } finally {
    // A request whose read overlapped the update does not keep what it read.
    memory.revocations++;
  }
}
