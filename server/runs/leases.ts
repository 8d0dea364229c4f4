import os from 'node:os';
import type { Db } from '../../db/client';
import { interruptAbandonedRuns, renewRunLeases } from '../../db/runs';

/**
 * Every queued or running run is answered for by one live process (the web server, or a command-line
 * run) through a lease it renews. A process killed with `kill -9`, or a machine that restarts, stops
 * renewing; once the lease lapses, any Pipelab process that sweeps marks the run interrupted, so no run
 * stays "running" forever.
 */
export const RUN_LEASE_MS = Number(process.env.PIPELAB_RUN_LEASE_MS ?? 30_000);
export const LEASE_OWNER = `${os.hostname()}:${process.pid}`;

export const leaseUntil = (now = Date.now()) => now + RUN_LEASE_MS;

class LeaseKeeper {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

  hold(runId: string): void {
    this.held.add(runId);
    this.timer ??= setInterval(() => this.tick(), Math.max(50, RUN_LEASE_MS / 3));
    // A process with nothing else to do may exit; its runs are then abandoned and swept.
    this.timer.unref();
  }

  release(runId: string): void {
    this.held.delete(runId);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private tick(): void {
    const held = [...this.held];
    void renewRunLeases(this.db, held, leaseUntil())
      .then(() => interruptAbandonedRuns(this.db, Date.now()))
      .catch((error: unknown) => console.warn(`Could not renew run leases: ${(error as Error).message}`));
  }
}

const keepers = new WeakMap<Db, LeaseKeeper>();

/** The lease keeper of this process for a database. */
export function leaseKeeper(db: Db): LeaseKeeper {
  let keeper = keepers.get(db);
  if (!keeper) keepers.set(db, (keeper = new LeaseKeeper(db)));
  return keeper;
}

/** Marks interrupted, once, the runs whose lease lapsed; returns their ids. */
export function sweepAbandonedRuns(db: Db): Promise<string[]> {
  return interruptAbandonedRuns(db, Date.now());
}

/**
 * Sweeps now and then every `RUN_LEASE_MS / 2`, for a long-lived process (the web server): runs whose
 * process died are marked interrupted even when nothing else happens.
 */
export function sweepAbandonedRunsEvery(db: Db): NodeJS.Timeout {
  const sweep = () =>
    void interruptAbandonedRuns(db, Date.now()).catch((error: unknown) => console.warn(`Could not check for abandoned runs: ${(error as Error).message}`));
  sweep();
  const timer = setInterval(sweep, Math.max(100, RUN_LEASE_MS / 2));
  timer.unref();
  return timer;
}
