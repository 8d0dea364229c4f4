import { dropTestDatabases, testRunId } from './test-fixtures';

/**
 * Vitest global setup of the team project: names this run (the test processes inherit the variable) so
 * its databases are dropped at the end, and clears what runs that died long ago left behind.
 */
export async function setup(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL!;
  const run = testRunId();
  await dropTestDatabases(url);
  return () => dropTestDatabases(url, run);
}
